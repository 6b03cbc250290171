// Profiling overhead with every probe off (timestamps only): the wall time
// per graph execution of `runProfile` with ProbeSet none against plain
// `Backend::run` calls (what `archscope run` does), for a few templates on
// the CPU and the Vulkan backend. Blocks of R plain runs and one profile of
// R runs alternate (which goes first alternates too), so drifting machine
// load hits both; the figure is the median over rounds of (profiled per run /
// plain per run - 1), beside the ratio of the medians.
// Machine load moves single runs by 2x on a shared VM, so the profiler's own
// cost is also measured directly: the profile's backend is wrapped in a
// decorator that sums the wall time spent inside Backend::run, and the rest
// of the profile's wall time (bookkeeping, medians, input sample) is the
// overhead, reported as a share of the time inside the backend.
// usage: archscope_bench_probes [--rounds N] [--runs R] [--templates gpt,vit,...] [--backends cpu,vulkan]
#include "probes/profiler.h"
#include "runtime/backend.h"
#include "templates/template_def.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

using namespace archscope;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string t; std::getline(ss, t, ',');) out.push_back(t);
    return out;
}

// Forwards to the real backend and sums the wall time spent inside run().
class TimedBackend : public Backend {
public:
    explicit TimedBackend(Backend* inner) : m_inner(inner) {}
    std::string name() const override { return m_inner->name(); }
    RunResult run(const RunRequest& req) override {
        auto t0 = Clock::now();
        RunResult r = m_inner->run(req);
        insideMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        return r;
    }
    double insideMs = 0;

private:
    Backend* m_inner;
};

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// One template on one backend; prints a row. False when it cannot run.
bool benchOne(const std::string& name, const std::string& backendName, int rounds, int runs) {
    const TemplateDef* t = findTemplate(name);
    Graph g;
    std::string err, notice;
    if (!t || !instantiateTemplate(*t, {}, &g, &err)) { std::printf("%-10s %-7s cannot build: %s\n", name.c_str(), backendName.c_str(), err.c_str()); return false; }
    Analysis a = analyze(g, {});
    WeightStore w;
    if (!a.ok() || !w.materialize(a, 1, &err)) { std::printf("%-10s cannot analyse: %s\n", name.c_str(), err.c_str()); return false; }
    BackendOptions bo;
    bo.name = backendName;
    auto backend = makeBackend(bo, &notice, &err);
    if (!backend || (backendName == "vulkan" && !notice.empty())) {
        std::printf("%-10s %-7s skipped: %s\n", name.c_str(), backendName.c_str(), notice.empty() ? err.c_str() : notice.c_str());
        return false;
    }
    RunRequest plain{&g, &a, &w, {}, 1, false};
    for (int i = 0; i < 3; ++i) backend->run(plain);  // setup, pipelines, caches
    TimedBackend timed(backend.get());
    ProfileRequest pr{&g, &a, &w, &timed, 1, {}, {}};
    pr.options.probes = ProbeSet{};  // timestamps only
    pr.options.repeat = runs;
    pr.options.warmup = 0;
    std::vector<double> overhead, plainMs, profMs, bookkeeping;
    for (int r = 0; r < rounds; ++r) {
        double p = 0, q = 0;
        for (int half = 0; half < 2; ++half) {  // odd rounds profile first: no order bias
            if ((half == 0) == (r % 2 == 0)) {
                auto t0 = Clock::now();
                for (int i = 0; i < runs; ++i)
                    if (!backend->run(plain).ok) { std::printf("%-10s run failed\n", name.c_str()); return false; }
                p = msSince(t0) / runs;
            } else {
                ProfileData d;
                timed.insideMs = 0;
                auto t0 = Clock::now();
                if (!runProfile(pr, &d, &err)) { std::printf("%-10s profile failed: %s\n", name.c_str(), err.c_str()); return false; }
                const double total = msSince(t0);
                q = total / runs;
                bookkeeping.push_back((total - timed.insideMs) / timed.insideMs);
            }
        }
        plainMs.push_back(p);
        profMs.push_back(q);
        overhead.push_back(q / p - 1);
    }
    const double o = median(overhead);
    const double ratio = median(profMs) / median(plainMs) - 1;
    const double own = median(bookkeeping);
    std::printf("%-10s %-7s %10.3f %12.3f %+9.1f%% %+9.1f%% %9.2f%%  %s\n", name.c_str(), backend->name().c_str(), median(plainMs), median(profMs),
                o * 100, ratio * 100, own * 100, own < 0.05 ? "within 5%" : "OVER 5%");
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 15, runs = 10;
    std::string templatesArg = "gpt,vit,mamba_lm", backendsArg = "cpu,vulkan";
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--runs")) runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--templates")) templatesArg = argv[++i];
        else if (!std::strcmp(argv[i], "--backends")) backendsArg = argv[++i];
    }
    std::printf("probes off (timestamps only) vs plain runs: median of %d rounds of %d runs each\n", rounds, runs);
    std::printf("%-10s %-7s %10s %12s %10s %10s %10s\n", "template", "backend", "plain ms", "profiled ms", "med ratio", "ratio med", "profiler");
    for (auto& b : split(backendsArg))
        for (auto& t : split(templatesArg)) benchOne(t, b, rounds, runs);
    return 0;
}
