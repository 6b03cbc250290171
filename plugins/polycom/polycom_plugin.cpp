// polycom: polynomial composition activations (Zhuo et al. 2024, "Polynomial
// Composition Activations: Unleashing the Dynamics of Large Language Models").
//
// polyrelu: y = a0 + sum_{i=1..r} a_i * relu(x)^i                    elementwise
// polynorm: y = a0 + sum_{i=1..r} a_i * n(x^i),  n(v) = v / sqrt(mean(v^2) + eps)
//           with the mean over the last axis (one row at a time)
// params weight [r] = a_1..a_r (init ones), bias [1] = a_0 (init zero); order r = 3
// in the paper. Only archscope_plugin.h is used.
#include "archscope_plugin.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

const uint32_t kPolyReluSpirv[] = {
#include "polyrelu.spv.inc"
};
const uint32_t kPolyNormSpirv[] = {
#include "polynorm.spv.inc"
};

enum { kOrder = 0, kEps = 1 };  // attribute indices

void param(archscope_param_spec* p, const char* name, int init, int64_t n) {
    std::snprintf(p->name, sizeof p->name, "%s", name);
    p->init = init;
    p->scale = 1.0f;
    p->rank = 1;
    p->shape[0] = n;
}

int64_t numel(const archscope_type& t) {
    int64_t n = 1;
    for (int i = 0; i < t.rank; ++i) n *= t.dims[i];
    return n;
}

int inferCommon(archscope_infer_args* a, int64_t flopsPerElement) {
    const archscope_type& x = a->inputs[0];
    if (x.rank < 1) return archscope_fail(a->error, "expected rank >= 1");
    archscope_same_shape(a, 0, 0);
    param(&a->params[0], "weight", ARCHSCOPE_INIT_ONES, a->attrs[kOrder].i);
    param(&a->params[1], "bias", ARCHSCOPE_INIT_ZEROS, 1);
    a->param_count = 2;
    a->flops = flopsPerElement * numel(x);
    return 0;
}

// relu, r-1 power products, r multiply-adds, the bias: 3r per element.
int polyreluInfer(archscope_infer_args* a) { return inferCommon(a, 3 * a->attrs[kOrder].i); }
// per power: product, square, sum (3); then scale and multiply-add (3): 6r per element.
int polynormInfer(archscope_infer_args* a) { return inferCommon(a, 6 * a->attrs[kOrder].i); }

int polyreluCpu(archscope_kernel_args* a) {
    const int64_t r = a->attrs[kOrder].i, n = a->inputs[0].numel;
    const float* x = static_cast<const float*>(a->inputs[0].data);
    const float* w = static_cast<const float*>(a->params[0].data);
    const float b = *static_cast<const float*>(a->params[1].data);
    float* y = static_cast<float*>(a->outputs[0].data);
    for (int64_t i = 0; i < n; ++i) {
        const float v = x[i] > 0 ? x[i] : 0.0f;
        float p = 1.0f, acc = b;
        for (int64_t k = 0; k < r; ++k) {
            p *= v;
            acc += w[k] * p;
        }
        y[i] = acc;
    }
    return 0;
}

// Work split: rows in order; per row, one pass for the r norms, one for the output.
int polynormCpu(archscope_kernel_args* a) {
    const archscope_tensor& xt = a->inputs[0];
    const int64_t r = a->attrs[kOrder].i, D = xt.shape[xt.rank - 1], rows = xt.numel / D;
    const double eps = a->attrs[kEps].f;
    const float* x = static_cast<const float*>(xt.data);
    const float* w = static_cast<const float*>(a->params[0].data);
    const float b = *static_cast<const float*>(a->params[1].data);
    float* y = static_cast<float*>(a->outputs[0].data);
    std::vector<double> inv(static_cast<size_t>(r)), ss(static_cast<size_t>(r));
    for (int64_t row = 0; row < rows; ++row) {
        const float* xr = x + row * D;
        std::fill(ss.begin(), ss.end(), 0.0);
        for (int64_t j = 0; j < D; ++j) {
            double p = 1.0;
            for (int64_t k = 0; k < r; ++k) {
                p *= xr[j];
                ss[size_t(k)] += p * p;
            }
        }
        for (int64_t k = 0; k < r; ++k) inv[size_t(k)] = 1.0 / std::sqrt(ss[size_t(k)] / double(D) + eps);
        for (int64_t j = 0; j < D; ++j) {
            double p = 1.0, acc = b;
            for (int64_t k = 0; k < r; ++k) {
                p *= xr[j];
                acc += w[k] * p * inv[size_t(k)];
            }
            y[row * D + j] = float(acc);
        }
    }
    return 0;
}

archscope_attr_def orderAttr() {
    archscope_attr_def d{};
    d.name = "order";
    d.type = ARCHSCOPE_ATTR_INT;
    d.default_int = 3;
    d.has_range = 1;
    d.min = 1;
    d.max = 8;
    d.doc = "polynomial order r (the paper uses 3)";
    return d;
}

archscope_attr_def epsAttr() {
    archscope_attr_def d{};
    d.name = "eps";
    d.type = ARCHSCOPE_ATTR_FLOAT;
    d.default_float = 1e-6;
    d.has_range = 1;
    d.min = 0;
    d.max = 1;
    d.doc = "added to the mean square before the square root";
    return d;
}

const archscope_port_def kX[] = {{"x", ARCHSCOPE_PORT_F32, 0, "any shape (polynorm: normalised over the last axis)"}};
const archscope_port_def kY[] = {{"y", ARCHSCOPE_PORT_F32, 0, "same shape as x"}};
const archscope_attr_def kReluAttrs[] = {orderAttr()};
const archscope_attr_def kNormAttrs[] = {orderAttr(), epsAttr()};

// Vulkan. polyrelu: bindings x, weight, bias, y; one invocation per element.
const archscope_push_field kReluPush[] = {{ARCHSCOPE_PUSH_NUMEL, 0, 0, 0}, {ARCHSCOPE_PUSH_ATTR_INT, 0, 0, kOrder}};
const archscope_vulkan_kernel kReluVk = {kPolyReluSpirv, sizeof kPolyReluSpirv / 4, 64, ARCHSCOPE_GRID_NUMEL, 0, kReluPush, 2};
// polynorm: one invocation per row.
const archscope_push_field kNormPush[] = {
    {ARCHSCOPE_PUSH_ROWS, 0, 0, 0}, {ARCHSCOPE_PUSH_DIM, 0, -1, 0}, {ARCHSCOPE_PUSH_ATTR_INT, 0, 0, kOrder}, {ARCHSCOPE_PUSH_ATTR_FLOAT, 0, 0, kEps}};
const archscope_vulkan_kernel kNormVk = {kPolyNormSpirv, sizeof kPolyNormSpirv / 4, 64, ARCHSCOPE_GRID_ROWS, 0, kNormPush, 4};

const archscope_op_def kOps[] = {
    {"polyrelu", "PolyReLU", "Activation",
     "PolyCom polynomial composition of ReLU: y = a0 + sum_i a_i relu(x)^i, i = 1..order (Zhuo et al. 2024).",
     kX, 1, kY, 1, kReluAttrs, 1, polyreluInfer, polyreluCpu, nullptr, &kReluVk},
    {"polynorm", "PolyNorm", "Activation",
     "PolyCom normalised polynomial: y = a0 + sum_i a_i x^i / rms(x^i) over the last axis, i = 1..order (Zhuo et al. 2024).",
     kX, 1, kY, 1, kNormAttrs, 2, polynormInfer, polynormCpu, nullptr, &kNormVk},
};

const archscope_plugin_desc kPlugin = {"polycom", "1.0.0", "PolyCom polynomial composition activations: PolyReLU and PolyNorm", kOps, 2};

}  // namespace

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
