// archscope run FILE: executes a design on a backend; .npy in and out.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/eval_accuracy.h"
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
                        "  --labels L.npy      print the accuracy of argmax(output) against int64 labels\n"
                        "                      (-1 = not scored); a design can name its eval set in metadata\n"
                        "  --eval-output NAME  output node scored by --labels (default: the only output)\n"
                        "  --backend B         cpu (default) or vulkan\n"
                        "  --device N          Vulkan device (see archscope devices)\n"
                        "  --no-fuse           Vulkan: run every node as its own kernel (no fusion pass)\n"
                        "  --gpu-kernels       Vulkan: shared-memory (GPU) kernel family even on a CPU device\n"
                        "  --profile           print per-node times; setup (plan build, pipeline compile,\n"
                        "                      warm-up) is reported apart from the run\n") + kMemoryOption + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--profile", "--no-fuse", "--gpu-kernels"},
                          {"--set", "--max-elements", "--max-memory", "--backend", "--device", "--input", "--output", "--output-dir", "--seed", "--weights", "--labels", "--eval-output"});
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
                if (int rc = addEvalInputs(args, file, g, &inputs, err)) return rc;
                for (auto& [name, t] : inputs) {  // shapes bound by --set must match the files
                    auto it = a.nodes.find(name);
                    if (it == a.nodes.end() || it->second.outputs.empty()) continue;
                    const TensorType& want = it->second.outputs[0];
                    if (shapeValues(want.shape) != t.shape() || want.dtype != t.dtype()) {
                        err << "archscope run: input \"" << name << "\": expected " << shapeStr(want.shape) << " " << dtypeName(want.dtype)
                            << ", got " << shapeStr(shapeFromValues(t.shape())) << " " << dtypeName(t.dtype())
                            << " from the file (bind the design's sizes to match with --set NAME=V, or convert the file)\n";
                        return 2;
                    }
                }
                if (int rc = checkRunMemory(args, a, err, "run")) return rc;
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
                Accuracy acc;
                if (int rc = evaluateAccuracy(args, file, g, r.outputs, &acc, err)) return rc;
                if (args.flag("--json")) {
                    json outs = json::object(), times = json::array();
                    for (auto& [n, t] : r.outputs) outs[n] = {{"shape", t.shape()}, {"dtype", dtypeName(t.dtype())}};
                    for (auto& t : r.timings) times.push_back({{"node", t.node}, {"op", t.op}, {"ms", t.ms}, {"where", t.where}});
                    json report = json{{"backend", backend->name()}, {"total_ms", r.totalMs}, {"setup_ms", r.setupMs}, {"compile_ms", r.compileMs},
                                {"overhead_ms", r.overheadMs}, {"outputs", outs}, {"nodes", times}};
                    if (acc.active) report["accuracy"] = {{"value", acc.value()}, {"correct", acc.correct}, {"scored", acc.scored}, {"output", acc.output}, {"labels", acc.labelsFile}};
                    out << report.dump(2) << "\n";
                    return 0;
                }
                out << "ran " << file << " on " << backend->name() << " in " << std::fixed << std::setprecision(3) << r.totalMs << " ms\n";
                for (auto& [n, t] : r.outputs) {
                    double sum = 0;
                    if (t.dtype() == DType::F32) for (int64_t i = 0; i < t.numel(); ++i) sum += t.f32()[i];
                    out << "  output " << n << ": " << shapeStr(t.shape()) << " " << dtypeName(t.dtype()) << ", sum " << std::setprecision(6) << sum << "\n";
                }
                if (acc.active)
                    out << "  accuracy " << std::setprecision(4) << acc.value() << " (" << acc.correct << "/" << acc.scored << " labelled positions, argmax of "
                        << acc.output << " vs " << acc.labelsFile << ")\n";
                if (args.flag("--profile")) {
                    out << "  setup " << std::setprecision(3) << r.setupMs << " ms (pipeline compile " << r.compileMs
                        << " ms), not in the run time\n";
                    out << "\n" << std::left << std::setw(24) << "node" << std::setw(16) << "op" << std::right << std::setw(12) << "ms" << "  where\n";
                    double sum = r.overheadMs;
                    for (auto& t : r.timings) {
                        out << std::left << std::setw(24) << t.node << std::setw(16) << t.op << std::right << std::setw(12) << std::setprecision(4) << t.ms << "  " << t.where << "\n";
                        sum += t.ms;
                    }
                    if (r.overheadMs > 0)
                        out << std::left << std::setw(40) << "(submit, wait, readback)" << std::right << std::setw(12) << r.overheadMs << "  host\n";
                    out << std::left << std::setw(40) << "sum" << std::right << std::setw(12) << sum << "  (" << std::setprecision(1)
                        << (r.totalMs > 0 ? 100.0 * sum / r.totalMs : 100.0) << "% of the run's " << std::setprecision(4) << r.totalMs << " ms)\n";
                }
                return 0;
            }};
}

}  // namespace archscope::cli
