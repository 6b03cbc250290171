// The writing context of the ONNX export (onnx_export.cpp and the further
// op exports in onnx_export_more.cpp): names of written values, helpers that
// add nodes and initializers for the primitive being written. Included only by
// the onnx_export*.cpp files (it needs the ONNX protobuf definitions).
#pragma once

#include "graph/analysis.h"
#include "runtime/weights.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscope::onnxout {

using TP = onnx::TensorProto;

// Thrown by an op export; the message names what has no ONNX form.
struct ExportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Ex {
    const Analysis& a;
    const WeightStore& w;
    onnx::GraphProto* gp;
    std::map<PortRef, std::string> names;
    const Node* n = nullptr;
    const NodeInfo* info = nullptr;
    int aux = 0;

    const Attrs& attrs() const { return info->attrs; }
    std::string in(int i) const {
        auto src = a.graph().source({n->id, info->def->inputs[size_t(i)].name});
        if (!src) return "";
        auto it = names.find(*src);
        if (it == names.end()) throw ExportError("internal: input " + std::to_string(i) + " not yet written");
        return it->second;
    }
    std::vector<int64_t> inShape(int i) const { return shapeValues(info->inputs[size_t(i)]->shape); }
    std::vector<int64_t> outShape(int k = 0) const { return shapeValues(info->outputs[size_t(k)].shape); }
    std::string out(int k = 0) {
        const std::string& port = info->def->outputs[size_t(k)].name;
        std::string name = n->id + (k ? ":" + port : "");
        names[{n->id, port}] = name;
        return name;
    }
    std::string tmp() { return n->id + "/t" + std::to_string(aux++); }
    std::string init(const std::string& suffix, const Tensor& t) {
        TP* p = gp->add_initializer();
        p->set_name(n->id + "." + suffix);
        for (auto d : t.shape()) p->add_dims(d);
        p->set_data_type(t.dtype() == DType::F32 ? TP::FLOAT : TP::INT64);
        p->set_raw_data(t.raw(), t.byteSize());
        return p->name();
    }
    std::string param(const std::string& name) {
        const Tensor* t = w.find(info->weightNode, name);
        if (!t) throw ExportError("internal: no weight " + info->weightNode + "." + name);
        return init(name, *t);
    }
    std::string constF(const std::string& suffix, std::vector<float> v, std::vector<int64_t> shape = {}) {
        if (shape.empty() && v.size() != 1) shape = {int64_t(v.size())};
        return init(suffix, Tensor::f32(shape, std::move(v)));
    }
    std::string constI(const std::string& suffix, std::vector<int64_t> v) { return init(suffix, Tensor::i64({int64_t(v.size())}, v)); }
    onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& ins, const std::vector<std::string>& outs) {
        onnx::NodeProto* p = gp->add_node();
        p->set_op_type(op);
        p->set_name(n->id + "/" + op + "_" + std::to_string(gp->node_size()));
        for (auto& i : ins) p->add_input(i);
        for (auto& o : outs) p->add_output(o);
        return p;
    }
    std::string op1(const std::string& op, const std::vector<std::string>& ins, const std::string& out = "") {
        std::string o = out.empty() ? tmp() : out;
        node(op, ins, {o});
        return o;
    }
};

inline void setInt(onnx::NodeProto* p, const char* name, int64_t v) {
    auto* a = p->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}
inline void setFloat(onnx::NodeProto* p, const char* name, double v) {
    auto* a = p->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(float(v));
}
inline void setInts(onnx::NodeProto* p, const char* name, const std::vector<int64_t>& v) {
    auto* a = p->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
}

using ExportFn = std::function<void(Ex&)>;

// Op exports beyond the core table (onnx_export_more.cpp): position ops,
// masks, rope, cumsum/topk; by op id.
const std::map<std::string, ExportFn>& moreExportTable();
// Ops written as calls of model-local functions: onnx_export_fn.h.
// moe_route (top-k + capacity), moe_experts (dense), avgpool1d/maxpool1d
// (onnx_export_moe.cpp); listed in moreExportTable.
void moeRouteEx(Ex& e);
void moeExpertsEx(Ex& e);
void pool1dEx(Ex& e, bool avg);

}  // namespace archscope::onnxout
