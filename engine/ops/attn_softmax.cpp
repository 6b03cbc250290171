// attn_softmax: softmax (see softmax.cpp for the formula and kernel) whose
// output is marked as attention probabilities [B, H, Tq, Tk], so the attention
// probes read it. The ONNX importer uses it for the softmax of a recognised
// MatMul-Scale-(Mask)-Softmax-MatMul chain; the scale becomes the temperature
// and a constant mask the mask input.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_softmax();

const OpDef& op_attn_softmax() {
    static const OpDef d = [] {
        OpDef d = op_softmax();
        d.id = "attn_softmax";
        d.displayName = "Attention softmax";
        d.category = "Attention";
        d.doc = "Softmax of attention scores over the keys (last axis), with temperature and an additive mask; its output "
                "[B, H, Tq, Tk] is what the attention-map probes show.";
        d.outputs[0].probe = "attention";
        d.outputs[0].doc = "attention probabilities [B, H, Tq, Tk]";
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
