// Graph inputs of the ONNX model as design input nodes (fixed shapes: symbolic
// dims take their bindings, else 1) and the value range of generated token ids.
#include "interop/onnx_importer.h"

#if ARCHSCOPE_HAVE_ONNX

namespace archscope::onnxin {

void Importer::addInputs() {
    using TP = onnx::TensorProto;
    int row = 0;
    for (auto& in : m_graph.input()) {
        if (m_values.count(in.name())) continue;  // an initializer listed as input (IR < 4)
        if (!in.type().has_tensor_type())
            throw ImportError("graph input \"" + in.name() + "\" is not a tensor (sequences and maps are not supported)");
        const auto& tt = in.type().tensor_type();
        const int et = tt.elem_type();
        const bool isFloat = et == TP::FLOAT || et == TP::DOUBLE || et == TP::FLOAT16 || et == TP::BFLOAT16;
        std::vector<int64_t> shape;
        for (auto& d : tt.shape().dim()) {
            if (d.has_dim_value()) { shape.push_back(d.dim_value()); continue; }
            const std::string sym = d.has_dim_param() ? d.dim_param() : "?";
            auto it = opt.bindings.find(sym);
            shape.push_back(it == opt.bindings.end() ? 1 : it->second);
            rep->warnings.push_back("graph input \"" + in.name() + "\": symbolic dim \"" + sym + "\" fixed to " + std::to_string(shape.back()) +
                                    (it == opt.bindings.end() ? " (bind it at import, e.g. --set " + sym + "=128)" : ""));
        }
        Node n;
        n.id = g->uniqueId(sanitizeId(in.name(), "input"));
        n.op = "input";
        n.label = in.name();
        n.attrs["shape"] = shapeAttr(shape);
        n.attrs["dtype"] = std::string(isFloat ? "f32" : "i64");
        n.y = 120.0 * row++;
        g->addNode(n);
        PortRef p{n.id, "y"};
        m_types[p] = TensorType{isFloat ? DType::F32 : DType::I64, shapeFromValues(shape)};
        Value v;
        v.port = p;
        v.type = m_types[p];
        v.isBool = et == TP::BOOL;
        m_values[in.name()] = std::move(v);
    }
}

// Token-id inputs feeding an embedding get "high" = its vocabulary size, so the
// ids generated for a run without given inputs (archscope run/bench) are valid.
void setTokenRanges(Graph* g) {
    for (auto& e : g->edges()) {
        Node* to = g->node(e.to.node);
        Node* from = g->node(e.from.node);
        if (!to || !from || to->op != "embedding" || from->op != "input" || !to->attrs.count("num_embeddings")) continue;
        const auto* vocab = std::get_if<int64_t>(&to->attrs["num_embeddings"]);
        auto it = from->attrs.find("high");
        const int64_t* cur = it == from->attrs.end() ? nullptr : std::get_if<int64_t>(&it->second);
        if (vocab && *vocab >= 1 && (!cur || *vocab < *cur)) from->attrs["high"] = *vocab;
    }
}

}  // namespace archscope::onnxin

#endif
