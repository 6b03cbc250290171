// Templates: runnable seed architectures that `archscope new` and the GUI gallery offer.
//
// A template is defined once, in engine/templates/<name>.cpp, as a builder
// that turns its parameters (d_model, layers, ...) into a design Graph. It is
// listed once in engine/templates/template_list.cpp. The shipped files in
// resources/templates/<name>.json are the builder's output with default
// parameters (a test checks they are current; regenerate them with
// `archscope new NAME -o resources/templates/NAME.json`).
#pragma once

#include "core/attrs.h"
#include "core/tensor.h"
#include "graph/graph.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace archscope {

struct TemplateDef {
    std::string name;         // "gpt", "vit", ... (file and CLI name)
    std::string title;        // "GPT-style decoder LM"
    std::string description;  // one paragraph naming its paper(s)
    std::string paper;        // short citation, e.g. "Touvron et al. 2023, LLaMA"
    std::string plugin;       // the plugin that provides it (engine/plugins/plugin_templates.cpp); empty for core
    std::vector<AttrDef> params;  // d_model, layers, heads, preset, ... with defaults and ranges
    // Builds the design from resolved params (defaults filled in). Returns
    // false with *err naming the parameter on an invalid combination.
    std::function<bool(const Attrs& params, Graph* out, std::string* err)> build;
    // Optional hand-built parameters (e.g. the looped ICL gradient-descent
    // construction), keyed "node.param". Templates that set it ship a
    // safetensors sidecar next to the design (Graph::weights.file).
    std::function<bool(const Attrs& params, std::map<std::string, Tensor>* weights, std::string* err)> weights;
};

// All templates, in listing order: the core ones, then those added by plugins.
const std::vector<const TemplateDef*>& templates();
const TemplateDef* findTemplate(const std::string& name);
// Adds a template at run time (plugins call this while loading, before any
// other thread lists templates). False with *err when the name is taken.
bool addTemplate(std::shared_ptr<const TemplateDef> t, std::string* err);

// Resolves `overrides` ("d_model" -> "256") against def.params (type and range
// checked, defaults filled in). The error names the parameter and lists the valid ones.
bool resolveTemplateParams(const TemplateDef& def, const std::map<std::string, std::string>& overrides, Attrs* out,
                           std::string* err);

// Resolves `overrides` and builds the design; metadata gets name/title/description/
// paper/template/params. With `weights` and a template that hand-builds its
// parameters, fills them and sets out->weights.file to "<name>.safetensors".
bool instantiateTemplate(const TemplateDef& def, const std::map<std::string, std::string>& overrides,
                         Graph* out, std::string* err, std::map<std::string, Tensor>* weights = nullptr);

// "gpt, vit, ..." for messages.
std::string templateNames();
// `unknown template "NAME"; templates: ...`, and for a name like "kat_vit" the
// hint that plugin templates are named "<plugin>_..." and plugin "kat" is not loaded.
std::string unknownTemplateText(const std::string& name);

}  // namespace archscope
