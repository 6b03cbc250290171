/* Defines "relu", a core op id, next to a fine op: the whole plugin is refused. */
#include "bad_common.h"

static const archscope_op_def kOps[] = {BAD_IDENTITY_OP("bad_dup_fine"), BAD_IDENTITY_OP("relu")};
static const archscope_plugin_desc kPlugin = {"bad_dup", "1", "duplicate op id", kOps, 2};

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
