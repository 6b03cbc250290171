// Roofline ceilings measured through the backend itself, so they hold for the
// device that runs the profile: a 512x512x512 GEMM (linear, no bias) gives the
// compute ceiling, an elementwise add of two 4M-float vectors (48 MiB moved,
// larger than the caches) the bandwidth ceiling. Best of 3 timed runs after
// one warm-up; achieved = static flops (or bytes) / measured time.
#include "probes/profiler.h"

#include "runtime/vulkan/vulkan_backend.h"
#include "runtime/weights.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sys/utsname.h>

namespace archscope {

namespace {

Graph ceilingGraph() {
    Graph g;
    g.addNode({"gemm_x", "input", {{"shape", std::string("512, 512")}}});
    g.addNode({"gemm", "linear", {{"out_features", int64_t(512)}, {"bias", false}}});
    g.addNode({"gemm_y", "output"});
    g.addNode({"stream_a", "input", {{"shape", std::string("4194304")}}});
    g.addNode({"stream_b", "input", {{"shape", std::string("4194304")}}});
    g.addNode({"stream", "add"});
    g.addNode({"stream_y", "output"});
    g.connect({"gemm_x", "y"}, {"gemm", "x"});
    g.connect({"gemm", "y"}, {"gemm_y", "x"});
    g.connect({"stream_a", "y"}, {"stream", "a"});
    g.connect({"stream_b", "y"}, {"stream", "b"});
    g.connect({"stream", "y"}, {"stream_y", "x"});
    return g;
}

}  // namespace

bool measureCeilings(Backend& backend, Ceilings* out, std::string* err) {
    Graph g = ceilingGraph();
    Analysis a = analyze(g, {});
    if (!a.ok()) { *err = "ceiling benchmark: " + a.errorText(); return false; }
    WeightStore w;
    if (!w.materialize(a, 1, err)) return false;
    RunRequest req{&g, &a, &w, {}, 1, false};
    for (const char* in : {"gemm_x", "stream_a", "stream_b"})
        req.inputs[in] = Tensor(DType::F32, shapeValues(a.nodes.at(in).outputs[0].shape));
    double gemmMs = std::numeric_limits<double>::infinity(), streamMs = gemmMs;
    for (int r = 0; r < 4; ++r) {
        RunResult res = backend.run(req);
        if (!res.ok) { *err = "ceiling benchmark: " + res.error; return false; }
        if (r == 0) continue;
        for (auto& t : res.timings) {
            if (t.node == "gemm") gemmMs = std::min(gemmMs, t.ms);
            if (t.node == "stream") streamMs = std::min(streamMs, t.ms);
        }
    }
    if (!(gemmMs > 0) || !(streamMs > 0) || !std::isfinite(gemmMs) || !std::isfinite(streamMs)) {
        *err = "ceiling benchmark: the backend reported no time for the benchmark nodes";
        return false;
    }
    out->gflops = double(a.nodes.at("gemm").flops) / (gemmMs * 1e6);
    out->gbps = double(a.nodes.at("stream").bytes) / (streamMs * 1e6);
    out->method = "best of 3: linear 512x512x512 (GFLOP/s), add 2x4M f32 (GB/s) on " + backend.name();
    return true;
}

DeviceInfo describeDevice(Backend& backend) {
    DeviceInfo d;
    utsname u{};
    std::string kernel = uname(&u) == 0 ? std::string(u.sysname) + " " + u.release : "unknown";
    if (backend.name() == "cpu") {
        std::ifstream f("/proc/cpuinfo");
        std::string line;
        while (std::getline(f, line))
            if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
                d.name = line.substr(line.find(':') + 2);
                break;
            }
        if (d.name.empty()) d.name = u.machine[0] ? std::string(u.machine) + " CPU" : "CPU";
        d.driver = kernel;
    } else if (auto* vkb = dynamic_cast<vk::VulkanBackend*>(&backend)) {
        const vk::DeviceInfo& info = vkb->context().info();
        d.name = info.name;
        d.driver = info.driver + (info.driverInfo.empty() ? "" : " " + info.driverInfo) + ", Vulkan " + info.apiVersion;
    } else {
        d.name = backend.name() + " device";
        d.driver = "unknown (" + kernel + ")";
    }
    return d;
}

}  // namespace archscope
