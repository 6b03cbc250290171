// archscope bench gemm|stream|dispatch|FILE: Vulkan micro-benchmarks and design latency beside the CPU.
#include "cli/cli.h"
#include "cli/common.h"
#include "runtime/vulkan/bench.h"

#include <filesystem>
#include <iomanip>

namespace archscope::cli {

Command cmd_bench() {
    return {"bench", "Vulkan benchmarks: SGEMM vs Eigen, streaming GB/s, dispatch cost, a design fused vs unfused",
            std::string("usage: archscope bench gemm|stream|dispatch|FILE [--device N] [--gpu-kernels] [--size N] [--repeats N] [--json]\n\n"
            "  gemm      SGEMM N^3 (default 1024) on Vulkan beside Eigen on the CPU, GFLOP/s\n"
            "  stream    y = 2x + 1 over 16M floats, GB/s (read + write)\n"
            "  dispatch  chain of 64 tiny dispatches: GPU time and host recording cost per node\n"
            "  FILE      a design: Vulkan dispatch count and latency with and without fusion, beside the CPU\n\n"
            "  --device N          Vulkan device (see archscope devices)\n"
            "  --gpu-kernels       use the shared-memory (GPU) kernel family even on a CPU device\n"
            "  --size N            gemm size (default 1024)\n"
            "  --repeats N         timed runs, the median is reported (default 5)\n"
            "  --no-fuse           FILE: measure only the unfused plan\n") + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--json", "--gpu-kernels", "--no-fuse"}, {"--device", "--size", "--repeats", "--set", "--max-elements"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope bench: " << (args.ok() ? "expected one of gemm, stream, dispatch" : args.error()) << "\n";
                    return 2;
                }
                vk::BenchOptions o;
                try {
                    if (args.has("--device")) o.device = std::stoi(args.value("--device"));
                    if (args.has("--size")) o.size = std::stoll(args.value("--size"));
                    if (args.has("--repeats")) o.repeats = std::stoi(args.value("--repeats"));
                } catch (...) {
                    err << "archscope bench: --device, --size and --repeats take integers\n";
                    return 2;
                }
                if (o.size < 1 || o.size > 8192 || o.repeats < 1 || o.repeats > 1000) {
                    err << "archscope bench: --size must be in [1, 8192] and --repeats in [1, 1000]\n";
                    return 2;
                }
                o.forceGpuKernels = args.flag("--gpu-kernels");
                const std::string what = args.positional()[0];
                vk::BenchResult r;
                if (what == "gemm") r = vk::benchGemm(o);
                else if (what == "stream") r = vk::benchStream(o);
                else if (what == "dispatch") r = vk::benchDispatch(o);
                else {
                    Graph g;
                    Analysis a;
                    if (int rc = loadAndAnalyze(args, what, &g, &a, err, "bench")) return rc;
                    if (!a.ok()) {
                        for (auto& d : a.errors) err << what << ": " << d.message << "\n";
                        return 2;
                    }
                    WeightStore w;
                    std::string msg;
                    if (!g.weights.file.empty() &&
                        !w.loadFile((std::filesystem::path(what).parent_path() / g.weights.file).string(), &msg)) {
                        err << "archscope bench: " << msg << "\n";
                        return 2;
                    }
                    if (!w.materialize(a, g.weights.seed, &msg)) { err << "archscope bench: " << msg << "\n"; return 2; }
                    o.fuse = !args.flag("--no-fuse");
                    r = vk::benchDesign(g, a, w, o);
                }
                if (!r.ok) { err << "archscope bench: " << r.error << "\n"; return 1; }
                if (args.flag("--json")) {
                    json figs = json::array();
                    for (auto& f : r.figures) figs.push_back({{"name", f.name}, {"value", f.value}, {"unit", f.unit}, {"how", f.how}});
                    out << json{{"bench", what}, {"device", r.device}, {"figures", figs}}.dump(2) << "\n";
                    return 0;
                }
                out << "bench " << what << " on " << r.device << "\n";
                for (auto& f : r.figures)
                    out << "  " << std::left << std::setw(34) << f.name << std::right << std::setw(10) << std::fixed << std::setprecision(2)
                        << f.value << " " << std::left << std::setw(8) << f.unit << "  " << f.how << "\n";
                return 0;
            }};
}

}  // namespace archscope::cli
