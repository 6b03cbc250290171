// archscope run FILE: executes a design on a backend; .npy in and out.
#include "cli/cli.h"
#include "cli/common.h"
#include "interop/npy.h"
#include "runtime/backend.h"

#include <filesystem>
#include <iomanip>

namespace archscope::cli {

namespace {

int parseInputs(const Args& args, const Graph& g, std::map<std::string, Tensor>* inputs, std::ostream& err) {
    for (auto& spec : args.values("--input")) {
        auto eq = spec.find('=');
        if (eq == std::string::npos) { err << "archscope run: --input expects NAME=FILE.npy, got \"" << spec << "\"\n"; return 2; }
        std::string name = spec.substr(0, eq), path = spec.substr(eq + 1), msg;
        const Node* n = g.node(name);
        if (!n || n->op != "input") { err << "archscope run: --input " << name << ": the design has no input node \"" << name << "\"\n"; return 2; }
        Tensor t;
        if (!readNpy(path, &t, &msg)) { err << "archscope run: --input " << name << ": " << msg << "\n"; return 2; }
        (*inputs)[name] = std::move(t);
    }
    return 0;
}

int writeOutputs(const Args& args, const RunResult& r, std::ostream& out, std::ostream& err) {
    std::string msg;
    if (args.has("--output")) {
        if (r.outputs.size() != 1) {
            err << "archscope run: --output needs a design with exactly one output (it has " << r.outputs.size() << "); use --output-dir\n";
            return 2;
        }
        if (!writeNpy(args.value("--output"), r.outputs.begin()->second, &msg)) { err << "archscope run: " << msg << "\n"; return 1; }
    }
    if (args.has("--output-dir")) {
        std::error_code ec;
        std::filesystem::create_directories(args.value("--output-dir"), ec);
        for (auto& [name, t] : r.outputs) {
            std::string p = (std::filesystem::path(args.value("--output-dir")) / (name + ".npy")).string();
            if (!writeNpy(p, t, &msg)) { err << "archscope run: " << msg << "\n"; return 1; }
        }
    }
    (void)out;
    return 0;
}

}  // namespace

Command cmd_run() {
    return {"run", "execute a design on the CPU or Vulkan backend",
            std::string("usage: archscope run FILE [--backend cpu|vulkan] [--device N] [--set NAME=V ...]\n"
                        "                     [--input NAME=X.npy ...] [--output Y.npy | --output-dir DIR]\n"
                        "                     [--seed N] [--weights W.safetensors] [--profile] [--json]\n\n"
                        "Inputs not given are generated from the seed. Outputs are float32/int64 .npy files.\n\n"
                        "  --backend B         cpu (default) or vulkan\n"
                        "  --profile           print per-node times\n") + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--profile", "--no-fuse", "--gpu-kernels"},
                          {"--set", "--max-elements", "--backend", "--device", "--input", "--output", "--output-dir", "--seed", "--weights"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope run: " << (args.ok() ? "expected one FILE" : args.error()) << "\n";
                    return 2;
                }
                const std::string file = args.positional()[0];
                Graph g;
                Analysis a;
                if (int rc = loadAndAnalyze(args, file, &g, &a, err, "run")) return rc;
                if (!a.ok()) {
                    for (auto& d : a.errors) err << file << ": " << d.message << "\n";
                    return 2;
                }
                uint64_t seed = g.weights.seed;
                if (args.has("--seed")) {
                    try { seed = std::stoull(args.value("--seed")); } catch (...) { err << "archscope run: --seed must be a non-negative integer\n"; return 2; }
                }
                std::map<std::string, Tensor> inputs;
                if (int rc = parseInputs(args, g, &inputs, err)) return rc;
                WeightStore weights;
                std::string msg;
                std::string wfile = args.value("--weights");
                if (wfile.empty() && !g.weights.file.empty())
                    wfile = (std::filesystem::path(file).parent_path() / g.weights.file).string();
                if (!wfile.empty() && !weights.loadFile(wfile, &msg)) { err << "archscope run: " << msg << "\n"; return 2; }
                if (!weights.materialize(a, seed, &msg)) { err << "archscope run: " << msg << "\n"; return 2; }

                BackendOptions bo;
                bo.name = args.value("--backend", "cpu");
                bo.fuse = !args.flag("--no-fuse");
                bo.forceGpuKernels = args.flag("--gpu-kernels");
                if (args.has("--device")) bo.device = std::atoi(args.value("--device").c_str());
                std::string notice;
                auto backend = makeBackend(bo, &notice, &msg);
                if (!backend) { err << "archscope run: " << msg << "\n"; return 2; }
                if (!notice.empty()) err << "archscope run: " << notice << "\n";
                RunRequest req{&g, &a, &weights, std::move(inputs), seed, false};
                RunResult r = backend->run(req);
                if (!r.ok) { err << "archscope run: " << r.error << "\n"; return 1; }
                if (int rc = writeOutputs(args, r, out, err)) return rc;
                if (args.flag("--json")) {
                    json outs = json::object(), times = json::array();
                    for (auto& [n, t] : r.outputs) outs[n] = {{"shape", t.shape()}, {"dtype", dtypeName(t.dtype())}};
                    for (auto& t : r.timings) times.push_back({{"node", t.node}, {"op", t.op}, {"ms", t.ms}, {"where", t.where}});
                    out << json{{"backend", backend->name()}, {"total_ms", r.totalMs}, {"outputs", outs}, {"nodes", times}}.dump(2) << "\n";
                    return 0;
                }
                out << "ran " << file << " on " << backend->name() << " in " << std::fixed << std::setprecision(3) << r.totalMs << " ms\n";
                for (auto& [n, t] : r.outputs) {
                    double sum = 0;
                    if (t.dtype() == DType::F32) for (int64_t i = 0; i < t.numel(); ++i) sum += t.f32()[i];
                    out << "  output " << n << ": " << shapeStr(t.shape()) << " " << dtypeName(t.dtype()) << ", sum " << std::setprecision(6) << sum << "\n";
                }
                if (args.flag("--profile")) {
                    out << "\n" << std::left << std::setw(24) << "node" << std::setw(16) << "op" << std::right << std::setw(12) << "ms" << "  where\n";
                    for (auto& t : r.timings)
                        out << std::left << std::setw(24) << t.node << std::setw(16) << t.op << std::right << std::setw(12) << std::setprecision(4) << t.ms << "  " << t.where << "\n";
                }
                return 0;
            }};
}

}  // namespace archscope::cli
