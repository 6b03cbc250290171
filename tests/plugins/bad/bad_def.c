/* A primitive op without a CPU kernel, and a Vulkan kernel that is not SPIR-V. */
#include "bad_common.h"

static const uint32_t kNotSpirv[] = {1, 2, 3, 4, 5, 6};
static const archscope_vulkan_kernel kVk = {kNotSpirv, 6, 64, ARCHSCOPE_GRID_NUMEL, 0, NULL, 0};

#ifdef BAD_SPIRV
static const archscope_op_def kOps[] = {{"bad_spirv_op", "x", "Test", "", kX, 1, kY, 1, NULL, 0, identityInfer, identityCpu, NULL, &kVk}};
static const archscope_plugin_desc kPlugin = {"bad_spirv", "1", "vulkan kernel is not SPIR-V", kOps, 1};
#else
static const archscope_op_def kOps[] = {{"bad_def_op", "x", "Test", "", kX, 1, kY, 1, NULL, 0, identityInfer, NULL, NULL, NULL}};
static const archscope_plugin_desc kPlugin = {"bad_def", "1", "op without a CPU kernel", kOps, 1};
#endif

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
