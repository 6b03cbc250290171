// archscope new NAME -o FILE [--set PARAM=V ...]: writes a design from a template.
#include "cli/cli.h"
#include "cli/common.h"
#include "graph/design_io.h"
#include "interop/safetensors.h"
#include "templates/template_def.h"

#include <filesystem>

namespace archscope::cli {

Command cmd_new() {
    return {"new", "create a design file from a template",
            "usage: archscope new NAME -o FILE [--set PARAM=V ...] [--json]\n\n"
            "Builds template NAME (see `archscope templates`) with its default parameters, changed by\n"
            "--set (repeatable), e.g. --set d_model=256 --set layers=4, and writes the design to FILE.\n"
            "Templates with hand-built weights also write FILE's stem + .safetensors beside it.\n"
            "Exit 2 on an unknown template or parameter, or an invalid value.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--json"}, {"--output", "--set"});
                if (!args.ok()) { err << "archscope new: " << args.error() << "\n"; return 2; }
                if (args.positional().size() != 1) { err << "archscope new: expected one template NAME; templates: " << templateNames() << "\n"; return 2; }
                const std::string file = args.value("--output");
                if (file.empty()) { err << "archscope new: missing -o FILE (where to write the design)\n"; return 2; }
                const TemplateDef* t = findTemplate(args.positional()[0]);
                if (!t) { err << "archscope new: " << unknownTemplateText(args.positional()[0]) << "\n"; return 2; }
                std::map<std::string, std::string> overrides;
                for (auto& s : args.values("--set")) {
                    auto eq = s.find('=');
                    if (eq == std::string::npos || eq == 0) { err << "archscope new: --set \"" << s << "\" is not PARAM=VALUE\n"; return 2; }
                    overrides[s.substr(0, eq)] = s.substr(eq + 1);
                }
                Graph g;
                std::map<std::string, Tensor> weights;
                std::string msg;
                if (!instantiateTemplate(*t, overrides, &g, &msg, &weights)) { err << "archscope new: " << msg << "\n"; return 2; }
                std::string wfile;
                if (t->weights) {
                    namespace fs = std::filesystem;
                    fs::path w = fs::path(file).replace_extension(".safetensors");
                    g.weights.file = w.filename().string();
                    wfile = w.string();
                    if (!writeSafetensors(wfile, weights, &msg)) { err << "archscope new: " << msg << "\n"; return 1; }
                }
                if (!saveDesign(g, file, &msg)) { err << "archscope new: " << msg << "\n"; return 1; }
                if (args.flag("--json"))
                    out << json{{"template", t->name}, {"file", file}, {"weights", wfile}, {"nodes", g.nodes().size()}}.dump() << "\n";
                else
                    out << file << ": " << t->title << " (" << g.nodes().size() << " nodes" << (wfile.empty() ? "" : ", weights " + wfile) << ")\n";
                return 0;
            }};
}

}  // namespace archscope::cli
