/* Missing archscope_plugin_ops: must be refused naming the symbol. */
#include "archscope_plugin.h"

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
