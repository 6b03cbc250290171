// archscope bench figures (see bench.h).
#include "runtime/vulkan/bench.h"

#include "runtime/vulkan/vulkan_backend.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace archscope::vk {

namespace {

struct Design {
    Graph g;
    Analysis a;
    WeightStore w;
};

bool finish(Design& d, std::string* err) {
    d.a = analyze(d.g, {});
    if (!d.a.ok()) { *err = d.a.errorText(); return false; }
    return d.w.materialize(d.a, 1, err);
}

void addInput(Graph& g, const std::string& id, const std::string& shape) { g.addNode({id, "input", {{"shape", shape}}}); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// CPU time of every thread but the calling one, in ms: on a CPU Vulkan device
// (lavapipe) that is the time its worker threads spent running the kernels.
double otherThreadsCpuMs() {
    timespec p{}, t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &p);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(p.tv_sec - t.tv_sec) * 1e3 + double(p.tv_nsec - t.tv_nsec) * 1e-6;
}

// Median of a node's timestamp time over `repeats` runs (after one untimed run);
// *cpuMs: CPU time of the other threads (the device's workers) per timed run (mean).
bool timeNode(Backend& b, Design& d, const std::string& node, int repeats, double* ms, std::string* err, double* wallMs = nullptr,
              double* cpuMs = nullptr) {
    std::vector<double> t, wall;
    double cpu0 = 0;
    std::map<std::string, Tensor> in;  // generated once, outside the timed runs
    for (auto& id : d.a.order)
        if (d.a.nodes.at(id).def->id == "input") in[id] = generateInput(id, d.a.nodes.at(id), 7);
    for (int r = 0; r <= repeats; ++r) {
        RunResult res = b.run({&d.g, &d.a, &d.w, in, 7, false});
        if (!res.ok) { *err = res.error; return false; }
        if (r == 0) { cpu0 = otherThreadsCpuMs(); continue; }
        for (auto& nt : res.timings)
            if (nt.node == node) t.push_back(nt.ms);
        wall.push_back(res.totalMs);
    }
    std::sort(t.begin(), t.end());
    std::sort(wall.begin(), wall.end());
    *ms = t[t.size() / 2];
    if (wallMs) *wallMs = wall[wall.size() / 2];
    if (cpuMs) *cpuMs = (otherThreadsCpuMs() - cpu0) / repeats;
    return true;
}

std::unique_ptr<VulkanBackend> open(const BenchOptions& o, BenchResult* r, bool fuse = true) {
    BackendOptions bo;
    bo.name = "vulkan";
    bo.fuse = fuse;
    bo.device = o.device;
    bo.forceGpuKernels = o.forceGpuKernels;
    auto vb = VulkanBackend::create(bo, &r->error);
    if (vb) r->device = vb->context().info().name + " (" + vb->context().info().type + ")";
    return vb;
}

}  // namespace

BenchResult benchGemm(const BenchOptions& o) {
    BenchResult r;
    auto vb = open(o, &r);
    if (!vb) return r;
    const std::string n = std::to_string(o.size);
    Design d;
    addInput(d.g, "a", n + ", " + n);
    addInput(d.g, "b", n + ", " + n);
    d.g.addNode({"mm", "matmul"});
    d.g.addNode({"y", "output"});
    d.g.connect({"a", "y"}, {"mm", "a"});
    d.g.connect({"b", "y"}, {"mm", "b"});
    d.g.connect({"mm", "y"}, {"y", "x"});
    if (!finish(d, &r.error)) return r;
    const double flop = 2.0 * double(o.size) * double(o.size) * double(o.size);
    double ms = 0, wall = 0, cpuMs = 0;
    if (!timeNode(*vb, d, "mm", o.repeats, &ms, &r.error, &wall, &cpuMs)) return r;
    const std::string kind = o.forceGpuKernels || !vb->context().info().isCpu ? "shared-memory tiled" : "register-blocked texel";
    r.figures.push_back({"vulkan sgemm " + n + "^3", flop / (ms * 1e6), "GFLOP/s", kind + " kernel, median GPU timestamp time of " + std::to_string(o.repeats) + " runs"});
    r.figures.push_back({"vulkan sgemm " + n + "^3 (run wall)", flop / (wall * 1e6), "GFLOP/s", "whole run: input copy-in, submit, wait, output copy-out"});
    if (vb->context().info().isCpu)
        r.figures.push_back({"vulkan sgemm " + n + "^3 per worker cpu-second", flop / (cpuMs * 1e6), "GFLOP/s",
                             "flops / CPU time of the device's worker threads: the kernel's work, less sensitive to other load than wall time"});
    if (auto* s = vb->lastStats()) r.figures.push_back({"pipeline compile", s->compileMs + s->warmupMs, "ms", "pipeline creation plus one warm-up submit (not in the figures above)"});
    auto cpu = makeCpuBackend();
    if (!timeNode(*cpu, d, "mm", o.repeats, &ms, &r.error)) return r;
    r.figures.push_back({"eigen sgemm " + n + "^3", flop / (ms * 1e6), "GFLOP/s", "CPU backend (Eigen, OpenMP threads), median of " + std::to_string(o.repeats) + " runs"});
    r.ok = true;
    return r;
}

BenchResult benchStream(const BenchOptions& o) {
    BenchResult r;
    auto vb = open(o, &r);
    if (!vb) return r;
    const int64_t n = int64_t(1) << 24;  // 64 MiB in, 64 MiB out
    Design d;
    addInput(d.g, "x", std::to_string(n));
    d.g.addNode({"s", "scale", {{"scale", 2.0}, {"bias", 1.0}}});
    d.g.addNode({"y", "output"});
    d.g.connect({"x", "y"}, {"s", "x"});
    d.g.connect({"s", "y"}, {"y", "x"});
    if (!finish(d, &r.error)) return r;
    double ms = 0, cpuMs = 0;
    if (!timeNode(*vb, d, "s", o.repeats, &ms, &r.error, nullptr, &cpuMs)) return r;
    const double bytes = 2.0 * 4.0 * double(n);
    r.figures.push_back({"vulkan stream y = 2x + 1", bytes / (ms * 1e6), "GB/s", "16M floats, vec4 texel reads, read + write bytes / GPU timestamp time"});
    if (vb->context().info().isCpu)
        r.figures.push_back({"vulkan stream per worker cpu-second", bytes / (cpuMs * 1e6), "GB/s",
                             "same bytes / CPU time of the device's worker threads (the kernel's work)"});
    auto cpu = makeCpuBackend();
    if (!timeNode(*cpu, d, "s", o.repeats, &ms, &r.error)) return r;
    r.figures.push_back({"cpu stream y = 2x + 1", bytes / (ms * 1e6), "GB/s", "CPU backend scale op, same bytes"});
    r.ok = true;
    return r;
}

BenchResult benchDispatch(const BenchOptions& o) {
    BenchResult r;
    auto vb = open(o, &r);
    if (!vb) return r;
    const int nodes = 64;
    // A chain of `nodes` relus on `width` floats (each width is a new plan).
    auto chain = [&](Design& d, int width) {
        addInput(d.g, "x", std::to_string(width));
        std::string prev = "x";
        for (int i = 0; i < nodes; ++i) {
            std::string id = "r" + std::to_string(i);
            d.g.addNode({id, "relu"});
            d.g.connect({prev, "y"}, {id, "x"});
            prev = id;
        }
        d.g.addNode({"y", "output"});
        d.g.connect({prev, "y"}, {"y", "x"});
        return finish(d, &r.error);
    };
    Design d;
    if (!chain(d, 64)) return r;
    std::vector<double> span, wall, rec, recCpu;
    for (int i = 0; i <= o.repeats; ++i) {
        RunResult res = vb->run({&d.g, &d.a, &d.w, {}, 7, false});
        if (!res.ok) { r.error = res.error; return r; }
        if (i == 0) continue;
        span.push_back(vb->lastStats()->gpuSpanMsLastRun);
        wall.push_back(res.totalMs);
    }
    const PlanStats s = *vb->lastStats();
    rec.push_back(s.recordMs);
    recCpu.push_back(s.recordCpuMs);
    // More plans of the same chain on other widths: their pipelines exist already,
    // so each build records without compiling; the median recording time is reported.
    for (int i = 1; i <= o.repeats; ++i) {
        Design e;
        if (!chain(e, 64 + 4 * i)) return r;
        RunResult res = vb->run({&e.g, &e.a, &e.w, {}, 7, false});
        if (!res.ok) { r.error = res.error; return r; }
        rec.push_back(vb->lastStats()->recordMs);
        recCpu.push_back(vb->lastStats()->recordCpuMs);
    }
    const double spanMs = median(span), wallMs = median(wall);
    r.figures.push_back({"gpu time per dispatch", 1000.0 * spanMs / nodes, "us",
                         "chain of 64 dependent relu dispatches on 64 floats: GPU span / 64 (incl. barrier + timestamp)"});
    r.figures.push_back({"run wall per node", 1000.0 * wallMs / nodes, "us", "whole run (one submit + wait) / 64"});
    r.figures.push_back({"host recording per node", 1000.0 * median(rec) / nodes, "us",
                         "descriptor sets, texel views and command recording, once per plan, / 64; median of " +
                             std::to_string(rec.size()) + " plans"});
    r.figures.push_back({"host recording per node (cpu)", 1000.0 * median(recCpu) / nodes, "us",
                         "the same, CPU time of the recording thread (not inflated when other load preempts it)"});
    r.figures.push_back({"submits per run", double(s.submitsLastRun), "", "one command buffer, recorded once, reused"});
    r.ok = true;
    return r;
}

BenchResult benchDesign(const Graph& g, const Analysis& a, WeightStore& w, const BenchOptions& o) {
    BenchResult r;
    const std::string runs = std::to_string(o.repeats);
    // Median wall time of `repeats` runs after one untimed run (which builds the plan).
    auto median = [&](Backend& b, double* ms, RunResult* first) {
        std::vector<double> t;
        for (int i = 0; i <= o.repeats; ++i) {
            RunResult res = b.run({&g, &a, &w, {}, 7, false});
            if (!res.ok) { r.error = res.error; return false; }
            if (i == 0) *first = res;
            else t.push_back(res.totalMs);
        }
        std::sort(t.begin(), t.end());
        *ms = t[t.size() / 2];
        return true;
    };
    for (bool fuse : {true, false}) {
        if (fuse && !o.fuse) continue;
        auto vb = open(o, &r, fuse);
        if (!vb) return r;
        double ms = 0;
        RunResult first;
        if (!median(*vb, &ms, &first)) return r;
        const PlanStats& s = *vb->lastStats();
        const std::string tag = fuse ? " (fused)" : " (--no-fuse)";
        r.figures.push_back({"vulkan dispatches" + tag, double(s.dispatches), "", "kernels recorded in the plan's command buffer"});
        if (fuse) {
            r.figures.push_back({"vulkan fusion groups", double(s.fusionGroups), "", std::to_string(s.fusedNodes) + " nodes run inside another node's kernel"});
            r.figures.push_back({"vulkan cpu-fallback nodes", double(s.fallbackNodes), "", "nodes without a usable Vulkan kernel"});
            r.figures.push_back({"vulkan setup", first.setupMs, "ms", "plan build, weight upload, pipeline compile (" + std::to_string(int(first.compileMs)) +
                                 " ms) and warm-up; once per design"});
        }
        r.figures.push_back({"vulkan latency" + tag, ms, "ms", "median wall time of " + runs + " runs: inputs in, one submit, outputs out"});
    }
    auto cpu = makeCpuBackend();
    double ms = 0;
    RunResult first;
    if (!median(*cpu, &ms, &first)) return r;
    r.figures.push_back({"cpu latency", ms, "ms", "CPU backend (Eigen, OpenMP), median of " + runs + " runs"});
    r.ok = true;
    return r;
}

}  // namespace archscope::vk
