// CpuBackend: the reference executor. Runs each node's CPU kernel in
// topological order; tensors are freed after their last use.
#include "core/registry.h"
#include "runtime/memory_budget.h"
#include "runtime/backend.h"

#include <chrono>

namespace archscope {

Tensor generateInput(const std::string& node, const NodeInfo& info, uint64_t seed) {
    const TensorType& t = info.outputs.at(0);
    Tensor x(t.dtype, shapeValues(t.shape));
    uint64_t s = seed ^ stableHash("input:" + node);
    if (t.dtype == DType::I64) fillRandomInts(x, 0, info.attrs.i("high"), s);
    else fillRandom(x, Init::Normal, 1.0f, s);
    return x;
}

namespace {

class CpuBackend final : public Backend {
public:
    std::string name() const override { return "cpu"; }

    RunResult run(const RunRequest& req) override {
        RunResult res;
        const Analysis& a = *req.analysis;
        if (!a.ok()) { res.error = "the design has errors:\n" + a.errorText(); return res; }
        if (!checkMemoryBudget(estimateMemory(a), physicalMemoryBytes(), "this machine's memory", &res.error)) return res;
        const Graph& g = a.graph();
        // Last consumer of each node's outputs, for freeing.
        std::map<std::string, size_t> lastUse;
        for (size_t i = 0; i < a.order.size(); ++i)
            for (auto& s : a.nodes.at(a.order[i]).sources)
                if (!s.empty()) lastUse[s] = i;
        std::map<std::string, std::vector<Tensor>> values;
        auto t0 = std::chrono::steady_clock::now();
        for (size_t i = 0; i < a.order.size(); ++i) {
            const std::string& id = a.order[i];
            const NodeInfo& info = a.nodes.at(id);
            const OpDef& def = *info.def;
            std::vector<Tensor> outs;
            for (auto& t : info.outputs) outs.emplace_back(t.dtype, shapeValues(t.shape));
            auto n0 = std::chrono::steady_clock::now();
            if (def.id == "input") {
                auto it = req.inputs.find(id);
                if (it != req.inputs.end()) {
                    const Tensor& given = it->second;
                    if (given.shape() != outs[0].shape() || given.dtype() != outs[0].dtype()) {
                        res.error = "input \"" + id + "\": expected " + shapeStr(outs[0].shape()) + " " + dtypeName(outs[0].dtype()) +
                                    ", got " + shapeStr(given.shape()) + " " + dtypeName(given.dtype());
                        return res;
                    }
                    outs[0] = given;
                } else {
                    outs[0] = generateInput(id, info, req.seed);
                }
            } else {
                KernelCtx k{info.attrs, {}, {}, {}};
                for (size_t p = 0; p < info.inputs.size(); ++p) {
                    if (info.sources[p].empty()) { k.inputs.push_back(nullptr); continue; }
                    auto src = g.source({id, def.inputs[p].name});
                    int oi = a.nodes.at(src->node).def->outputIndex(src->port);
                    k.inputs.push_back(&values.at(src->node)[size_t(oi)]);
                }
                for (auto& p : info.params) {
                    const Tensor* w = req.weights->find(info.weightNode, p.name);
                    if (!w) { res.error = "node \"" + id + "\": weight \"" + p.name + "\" was not materialised"; return res; }
                    k.params.push_back(w);
                }
                for (auto& o : outs) k.outputs.push_back(&o);
                try {
                    def.cpu(k);
                } catch (const std::exception& e) {
                    res.error = "node \"" + id + "\" (" + def.id + "): " + e.what();
                    return res;
                }
            }
            auto n1 = std::chrono::steady_clock::now();
            res.timings.push_back({id, def.id, std::chrono::duration<double, std::milli>(n1 - n0).count(), "cpu"});
            if (def.id == "output" && !info.sources.empty()) {
                auto src = g.source({id, def.inputs[0].name});
                int oi = a.nodes.at(src->node).def->outputIndex(src->port);
                res.outputs[id] = values.at(src->node)[size_t(oi)];
            }
            if (req.keepIntermediates)
                for (size_t o = 0; o < outs.size(); ++o) res.intermediates[id + "." + def.outputs[o].name] = outs[o];
            values[id] = std::move(outs);
            for (auto& s : info.sources)
                if (!s.empty() && lastUse[s] == i) values.erase(s);
        }
        res.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        res.ok = true;
        return res;
    }
};

}  // namespace

std::unique_ptr<Backend> makeCpuBackend() { return std::make_unique<CpuBackend>(); }

}  // namespace archscope
