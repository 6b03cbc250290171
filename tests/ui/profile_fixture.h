// A profile store with known sessions for the profiling-view tests and the
// docs screenshots. Every value is written here, so the tests can check what
// each view shows against these numbers.
//
//   1: "Residual MLP" on cpu, T=64: 8 nodes, 2 attention layers x 4 heads
//      (64 x 64; head 0 attends to itself, head 1 uniform, heads 2/3 local),
//      sparsity and channel stats (fc1 outliers at channels 7 and 100), memory.
//   2: the same design on vulkan: fc1 2x faster, attn 2x slower.
//   3: a changed design (fc1 out_features 512, a layernorm "norm" added).
//   4-11: two sweeps of T = 16..128 ("Softmax attention" ~T^2, "Linear attention" ~T).
#pragma once

#include "graph/design_io.h"
#include "probes/stats.h"
#include "store/profile_store.h"

#include <cmath>
#include <string>

namespace fixture {

using namespace archscope;

// The design of sessions 1 and 2 (valid: it loads and analyses).
inline std::string designJson(bool changed) {
    std::string fc1 = changed ? "512" : "256";
    std::string nodes =
        R"({"id": "x", "op": "input", "pos": [0, 0], "attrs": {"shape": "B, T, 64"}},
           {"id": "fc1", "op": "linear", "pos": [240, 0], "attrs": {"out_features": )" + fc1 + R"(}},
           {"id": "act", "op": "relu", "pos": [480, 0], "attrs": {}},
           {"id": "attn", "op": "softmax", "pos": [720, 0], "attrs": {}},
           {"id": "fc2", "op": "linear", "pos": [960, 0], "attrs": {"out_features": 64}},
           {"id": "attn2", "op": "softmax", "pos": [1200, 0], "attrs": {}},
           {"id": "residual", "op": "add", "pos": [1440, 0], "attrs": {}},
           {"id": "y", "op": "output", "pos": [)" + std::string(changed ? "1920" : "1680") + R"(, 0], "attrs": {}})";
    if (changed) nodes += R"(, {"id": "norm", "op": "layernorm", "pos": [1680, 0], "attrs": {}})";
    std::string out = changed ? R"({"from": "residual:y", "to": "norm:x"}, {"from": "norm:y", "to": "y:x"})"
                              : R"({"from": "residual:y", "to": "y:x"})";
    return R"({"format": "archscope.design", "version": 1, "metadata": {"name": "Residual MLP"},
      "symbols": [{"name": "B", "value": 1}, {"name": "T", "value": 64}],
      "nodes": [)" + nodes + R"(],
      "groups": [{"id": "mlp", "label": "MLP", "nodes": ["fc1", "act", "attn", "fc2"]}],
      "edges": [{"from": "x:y", "to": "fc1:x"}, {"from": "fc1:y", "to": "act:x"}, {"from": "act:y", "to": "attn:x"},
                {"from": "attn:y", "to": "fc2:x"}, {"from": "fc2:y", "to": "attn2:x"}, {"from": "attn2:y", "to": "residual:a"},
                {"from": "x:y", "to": "residual:b"}, )" + out + R"(],
      "weights": {"file": "", "seed": 0}})";
}

struct NodeSpec { const char* id; const char* op; double ms; int64_t flops, bytes; const char* bound; };
inline const NodeSpec kNodes[] = {
    {"x", "input", 0.010, 0, 16384, "memory"},         {"fc1", "linear", 0.400, 4194304, 98304, "compute"},
    {"act", "relu", 0.050, 16384, 131072, "memory"},   {"attn", "softmax", 0.150, 81920, 131072, "memory"},
    {"fc2", "linear", 0.300, 4194304, 98304, "compute"}, {"attn2", "softmax", 0.030, 20480, 32768, "memory"},
    {"residual", "add", 0.040, 4096, 49152, "memory"},  {"y", "output", 0.0, 0, 0, ""}};
inline constexpr double kTotal = 0.98;
inline constexpr int kT = 64, kHeads = 4, kLayers = 2;

// Attention probability of query q, key k in (layer, head); rows sum to 1.
inline float attention(int layer, int head, int q, int k) {
    if (head == 1) return 1.0f / kT;
    if (head == 0) return k == q ? 0.7f : 0.3f / (kT - 1);
    const int w = head == 2 ? 2 + layer : 8;  // local window |q - k| <= w, uniform inside
    int lo = std::max(0, q - w), hi = std::min(kT - 1, q + w);
    return std::abs(q - k) <= w ? 1.0f / float(hi - lo + 1) : 0.0f;
}

inline std::vector<int64_t> histogram(int shift) {  // small counts: stored exactly
    std::vector<int64_t> h(64);
    for (int i = 0; i < 64; ++i) h[size_t(i)] = int64_t(150 * std::exp(-0.5 * std::pow((i - 32 - shift) / 6.0, 2)));
    return h;
}

inline SessionRecord baseSession(const std::string& backend, double speedFc1, double speedAttn) {
    SessionRecord r;
    SessionInfo& i = r.info;
    i.designJson = designJson(false);
    i.designHash = "hash-a";
    i.designName = "Residual MLP";
    i.backend = backend;
    i.device = backend == "cpu" ? "Test CPU" : "llvmpipe (test)";
    i.bindings = {{"B", 1}, {"T", kT}};
    i.repeat = 10;
    i.probes = "latency,attention,sparsity,outliers,memory";
    i.startedAt = "2026-01-02T10:00:00.000Z";
    i.endedAt = "2026-01-02T10:00:01.000Z";
    for (auto& n : kNodes) {
        NodeProfile p{n.id, n.op, backend, "[1, 64, 64]", n.flops, n.bytes, 0, n.ms, n.ms * 1.2, 0, 0, n.bound};
        if (std::string(n.id) == "fc1") p.medianMs /= speedFc1;
        if (std::string(n.id) == "attn") p.medianMs /= speedAttn;
        p.gflops = p.medianMs > 0 ? double(p.flops) / p.medianMs / 1e6 : 0;
        p.gbps = p.medianMs > 0 ? double(p.bytes) / p.medianMs / 1e6 : 0;
        r.data.nodes.push_back(p);
        r.data.totalMedianMs += p.medianMs;
    }
    i.totalMs = r.data.totalMedianMs;
    r.data.ceilings = {100, 20, "test"};
    return r;
}

inline void addProbes(SessionRecord& r) {
    for (int l = 0; l < kLayers; ++l)
        for (int h = 0; h < kHeads; ++h) {
            AttentionMap m;
            m.node = l ? "attn2" : "attn";
            m.port = "y";
            m.layer = l;
            m.head = h;
            m.tq = m.tk = m.rows = m.cols = kT;
            double sum = 0, lo = 1e9;
            for (int q = 0; q < kT; ++q) {
                std::vector<float> row;
                for (int k = 0; k < kT; ++k) row.push_back(attention(l, h, q, k));
                m.data.insert(m.data.end(), row.begin(), row.end());
                double e = probes::rowEntropy(row.data(), kT);
                sum += e;
                lo = std::min(lo, e);
            }
            m.entropyMean = sum / kT;
            m.entropyMin = lo;
            r.data.attention.push_back(m);
        }
    const char* ids[] = {"fc1", "act", "attn", "fc2", "attn2", "residual"};
    const double zero[] = {0.0, 0.5, 0.0, 0.0, 0.0, 0.02}, nearZ[] = {0.01, 0.52, 0.3, 0.02, 0.6, 0.05};
    for (int k = 0; k < 6; ++k) {
        TensorStats t;
        t.node = ids[k];
        t.port = "y";
        t.shape = {1, kT, k == 0 ? 256 : 64};
        t.numel = kT * t.shape[2];
        t.hasSparsity = true;
        t.zeroFrac = zero[k];
        t.nearZeroFrac = nearZ[k];
        t.eps = 1e-3;
        t.absmax = 3.0 + k;
        t.histogram = histogram(k == 1 ? 16 : 0);
        t.hasChannels = true;
        for (int c = 0; c < t.shape[2]; ++c) t.channelAbsmax.push_back(2.0f + 0.5f * std::sin(float(c)));
        if (k == 0) {
            t.channelAbsmax[7] = 20;
            t.channelAbsmax[100] = 24;
            t.outlierChannels = {7, 100};
        }
        t.channelKurtosis.assign(t.channelAbsmax.size(), 0.f);
        r.data.tensors.push_back(t);
    }
    r.data.memory = {true, 73728, 132352, 0};
}

// Writes the sessions listed at the top to `path`; false with err.
inline bool writeStore(const std::string& path, std::string* err) {
    Database db;
    if (!db.open(path, err)) return false;
    ProfileStore store(db);
    SessionRecord a = baseSession("cpu", 1, 1), b = baseSession("vulkan", 2, 0.5), c = baseSession("cpu", 1, 1);
    addProbes(a);
    c.info.designJson = designJson(true);
    c.info.designHash = "hash-c";
    c.info.bindings["T"] = 128;
    c.data.nodes.insert(c.data.nodes.end() - 1, NodeProfile{"norm", "layernorm", "cpu", "[1, 128, 64]", 40960, 65536, 128, 0.06, 0.07, 0, 0, "memory"});
    if (!store.writeSession(a, err) || !store.writeSession(b, err) || !store.writeSession(c, err)) return false;
    const char* names[] = {"Softmax attention", "Linear attention"};
    for (int s = 0; s < 2; ++s) {
        SweepInfo w{0, "T", {16, 32, 64, 128}, s ? "hash-lin" : "hash-sm", "", {}};
        if (!store.createSweep(w, err)) return false;
        for (int64_t t : w.values) {
            SessionRecord r = baseSession("cpu", 1, 1);
            r.info.designName = names[s];
            r.info.designHash = w.designHash;
            r.info.bindings["T"] = t;
            r.data.totalMedianMs = r.info.totalMs = s ? 0.05 * double(t) : 0.001 * double(t * t);  // crossover at T = 50
            r.data.memory = {true, s ? 1024 * t : 16 * t * t, 1000, 0};
            r.info.sweepId = w.id;
            r.info.sweepValue = t;
            if (!store.writeSession(r, err)) return false;
        }
    }
    return true;
}

}  // namespace fixture
