// archscope templates: lists the runnable seed architectures (engine/templates).
#include "cli/cli.h"
#include "cli/common.h"
#include "templates/template_def.h"

namespace archscope::cli {

namespace {
json paramJson(const AttrDef& a) {
    json j = {{"name", a.name}, {"type", attrTypeName(a.type)}, {"doc", a.doc}};
    j["default"] = std::visit([](auto&& v) -> json { return json(v); }, a.def);
    if (a.type == AttrType::Int || a.type == AttrType::Float) { j["min"] = a.min; j["max"] = a.max; }
    if (a.type == AttrType::Enum) j["choices"] = a.choices;
    return j;
}
}  // namespace

Command cmd_templates() {
    return {"templates", "list the architecture templates and their parameters",
            "usage: archscope templates [--json] [NAME]\n\n"
            "Lists every template (name, title, paper, parameters with defaults); with NAME, that template in\n"
            "full with its description. Create a design from one with `archscope new NAME -o FILE`.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--json"}, {});
                if (!args.ok() || args.positional().size() > 1) {
                    err << "archscope templates: " << (args.ok() ? "expected at most one NAME" : args.error()) << "\n";
                    return 2;
                }
                std::vector<const TemplateDef*> list = templates();
                if (!args.positional().empty()) {
                    const TemplateDef* t = findTemplate(args.positional()[0]);
                    if (!t) {
                        err << "archscope templates: " << unknownTemplateText(args.positional()[0]) << "\n";
                        return 2;
                    }
                    list = {t};
                }
                if (args.flag("--json")) {
                    json arr = json::array();
                    for (auto* t : list) {
                        json ps = json::array();
                        for (auto& p : t->params) ps.push_back(paramJson(p));
                        arr.push_back({{"name", t->name}, {"title", t->title}, {"paper", t->paper}, {"description", t->description},
                                       {"params", ps}, {"weights", bool(t->weights)}, {"plugin", t->plugin}});
                    }
                    out << arr.dump(2) << "\n";
                    return 0;
                }
                for (auto* t : list) {
                    out << t->name << std::string(t->name.size() < 18 ? 18 - t->name.size() : 1, ' ') << t->title << "\n";
                    out << "    paper: " << t->paper << "\n";
                    if (!t->plugin.empty()) out << "    plugin: " << t->plugin << "\n";
                    if (list.size() == 1) out << "    " << t->description << "\n";
                    for (auto& p : t->params) {
                        out << "    " << p.name << " = " << attrValueStr(p.def);
                        if (list.size() == 1) out << "  (" << attrTypeName(p.type) << ") " << p.doc;
                        out << "\n";
                    }
                }
                out << "\n" << list.size() << " templates\n";
                return 0;
            }};
}

}  // namespace archscope::cli
