// The measurements of one profiling session, as produced by the Profiler
// (probes/profiler.h) and stored by the ProfileStore (store/profile_store.h).
// Plain values only: no pointers into the graph, so a session outlives it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace archscope {

// Which probes run. All off = timestamps only (per-node median/p95 ms).
struct ProbeSet {
    bool latency = false;    // GFLOP/s, GB/s and a roofline verdict per node
    bool attention = false;  // attention maps and entropies
    bool sparsity = false;   // zero fractions and histograms of every output
    bool outliers = false;   // per-channel absmax / kurtosis, outlier channels
    bool memory = false;     // peak activation, weight and KV-cache bytes

    bool any() const { return latency || attention || sparsity || outliers || memory; }
    static ProbeSet all() { return {true, true, true, true, true}; }
    std::string str() const;  // "latency,attention" ("" when none)
    // Parses "latency,attention,..." or "all" or "none"; false with a message.
    static bool parse(const std::string& text, ProbeSet* out, std::string* err);
};

struct ProbeOptions {
    ProbeSet probes;
    int repeat = 10;             // timed runs
    int warmup = 2;              // untimed runs before them
    double eps = 1e-3;           // near-zero threshold |x| < eps
    int histBins = 64;           // over [-absmax, absmax]
    int maxAttentionTokens = 1024;  // longer maps are mean-pooled in blocks
    double outlierFactor = 6.0;  // channel absmax > factor * median channel absmax
};

// Measured ceilings of one device, for the roofline verdict.
struct Ceilings {
    double gflops = 0;  // peak f32 GFLOP/s
    double gbps = 0;    // peak memory bandwidth, GB/s (1e9 bytes)
    std::string method;
};

struct NodeProfile {
    std::string node, op;
    std::string where;        // "cpu", "vulkan", "cpu-fallback"
    std::string outputShape;  // "[2, 16, 64]" (first output), "" when none
    int64_t flops = 0, bytes = 0, params = 0;
    double medianMs = 0, p95Ms = 0;
    double gflops = 0, gbps = 0;  // achieved, from the median (0 without the latency probe)
    std::string bound;            // "memory", "compute" or "" (latency probe off)
    bool operator==(const NodeProfile&) const = default;
};

// One head of one attention tensor, batch element 0. `data` is rows x cols,
// row-major; rows = ceil(tq / pool), cols = ceil(tk / pool).
struct AttentionMap {
    std::string node, port;
    int layer = 0;  // index of the attention tensor in execution order
    int head = 0;
    int64_t tq = 0, tk = 0;
    int pool = 1;  // block size of the mean pooling (1 = full map)
    int64_t rows = 0, cols = 0;
    std::vector<float> data;
    double entropyMean = 0, entropyMin = 0;  // nats, over all batches and queries
    bool operator==(const AttentionMap&) const = default;
};

// Statistics of one node output ("node.port"); f32 tensors only.
struct TensorStats {
    std::string node, port;
    std::vector<int64_t> shape;
    int64_t numel = 0;
    // sparsity probe
    bool hasSparsity = false;
    double zeroFrac = 0, nearZeroFrac = 0, eps = 0;
    double absmax = 0;                // histogram range is [-absmax, absmax]
    std::vector<int64_t> histogram;   // bin counts
    // outliers probe (last axis = channels)
    bool hasChannels = false;
    std::vector<float> channelAbsmax, channelKurtosis;  // excess kurtosis
    std::vector<int64_t> outlierChannels;
    bool operator==(const TensorStats&) const = default;
};

// Router load of one MoE router output (an output port whose op marks it
// probe = "router_load", holding per-expert shares [E]): tokens routed to each
// expert, counted over all tokens of the run (every batch element).
struct RouterLoad {
    std::string node, port;       // e.g. "layer0_moe/route", "load" (before capacity) or "kept" (after)
    int64_t tokens = 0;           // tokens routed by this router (numel of its probabilities / E)
    std::vector<int64_t> counts;  // per expert: assignments (a token with k experts counts k times)
    std::vector<double> fractions;  // counts / tokens (sums to k for "load")
    bool operator==(const RouterLoad&) const = default;
};

// What went into the design: token ids (with their vocabulary strings) or a
// thumbnail of an image input, batch element 0. Lets the views label
// attention axes with tokens and show the image under the patch grid.
struct InputSample {
    std::string node;
    std::string kind;                 // "tokens" or "image"
    std::vector<int64_t> tokens;      // kind tokens: ids along the sequence
    std::vector<std::string> labels;  // kind tokens: vocabulary strings of the ids (empty without a vocabulary)
    int width = 0, height = 0;        // kind image: thumbnail size
    std::vector<uint8_t> rgb;         // kind image: width * height * 3 bytes, row-major
    bool operator==(const InputSample&) const = default;
};

struct MemoryStats {
    bool measured = false;
    int64_t peakActivationBytes = 0;
    int64_t weightsBytes = 0;
    int64_t kvCacheBytes = 0;
    bool operator==(const MemoryStats&) const = default;
};

struct ProfileData {
    double totalMedianMs = 0;
    std::vector<NodeProfile> nodes;  // execution order
    std::vector<AttentionMap> attention;
    std::vector<TensorStats> tensors;
    std::vector<RouterLoad> routers;  // sparsity probe: every router_load output
    std::vector<InputSample> inputs;  // always (cheap): token ids / image thumbnail
    MemoryStats memory;
    Ceilings ceilings;  // used for the verdicts (zero without the latency probe)
};

}  // namespace archscope
