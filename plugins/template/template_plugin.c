/* template: a minimal Archscope plugin to copy (walk-through in docs/plugins.md).
 *
 * One op, template_softcap: y = cap * tanh(x / cap), the logit soft-capping of
 * Gemma 2. It shows every part of an op: ports, an attribute with a range,
 * shape inference with a cost, a CPU kernel, and a Vulkan kernel (the SPIR-V of
 * template_softcap.comp, compiled by glslc at build time).
 *
 * To start your own: copy this folder, rename the plugin ("template") and the
 * op ("template_softcap") everywhere, change the formula in the three places
 * marked FORMULA, build with the CMakeLists.txt here, and load the library with
 * `archscope --plugin build/template.so plugins`.
 */
#include "archscope_plugin.h"

#include <math.h>
#include <stdio.h>

static const uint32_t kSpirv[] = {
#include "template_softcap.spv.inc"
};

enum { kCap = 0 }; /* attribute indices, in kAttrs order */

/* Shape inference: y has x's shape; the cost is 3 flops per element. */
static int softcapInfer(archscope_infer_args* a) {
    const archscope_type* x = &a->inputs[0];
    int64_t n = 1;
    for (int32_t i = 0; i < x->rank; ++i) n *= x->dims[i];
    if (x->dtype != ARCHSCOPE_F32) {
        a->error_input = 0;
        return archscope_fail(a->error, "expected f32");
    }
    archscope_same_shape(a, 0, 0);
    a->flops = 3 * n; /* FORMULA: divide, tanh, multiply */
    return 0;         /* bytes stays -1: inputs + outputs */
}

/* CPU kernel: elementwise. */
static int softcapCpu(archscope_kernel_args* a) {
    const float cap = (float)a->attrs[kCap].f;
    const float* x = (const float*)a->inputs[0].data;
    float* y = (float*)a->outputs[0].data;
    for (int64_t i = 0; i < a->inputs[0].numel; ++i) y[i] = cap * tanhf(x[i] / cap); /* FORMULA */
    return 0;
}

static const archscope_port_def kInputs[] = {{"x", ARCHSCOPE_PORT_F32, 0, "any shape"}};
static const archscope_port_def kOutputs[] = {{"y", ARCHSCOPE_PORT_F32, 0, "same shape as x"}};
static const archscope_attr_def kAttrs[] = {
    /* name, type, required, default_int, default_float, default_string, default_ints, count,
       has_range, min, max, choices, choice_count, doc */
    {"cap", ARCHSCOPE_ATTR_FLOAT, 0, 0, 30.0, NULL, NULL, 0, 1, 1e-3, 1e6, NULL, 0, "the cap: |y| < cap"}};

/* Vulkan: bindings x (0), y (1); push block {uint n; float cap;}; one invocation per element of x. */
static const archscope_push_field kPush[] = {{ARCHSCOPE_PUSH_NUMEL, 0, 0, 0}, {ARCHSCOPE_PUSH_ATTR_FLOAT, 0, 0, kCap}};
static const archscope_vulkan_kernel kVulkan = {kSpirv, sizeof kSpirv / 4, 64, ARCHSCOPE_GRID_NUMEL, 0, kPush, 2};

static const archscope_op_def kOps[] = {{"template_softcap", "Soft Cap", "Activation",
                                         "Soft capping y = cap * tanh(x / cap) (Gemma 2 logit capping); the plugin template's example op.",
                                         kInputs, 1, kOutputs, 1, kAttrs, 1, softcapInfer, softcapCpu, NULL, &kVulkan}};

static const archscope_plugin_desc kPlugin = {"template", "0.1.0", "Plugin template: one soft-capping op", kOps, 1};

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
