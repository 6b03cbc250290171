// Template parameter resolution and instantiation (see template_def.h).
#include "templates/template_def.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace archscope {

namespace {

std::string q(const std::string& s) { return "\"" + s + "\""; }

std::string paramList(const TemplateDef& def) {
    std::string s;
    for (auto& p : def.params) s += (s.empty() ? "" : ", ") + p.name + " (" + attrTypeName(p.type) + ", default " + attrValueStr(p.def) + ")";
    return s;
}

bool parseInt(const std::string& t, int64_t* v) {
    try {
        size_t n = 0;
        *v = std::stoll(t, &n);
        return n == t.size();
    } catch (...) { return false; }
}

// Converts the text of one --set value to the parameter's type; false with a reason.
bool parseValue(const AttrDef& p, const std::string& text, AttrValue* out, std::string* why) {
    switch (p.type) {  // attribute value types, not ops
    case AttrType::Int: {
        int64_t v;
        if (!parseInt(text, &v)) return *why = "is not an integer", false;
        *out = v;
        break;
    }
    case AttrType::Float: {
        try {
            size_t n = 0;
            double v = std::stod(text, &n);
            if (n != text.size() || !std::isfinite(v)) return *why = "is not a number", false;
            *out = v;
        } catch (...) { return *why = "is not a number", false; }
        break;
    }
    case AttrType::Bool:
        if (text == "true" || text == "1") *out = true;
        else if (text == "false" || text == "0") *out = false;
        else return *why = "is not true or false", false;
        break;
    case AttrType::Enum: {
        std::string list;
        for (auto& c : p.choices) {
            if (c == text) { *out = text; return true; }
            list += (list.empty() ? "" : ", ") + c;
        }
        return *why = "is not one of: " + list, false;
    }
    case AttrType::Ints: {
        std::vector<int64_t> v;
        std::stringstream ss(text);
        std::string part;
        while (std::getline(ss, part, ',')) {
            int64_t x;
            if (!parseInt(part, &x)) return *why = "is not a comma-separated list of integers (e.g. 2,2,6,2)", false;
            v.push_back(x);
        }
        *out = v;
        break;
    }
    case AttrType::String:
    case AttrType::Shape: *out = text; break;
    }
    if (p.type == AttrType::Int || p.type == AttrType::Float) {
        double x = std::holds_alternative<int64_t>(*out) ? double(std::get<int64_t>(*out)) : std::get<double>(*out);
        if (x < p.min || x > p.max)
            return *why = "is out of range [" + attrValueStr(AttrValue(p.min)) + ", " + attrValueStr(AttrValue(p.max)) + "]", false;
    }
    return true;
}

nlohmann::ordered_json valueJson(const AttrValue& v) {
    return std::visit([](auto&& x) -> nlohmann::ordered_json { return x; }, v);
}

}  // namespace

std::string templateNames() {
    std::string s;
    for (auto* t : templates()) s += (s.empty() ? "" : ", ") + t->name;
    return s;
}

std::string unknownTemplateText(const std::string& name) {
    std::string s = "unknown template " + q(name) + "; templates: " + templateNames();
    const size_t us = name.find('_');
    if (us != std::string::npos && us > 0) {
        const std::string plugin = name.substr(0, us);
        bool loaded = false;
        for (auto* t : templates()) loaded |= t->plugin == plugin;
        if (!loaded)
            s += ". Plugin templates are named \"<plugin>_<name>\": if " + q(name) + " comes from plugin " + q(plugin) +
                 ", that plugin is not loaded (`archscope plugins` lists what is; install it or pass --plugin PATH)";
    }
    return s;
}

bool resolveTemplateParams(const TemplateDef& def, const std::map<std::string, std::string>& overrides, Attrs* out,
                           std::string* err) {
    for (auto& [name, text] : overrides) {
        const AttrDef* p = nullptr;
        for (auto& d : def.params) if (d.name == name) p = &d;
        if (!p) { *err = "template " + q(def.name) + " has no parameter " + q(name) + "; its parameters: " + paramList(def); return false; }
        AttrValue v;
        std::string why;
        if (!parseValue(*p, text, &v, &why)) {
            *err = "template " + q(def.name) + " parameter " + q(name) + " = " + q(text) + " " + why + " (" + p->doc + ")";
            return false;
        }
        out->set(name, v);
    }
    for (auto& p : def.params)
        if (!out->has(p.name)) out->set(p.name, p.def);
    return true;
}

bool instantiateTemplate(const TemplateDef& def, const std::map<std::string, std::string>& overrides, Graph* out,
                         std::string* err, std::map<std::string, Tensor>* weights) {
    Attrs params;
    if (!resolveTemplateParams(def, overrides, &params, err)) return false;
    *out = Graph();
    std::string why;
    if (!def.build(params, out, &why)) { *err = "template " + q(def.name) + ": " + why; return false; }
    nlohmann::ordered_json pj = nlohmann::ordered_json::object();
    for (auto& p : def.params) pj[p.name] = valueJson(params.value(p.name));
    out->metadata["name"] = def.name;
    out->metadata["title"] = def.title;
    out->metadata["description"] = def.description;
    out->metadata["paper"] = def.paper;
    out->metadata["template"] = def.name;
    out->metadata["template_params"] = pj.dump();
    if (def.weights) {
        out->weights.file = def.name + ".safetensors";
        if (weights && !def.weights(params, weights, &why)) { *err = "template " + q(def.name) + ": " + why; return false; }
    }
    return true;
}

}  // namespace archscope
