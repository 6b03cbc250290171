// Profiler: runs an analysed design on a backend and gathers ProfileData.
//
// Timing: `warmup` untimed runs, then `repeat` timed runs; per node the
// median and p95 of the backend's per-node times. Tensor probes (attention,
// sparsity, outliers) use one extra, untimed run that keeps every node
// output, so they never perturb the timings. With no probe enabled only the
// timestamps are kept (median/p95 ms per node). The sparsity probe also
// counts the per-expert load of every router_load output (MoE routers).
// Input samples (token ids and labels, image thumbnails) are always kept.
#pragma once

#include "graph/analysis.h"
#include "probes/profile_data.h"
#include "runtime/backend.h"

#include <functional>
#include <map>
#include <vector>
#include <string>

namespace archscope {

struct DeviceInfo {
    std::string name;    // "AMD EPYC 7B13", "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string driver;  // driver / kernel version
};

struct ProfileRequest {
    const Graph* graph = nullptr;
    const Analysis* analysis = nullptr;
    WeightStore* weights = nullptr;
    Backend* backend = nullptr;
    uint64_t seed = 0;
    ProbeOptions options;
    Ceilings ceilings;  // for the latency probe's verdicts
    std::map<std::string, Tensor> inputs;  // by input-node id; missing ones are generated from the seed
    std::vector<std::string> vocab;        // token strings by id (probes/inputs.h), for the stored token labels
};

bool runProfile(const ProfileRequest& req, ProfileData* out, std::string* err);

// Measures roofline ceilings on `backend` (a fraction of a second).
bool measureCeilings(Backend& backend, Ceilings* out, std::string* err);

// Device name and driver of the backend (CPU model and kernel for the CPU).
DeviceInfo describeDevice(Backend& backend);

}  // namespace archscope
