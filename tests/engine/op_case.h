// Loads an op fixture (tests/fixtures/ops/*.safetensors) into a one-op graph
// and runs it on a backend; shared by the CPU fixture test and the Vulkan parity test.
#pragma once

#include "graph/analysis.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace archscope::test {

struct OpCase {
    std::string name;
    Graph graph;
    Analysis analysis;
    WeightStore weights;
    std::map<std::string, Tensor> inputs;    // by input node id "in_<port>"
    std::map<std::string, Tensor> expected;  // by output node id "out_<port>"
    double rtol = 1e-4, atol = 1e-5;
};

inline bool loadOpCase(const std::string& path, OpCase* c, std::string* err) {
    TensorMap m;
    std::map<std::string, std::string> meta;
    if (!readSafetensors(path, &m, err, &meta)) return false;
    c->name = path.substr(path.find_last_of('/') + 1);
    Node op{"op", meta["op"]};
    const nlohmann::json attrs = nlohmann::json::parse(meta["attrs"]);
    for (auto& [k, v] : attrs.items()) {
        if (v.is_boolean()) op.attrs[k] = v.get<bool>();
        else if (v.is_number_integer()) op.attrs[k] = v.get<int64_t>();
        else if (v.is_number_float()) op.attrs[k] = v.get<double>();
        else if (v.is_string()) op.attrs[k] = v.get<std::string>();
        else op.attrs[k] = v.get<std::vector<int64_t>>();
    }
    c->rtol = std::stod(meta["rtol"]);
    c->atol = std::stod(meta["atol"]);
    c->graph.addNode(op);
    for (auto& [k, t] : m) {
        auto dot = k.find('.');
        std::string kind = k.substr(0, dot), port = k.substr(dot + 1);
        if (kind == "in") {
            std::string shape;
            for (size_t i = 0; i < t.shape().size(); ++i) shape += (i ? ", " : "") + std::to_string(t.shape()[i]);
            c->graph.addNode({"in_" + port, "input", {{"shape", shape}, {"dtype", std::string(dtypeName(t.dtype()))}}});
            c->graph.connect({"in_" + port, "y"}, {"op", port});
            c->inputs["in_" + port] = t;
        } else if (kind == "param") {
            c->weights.set("op", port, t);
        } else if (kind == "out") {
            c->graph.addNode({"out_" + port, "output"});
            c->graph.connect({"op", port}, {"out_" + port, "x"});
            c->expected["out_" + port] = t;
        }
    }
    c->analysis = analyze(c->graph, {});
    if (!c->analysis.ok()) { *err = c->name + ": " + c->analysis.errorText(); return false; }
    if (!c->weights.materialize(c->analysis, 0, err)) return false;
    return true;
}

// Max violation of |got - want| <= atol + rtol*|want|; 0 means within tolerance.
inline double worstViolation(const Tensor& got, const Tensor& want, double rtol, double atol, std::string* where) {
    if (got.shape() != want.shape()) { *where = "shape " + shapeStr(got.shape()) + " vs " + shapeStr(want.shape()); return 1e30; }
    double worst = 0;
    for (int64_t i = 0; i < got.numel(); ++i) {
        double g = got.dtype() == DType::F32 ? got.f32()[i] : double(got.i64()[i]);
        double w = want.dtype() == DType::F32 ? want.f32()[i] : double(want.i64()[i]);
        double v = std::abs(g - w) - (atol + rtol * std::abs(w));
        if (std::isnan(g) != std::isnan(w)) v = 1e30;
        else if (std::isnan(g)) v = 0;  // both NaN
        else if (std::isinf(g) || std::isinf(w)) v = (g == w) ? 0 : 1e30;  // infinities must match exactly
        if (v > worst) { worst = v; *where = "index " + std::to_string(i) + ": got " + std::to_string(g) + ", want " + std::to_string(w); }
    }
    return worst;
}

}  // namespace archscope::test
