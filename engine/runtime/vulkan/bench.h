// Micro-benchmarks behind `archscope bench`: each builds a small design,
// runs it through the real backends (Vulkan plan with timestamps, and the
// CPU backend's Eigen kernels where a comparison is meaningful) and reports
// throughput. Qt-free; the CLI prints the results.
#pragma once

#include "runtime/backend.h"

#include <string>
#include <vector>

namespace archscope::vk {

struct BenchFigure {
    std::string name;   // "vulkan sgemm", "eigen sgemm", ...
    double value = 0;   // in `unit`
    std::string unit;   // "GFLOP/s", "GB/s", "us"
    std::string how;    // one line: what was timed
};

struct BenchResult {
    bool ok = false;
    std::string error;
    std::string device;
    std::vector<BenchFigure> figures;
};

struct BenchOptions {
    int device = -1;
    bool forceGpuKernels = false;
    int64_t size = 1024;  // gemm M = N = K
    int repeats = 5;
    bool fuse = true;  // benchDesign: false measures only the unfused plan (--no-fuse)
};

BenchResult benchGemm(const BenchOptions& o);
BenchResult benchStream(const BenchOptions& o);
BenchResult benchDispatch(const BenchOptions& o);
// A design file: end-to-end latency on Vulkan (fused, and unfused unless
// o.fuse is false) and on the CPU, dispatch counts, fusion groups, setup time.
BenchResult benchDesign(const Graph& g, const Analysis& a, WeightStore& w, const BenchOptions& o);

}  // namespace archscope::vk
