// Backend: executes an analysed graph. The CPU backend is the reference;
// the Vulkan backend (runtime/vulkan) must match it.
#pragma once

#include "core/tensor.h"
#include "graph/analysis.h"
#include "runtime/weights.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace archscope {

struct NodeTiming {
    std::string node;
    std::string op;
    double ms = 0;
    std::string where;  // "cpu", "vulkan", "cpu-fallback"
};

struct RunRequest {
    const Graph* graph = nullptr;  // the design as edited; execution uses analysis->graph()
    const Analysis* analysis = nullptr;
    WeightStore* weights = nullptr;
    std::map<std::string, Tensor> inputs;  // by input-node id; missing ones are generated
    uint64_t seed = 0;
    bool keepIntermediates = false;  // return every node output (for probes)
};

struct RunResult {
    bool ok = false;
    std::string error;
    std::map<std::string, Tensor> outputs;        // by output-node id
    std::map<std::string, Tensor> intermediates;  // "node.port", when requested
    std::vector<NodeTiming> timings;              // execution order
    double totalMs = 0;     // wall time of this run (inputs in, execution, outputs out); excludes setup
    double setupMs = 0;     // one-time work done by this call before the run: plan build, weight upload,
                            // pipeline compile and warm-up (Vulkan, first run of a design); 0 when reused
    double compileMs = 0;   // part of setupMs spent creating pipelines
    double overheadMs = 0;  // run time attributed to no node: submit + fence wait beyond the GPU span,
                            // timestamp readback (Vulkan); sum(timings) + overheadMs ~= totalMs
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0;
    virtual RunResult run(const RunRequest& req) = 0;
};

std::unique_ptr<Backend> makeCpuBackend();

// Generates the input tensor of an "input" node deterministically from the seed.
Tensor generateInput(const std::string& node, const NodeInfo& info, uint64_t seed);

}  // namespace archscope

namespace archscope {

struct BackendOptions {
    std::string name = "cpu";  // "cpu" or "vulkan"
    int device = -1;           // Vulkan device index, -1 = best
    bool fuse = true;
    bool forceGpuKernels = false;
};

// Creates the requested backend. When Vulkan is requested but unavailable,
// returns the CPU backend and sets `notice` to a one-line explanation.
std::unique_ptr<Backend> makeBackend(const BackendOptions& opt, std::string* notice, std::string* err);

}  // namespace archscope
