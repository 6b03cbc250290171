// kat: the group-rational KAN layer of the Kolmogorov-Arnold Transformer
// (Yang & Wang 2024, "Kolmogorov-Arnold Transformer"), as an Archscope plugin.
//
// kat_rational: y = P(x) / Q(x) per element, with the coefficients of the
//   channel's group g = c / (C / groups) (c = index along the last axis):
//     P(x) = a0 + a1 x + a2 x^2 + a3 x^3 + a4 x^4 + a5 x^5
//     Q(x) = 1 + |b1 x + b2 x^2 + b3 x^3 + b4 x^4|        (the "safe" Pade form: Q >= 1)
//   params numerator [groups, 6] = a0..a5, denominator [groups, 4] = b1..b4.
// kat_ffn: KAT's GR-KAN block replacing the transformer MLP,
//     y = fc2(rational2(fc1(rational1(x))))
//   a composite of kat_rational and core linear ops.
//
// Only archscope_plugin.h is used: no engine headers, no engine library.
#include "archscope_design_writer.hpp"
#include "archscope_plugin.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace {

const uint32_t kRationalSpirv[] = {
#include "kat_rational.spv.inc"
};

enum { kGroups = 0 };  // attribute index of kat_rational

// Horner evaluation of the safe rational; shared by the CPU kernel's loop.
inline float rational(float x, const float* a, const float* b) {
    const float p = a[0] + x * (a[1] + x * (a[2] + x * (a[3] + x * (a[4] + x * a[5]))));
    const float q = 1.0f + std::fabs(x * (b[0] + x * (b[1] + x * (b[2] + x * b[3]))));
    return p / q;
}

int rationalInfer(archscope_infer_args* a) {
    const archscope_type& x = a->inputs[0];
    const int64_t groups = a->attrs[kGroups].i;
    if (x.rank < 1) return archscope_fail(a->error, "expected rank >= 1 (channels on the last axis)");
    const int64_t C = x.dims[x.rank - 1];
    if (C % groups != 0) {
        a->error_input = 0;
        std::snprintf(a->error, sizeof a->error, "last dimension %lld is not divisible by groups = %lld (set groups to a divisor of it)",
                      (long long)C, (long long)groups);
        return 1;
    }
    archscope_same_shape(a, 0, 0);
    int64_t n = 1;
    for (int i = 0; i < x.rank; ++i) n *= x.dims[i];
    // Horner: P 5 FMAs, Q 3 FMAs + 1 mul, abs + 1 add, one division: 19 flops per element.
    a->flops = 19 * n;
    archscope_param_spec* p = &a->params[0];
    std::snprintf(p->name, sizeof p->name, "numerator");
    p->init = ARCHSCOPE_INIT_UNIFORM;
    p->scale = 0.5f;
    p->rank = 2;
    p->shape[0] = groups;
    p->shape[1] = 6;
    p = &a->params[1];
    std::snprintf(p->name, sizeof p->name, "denominator");
    p->init = ARCHSCOPE_INIT_UNIFORM;
    p->scale = 0.5f;
    p->rank = 2;
    p->shape[0] = groups;
    p->shape[1] = 4;
    a->param_count = 2;
    return 0;
}

// Work split: elements in order; each reads its group's 10 coefficients.
int rationalCpu(archscope_kernel_args* a) {
    const archscope_tensor& x = a->inputs[0];
    const int64_t C = x.shape[x.rank - 1], groups = a->attrs[kGroups].i, per = C / groups;
    const float* in = static_cast<const float*>(x.data);
    const float* num = static_cast<const float*>(a->params[0].data);
    const float* den = static_cast<const float*>(a->params[1].data);
    float* out = static_cast<float*>(a->outputs[0].data);
    for (int64_t i = 0; i < x.numel; ++i) {
        const int64_t g = (i % C) / per;
        out[i] = rational(in[i], num + 6 * g, den + 4 * g);
    }
    return 0;
}

int ffnExpand(archscope_expand_args* a) {
    const long long d = (long long)a->attrs[0].i, hidden = (long long)a->attrs[1].i, groups = (long long)a->attrs[2].i;
    const char* bias = a->attrs[3].i ? "true" : "false";
    if (hidden % groups != 0) {
        std::snprintf(a->error, sizeof a->error, "hidden = %lld is not divisible by groups = %lld", hidden, groups);
        return 1;
    }
    const int n = std::snprintf(a->body, a->capacity,
        "{\"nodes\": ["
        "{\"id\": \"x\", \"op\": \"input\"},"
        "{\"id\": \"act1\", \"op\": \"kat_rational\", \"attrs\": {\"groups\": %lld}},"
        "{\"id\": \"fc1\", \"op\": \"linear\", \"attrs\": {\"out_features\": %lld, \"bias\": %s}},"
        "{\"id\": \"act2\", \"op\": \"kat_rational\", \"attrs\": {\"groups\": %lld}},"
        "{\"id\": \"fc2\", \"op\": \"linear\", \"attrs\": {\"out_features\": %lld, \"bias\": %s}},"
        "{\"id\": \"y\", \"op\": \"output\"}],"
        "\"edges\": ["
        "{\"from\": \"x:y\", \"to\": \"act1:x\"}, {\"from\": \"act1:y\", \"to\": \"fc1:x\"},"
        "{\"from\": \"fc1:y\", \"to\": \"act2:x\"}, {\"from\": \"act2:y\", \"to\": \"fc2:x\"},"
        "{\"from\": \"fc2:y\", \"to\": \"y:x\"}]}",
        groups, hidden, bias, groups, d, bias);
    a->length = n < 0 ? 0 : size_t(n);
    return n < 0 ? archscope_fail(a->error, "snprintf failed") : 0;
}

const archscope_port_def kX[] = {{"x", ARCHSCOPE_PORT_F32, 0, "[..., C]"}};
const archscope_port_def kY[] = {{"y", ARCHSCOPE_PORT_F32, 0, "same shape as x"}};
const archscope_port_def kFfnY[] = {{"y", ARCHSCOPE_PORT_F32, 0, "[..., d_model]"}};

using archscope_design::intAttr;

archscope_attr_def boolAttr(const char* name, bool def, const char* doc) {
    archscope_attr_def d{};
    d.name = name;
    d.type = ARCHSCOPE_ATTR_BOOL;
    d.default_int = def ? 1 : 0;
    d.doc = doc;
    return d;
}

const archscope_attr_def kRationalAttrs[] = {
    intAttr("groups", 8, 1, 65536, "channel groups sharing one rational function (must divide the last dimension)")};
const archscope_attr_def kFfnAttrs[] = {
    intAttr("d_model", 64, 1, 1 << 20, "output width"),
    intAttr("hidden", 256, 1, 1 << 22, "hidden width (divisible by groups)"),
    intAttr("groups", 8, 1, 65536, "rational groups of both activations (must divide the input width and hidden)"),
    boolAttr("bias", true, "biases on fc1 and fc2")};

// Vulkan: bindings x, numerator, denominator, y; one invocation per element.
const archscope_push_field kRationalPush[] = {
    {ARCHSCOPE_PUSH_NUMEL, 0, 0, 0},   // n
    {ARCHSCOPE_PUSH_DIM, 0, -1, 0},    // C
    {ARCHSCOPE_PUSH_ATTR_INT, 0, 0, kGroups}};
const archscope_vulkan_kernel kRationalVk = {kRationalSpirv, sizeof kRationalSpirv / 4, 64, ARCHSCOPE_GRID_NUMEL, 0, kRationalPush, 3};

const archscope_op_def kOps[] = {
    {"kat_rational", "Group-Rational (KAT)", "Activation",
     "Group-rational activation of the Kolmogorov-Arnold Transformer (GR-KAN): y = P(x) / (1 + |Q(x)|) with a degree-5 "
     "numerator and degree-4 denominator shared by each group of channels.",
     kX, 1, kY, 1, kRationalAttrs, 1, rationalInfer, rationalCpu, nullptr, &kRationalVk},
    {"kat_ffn", "KAT FFN (GR-KAN)", "Blocks",
     "Kolmogorov-Arnold Transformer feed-forward block: fc2(rational(fc1(rational(x)))) with group-rational activations "
     "(Yang & Wang 2024).",
     kX, 1, kFfnY, 1, kFfnAttrs, 4, nullptr, nullptr, ffnExpand, nullptr},
};

const archscope_plugin_desc kPlugin = {"kat", "1.0.0", "Kolmogorov-Arnold Transformer: group-rational activation and GR-KAN FFN",
                                       kOps, 2};

}  // namespace

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
