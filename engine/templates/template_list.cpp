// The one list of templates. Adding one: write engine/templates/<name>.cpp
// defining `const TemplateDef& template_<name>()`, and add X(<name>) below.
#include "templates/template_def.h"

// Sections keep concurrent additions apart; the order here is the listing order.
#define ARCHSCOPE_TEMPLATES(X) \
    /* attention family */      \
        X(gpt) X(vit) X(gtrxl) X(looped_icl) \
        X(swin) X(crossvit) X(block_transformer) X(metaformer) \
    /* recurrent, conv, MoE */ X(mamba_lm) X(linear_lm) X(moe_lm) \
        X(convnet)

namespace archscope {
namespace tmpl {
#define ARCHSCOPE_DECLARE(n) const TemplateDef& template_##n();
ARCHSCOPE_TEMPLATES(ARCHSCOPE_DECLARE)
#undef ARCHSCOPE_DECLARE
}  // namespace tmpl

namespace {
std::vector<const TemplateDef*>& mutableTemplates() {
#define ARCHSCOPE_ENTRY(n) &tmpl::template_##n(),
    static std::vector<const TemplateDef*> v{ARCHSCOPE_TEMPLATES(ARCHSCOPE_ENTRY)};
#undef ARCHSCOPE_ENTRY
    return v;
}
}  // namespace

const std::vector<const TemplateDef*>& templates() { return mutableTemplates(); }

bool addTemplate(std::shared_ptr<const TemplateDef> t, std::string* err) {
    static std::vector<std::shared_ptr<const TemplateDef>> owned;  // plugin templates live as long as the process
    if (const TemplateDef* have = findTemplate(t->name)) {
        *err = "template \"" + t->name + "\" is already defined by " + (have->plugin.empty() ? std::string("the core templates") : "plugin \"" + have->plugin + "\"");
        return false;
    }
    owned.push_back(t);
    mutableTemplates().push_back(t.get());
    return true;
}

const TemplateDef* findTemplate(const std::string& name) {
    for (auto* t : templates())
        if (t->name == name) return t;
    return nullptr;
}

}  // namespace archscope
