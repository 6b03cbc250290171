/* Wrong ABI version: must be refused with both versions named. */
#include "bad_common.h"

static const archscope_op_def kOps[] = {BAD_IDENTITY_OP("bad_abi_op")};
static const archscope_plugin_desc kPlugin = {"bad_abi", "1", "wrong ABI version", kOps, 1};

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return 999; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
