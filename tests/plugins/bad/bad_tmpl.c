/* A fine op with a bad template table: a wrong table version (BAD_TMPL_VERSION)
 * or a template name that does not start with the plugin's name. The whole
 * plugin is refused, its op included. */
#include "bad_common.h"

static const archscope_op_def kOps[] = {BAD_IDENTITY_OP("bad_tmpl_fine")};
static const archscope_plugin_desc kPlugin = {"bad_tmpl", "1", "bad template table", kOps, 1};

static int build(archscope_template_args* a) { return archscope_fail(a->error, "never called"); }
static const archscope_template_def kTemplates[] = {{"mlp", "MLP", "", "", NULL, 0, build}};
#ifdef BAD_TMPL_VERSION
static const archscope_template_table kTable = {99, kTemplates, 1};
#else
static const archscope_template_table kTable = {ARCHSCOPE_TEMPLATES_VERSION, kTemplates, 1};
#endif

ARCHSCOPE_PLUGIN_EXPORT uint32_t archscope_plugin_abi_version(void) { return ARCHSCOPE_PLUGIN_ABI_VERSION; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_plugin_desc* archscope_plugin_ops(void) { return &kPlugin; }
ARCHSCOPE_PLUGIN_EXPORT const archscope_template_table* archscope_plugin_templates(void) { return &kTable; }
