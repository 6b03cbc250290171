// The one list of core ops. Adding an op: write engine/ops/<id>.cpp defining
// `const OpDef& op_<id>()`, and add X(<id>) below.
#include "core/registry.h"

#include <stdexcept>

// Sections keep concurrent additions apart; order within the list does not matter.
#define ARCHSCOPE_CORE_OPS(X)                 \
    /* graph boundary */ X(input) X(output)   \
    /* core */ X(linear) X(add) X(relu)       \
    /* elementwise, activations, norms */ X(sub) X(mul) X(div) X(scale) X(clamp) X(gate) \
        X(relu6) X(gelu) X(gelu_tanh) X(silu) X(sigmoid) X(tanh) X(softplus) X(exp) X(elu1) \
        X(softmax) X(layernorm) X(rmsnorm) X(batchnorm) X(embedding) X(matmul) X(topk) X(cumsum) X(scan) \
    /* layout, conv, pooling, sequence */ X(conv1d) X(conv2d) X(avgpool1d) X(avgpool2d) X(maxpool1d) X(maxpool2d) \
        X(globalpool) X(reshape) X(permute) X(split) X(concat) X(slice) X(flatten) X(pos_learned) X(pos_sinusoidal) \
        X(rope) X(alibi) X(causal_mask) X(sliding_window_mask) X(window_partition) X(window_reverse) X(patch_merge) \
    /* blocks B */ X(unflatten) X(rel_pos_bias) X(window_mask) X(layer_scale) X(window_attention) \
        X(cross_scale_fusion) X(block_aggregate) X(block_broadcast) X(token_mixer) X(inverted_residual) X(convnext_block) \
    /* blocks A */ X(cls_token) X(keep_topk) X(mha) X(ffn) X(residual) X(patch_embed) X(head) X(transformer_layer) X(loop) X(lsa) \
    /* interop (ONNX import) */ X(constant) X(attn_softmax) X(pow) X(sqrt) X(erf) X(neg) X(reciprocal) X(logical_not) \
        X(equal) X(where) X(reduce) X(expand) \
    /* blocks C */ X(linear_mix) X(moe_route) X(moe_experts) X(linear_attention) X(mamba) X(moe) \
    /* decoding, relative bias */ X(rel_bias)

namespace archscope {
namespace ops {
#define ARCHSCOPE_DECLARE(id) const OpDef& op_##id();
ARCHSCOPE_CORE_OPS(ARCHSCOPE_DECLARE)
#undef ARCHSCOPE_DECLARE
}  // namespace ops

void registerCoreOps(OpRegistry& r) {
    std::string err;
#define ARCHSCOPE_REGISTER(id)                                                             \
    if (!r.add(std::shared_ptr<const OpDef>(&ops::op_##id(), [](const OpDef*) {}), &err)) \
        throw std::logic_error("core op registration: " + err);
    ARCHSCOPE_CORE_OPS(ARCHSCOPE_REGISTER)
#undef ARCHSCOPE_REGISTER
}

}  // namespace archscope
