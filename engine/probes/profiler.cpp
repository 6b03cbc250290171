#include "probes/profiler.h"

#include "probes/inputs.h"
#include "probes/probes.h"
#include "probes/stats.h"

#include <map>
#include <sstream>

namespace archscope {

std::string ProbeSet::str() const {
    std::string s;
    auto add = [&](bool on, const char* name) {
        if (on) s += (s.empty() ? "" : ",") + std::string(name);
    };
    add(latency, "latency");
    add(attention, "attention");
    add(sparsity, "sparsity");
    add(outliers, "outliers");
    add(memory, "memory");
    return s;
}

bool ProbeSet::parse(const std::string& text, ProbeSet* out, std::string* err) {
    *out = ProbeSet{};
    if (text == "all") { *out = all(); return true; }
    if (text == "none" || text.empty()) return true;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        bool* flag = item == "latency" ? &out->latency : item == "attention" ? &out->attention : item == "sparsity" ? &out->sparsity
                     : item == "outliers" ? &out->outliers : item == "memory" ? &out->memory : nullptr;
        if (!flag) {
            *err = "unknown probe \"" + item + "\" (choose from latency, attention, sparsity, outliers, memory, all, none)";
            return false;
        }
        *flag = true;
    }
    return true;
}

namespace {

// Per-node median/p95 over the timed runs, plus the static cost model.
bool timeNodes(const ProfileRequest& req, ProfileData* out, std::string* err) {
    const Analysis& a = *req.analysis;
    const ProbeOptions& o = req.options;
    RunRequest run{req.graph, req.analysis, req.weights, req.inputs, req.seed, false};
    std::vector<NodeTiming> order;
    std::map<std::string, std::vector<double>> times;
    std::vector<double> totals;
    for (int r = 0; r < o.warmup + o.repeat; ++r) {
        RunResult res = req.backend->run(run);
        if (!res.ok) { *err = res.error; return false; }
        if (r < o.warmup) continue;
        if (order.empty()) order = res.timings;
        for (auto& t : res.timings) times[t.node].push_back(t.ms);
        totals.push_back(res.totalMs);
    }
    out->totalMedianMs = probes::median(totals);
    for (auto& t : order) {
        NodeProfile n;
        n.node = t.node;
        n.op = t.op;
        n.where = t.where;
        n.medianMs = probes::median(times[t.node]);
        n.p95Ms = probes::percentile95(times[t.node]);
        if (auto it = a.nodes.find(t.node); it != a.nodes.end()) {
            const NodeInfo& info = it->second;
            if (!info.outputs.empty()) n.outputShape = shapeStr(shapeValues(info.outputs[0].shape));
            n.flops = info.flops;
            n.bytes = info.bytes;
            n.params = info.paramCount;
        }
        if (o.probes.latency && n.medianMs > 0) {
            n.gflops = double(n.flops) / (n.medianMs * 1e6);
            n.gbps = double(n.bytes) / (n.medianMs * 1e6);
        }
        if (o.probes.latency) n.bound = probes::boundVerdict(n.flops, n.bytes, req.ceilings);
        out->nodes.push_back(std::move(n));
    }
    return true;
}

// One untimed run keeping every output; attention maps and tensor statistics.
bool probeTensors(const ProfileRequest& req, ProfileData* out, std::string* err) {
    const Analysis& a = *req.analysis;
    const ProbeOptions& o = req.options;
    RunRequest run{req.graph, req.analysis, req.weights, req.inputs, req.seed, true};
    RunResult res = req.backend->run(run);
    if (!res.ok) { *err = res.error; return false; }
    int layer = 0;
    for (auto& id : a.order) {
        const NodeInfo& info = a.nodes.at(id);
        if (!info.def) continue;
        for (size_t p = 0; p < info.outputs.size() && p < info.def->outputs.size(); ++p) {
            const std::string& port = info.def->outputs[p].name;
            auto it = res.intermediates.find(id + "." + port);
            if (it == res.intermediates.end()) continue;
            if (o.probes.attention && probes::isAttentionOutput(*info.def, int(p), info.outputs[p], info.attrs)) {
                auto maps = probes::attentionMaps(id, port, layer++, it->second, o.maxAttentionTokens);
                for (auto& m : maps) out->attention.push_back(std::move(m));
            }
            if (o.probes.sparsity && info.def->outputs[p].probe == "router_load" && !info.inputs.empty() && info.inputs[0] &&
                it->second.dtype() == DType::F32 && it->second.rank() == 1 && it->second.numel() > 0) {
                const int64_t experts = it->second.numel();
                out->routers.push_back(probes::routerLoad(id, port, it->second, shapeNumel(info.inputs[0]->shape) / experts));
            }
            if (o.probes.sparsity || o.probes.outliers) {
                TensorStats t = probes::tensorStats(id, port, it->second, o);
                if (t.hasSparsity || t.hasChannels) out->tensors.push_back(std::move(t));
            }
        }
    }
    return true;
}

}  // namespace

bool runProfile(const ProfileRequest& req, ProfileData* out, std::string* err) {
    *out = ProfileData{};
    if (!req.analysis || !req.analysis->ok()) {
        *err = "the design has errors:\n" + (req.analysis ? req.analysis->errorText() : std::string());
        return false;
    }
    if (req.options.repeat < 1 || req.options.warmup < 0) { *err = "repeat must be >= 1 and warmup >= 0"; return false; }
    if (req.options.probes.latency) out->ceilings = req.ceilings;
    if (!timeNodes(req, out, err)) return false;
    const ProbeSet& p = req.options.probes;
    if ((p.attention || p.sparsity || p.outliers) && !probeTensors(req, out, err)) return false;
    if (p.memory) out->memory = probes::memoryStats(*req.analysis);
    out->inputs = probes::inputSamples(*req.analysis, req.inputs, req.seed, req.vocab);
    return true;
}

}  // namespace archscope
