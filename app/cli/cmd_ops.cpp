// archscope ops: lists the op registry.
#include "cli/cli.h"
#include "cli/common.h"
#include "core/registry.h"
#include "runtime/vulkan/kernel.h"

namespace archscope::cli {

namespace {
const char* portTypeStr(PortType p) { return p == PortType::F32 ? "f32" : p == PortType::I64 ? "i64" : "any"; }

json attrJson(const AttrDef& a) {
    json j = {{"name", a.name}, {"type", attrTypeName(a.type)}, {"doc", a.doc}, {"required", a.required}};
    if (!a.required) j["default"] = std::visit([](auto&& v) -> json { return json(v); }, a.def);
    if (a.type == AttrType::Int || a.type == AttrType::Float) { j["min"] = a.min; j["max"] = a.max; }
    if (a.type == AttrType::Enum) j["choices"] = a.choices;
    return j;
}
}  // namespace

Command cmd_ops() {
    return {"ops", "list the available ops and their ports and attributes",
            "usage: archscope ops [--json] [OP]\n\nLists every op of the registry by category; with OP, shows that op in full.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {}, {});
                if (!args.ok()) { err << "archscope ops: " << args.error() << "\n"; return 2; }
                auto all = OpRegistry::global().all();
                if (!args.positional().empty()) {
                    const OpDef* d = OpRegistry::global().find(args.positional()[0]);
                    if (!d) { err << "archscope ops: unknown op \"" << args.positional()[0] << "\"\n"; return 2; }
                    all = {d};
                }
                if (args.flag("--json")) {
                    json arr = json::array();
                    for (auto* d : all) {
                        json ins = json::array(), outs = json::array(), attrs = json::array();
                        for (auto& p : d->inputs) ins.push_back({{"name", p.name}, {"type", portTypeStr(p.type)}, {"optional", p.optional}, {"doc", p.doc}});
                        for (auto& p : d->outputs) outs.push_back({{"name", p.name}, {"type", portTypeStr(p.type)}, {"doc", p.doc}});
                        for (auto& a : d->attrs) attrs.push_back(attrJson(a));
                        arr.push_back({{"id", d->id}, {"name", d->displayName}, {"category", d->category}, {"doc", d->doc},
                                       {"inputs", ins}, {"outputs", outs}, {"attrs", attrs}, {"vulkan", vk::findKernel(d->id) != nullptr},
                                       {"plugin", d->plugin}});
                    }
                    out << arr.dump(2) << "\n";
                    return 0;
                }
                std::string cat;
                for (auto* d : all) {
                    if (d->category != cat) { cat = d->category; out << "\n" << cat << "\n"; }
                    out << "  " << d->id << std::string(d->id.size() < 22 ? 22 - d->id.size() : 1, ' ') << d->doc << "\n";
                    if (all.size() == 1) {
                        for (auto& p : d->inputs) out << "    input  " << p.name << " (" << portTypeStr(p.type) << (p.optional ? ", optional" : "") << "): " << p.doc << "\n";
                        for (auto& p : d->outputs) out << "    output " << p.name << " (" << portTypeStr(p.type) << "): " << p.doc << "\n";
                        for (auto& a : d->attrs)
                            out << "    attr   " << a.name << " (" << attrTypeName(a.type) << (a.required ? ", required" : ", default " + attrValueStr(a.def)) << "): " << a.doc << "\n";
                    }
                }
                out << "\n" << all.size() << " ops\n";
                return 0;
            }};
}

}  // namespace archscope::cli
