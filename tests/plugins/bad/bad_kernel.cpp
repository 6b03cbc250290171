// Loads fine, but its kernels misbehave: bad_fail returns an error, bad_throw
// lets a C++ exception escape (forbidden by the ABI; Archscope still reports
// it), and bad_shape's infer() returns an output copying a dimension of an
// input that does not exist. Runs must fail with messages naming node and plugin.
#include "bad_common.h"

#include <stdexcept>

namespace {

int failCpu(archscope_kernel_args* a) { return archscope_fail(a->error, "deliberate failure for the test"); }
int throwCpu(archscope_kernel_args*) { throw std::runtime_error("deliberate exception for the test"); }
int badShapeInfer(archscope_infer_args* a) {
    a->output_count = 1;
    a->outputs[0].rank = 1;
    a->outputs[0].dims[0] = archscope_dim_of(5, 0);
    return 0;
}

const archscope_op_def kOps[] = {
    {"bad_fail", "bad_fail", "Test", "", kX, 1, kY, 1, nullptr, 0, identityInfer, failCpu, nullptr, nullptr},
    {"bad_throw", "bad_throw", "Test", "", kX, 1, kY, 1, nullptr, 0, identityInfer, throwCpu, nullptr, nullptr},
    {"bad_shape", "bad_shape", "Test", "", kX, 1, kY, 1, nullptr, 0, badShapeInfer, identityCpu, nullptr, nullptr},
};
const archscope_plugin_desc kPlugin = {"bad_kernel", "1", "kernels that fail", kOps, 3};

}  // namespace

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
