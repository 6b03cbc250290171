// VulkanBackend (see vulkan_backend.h).
#include "runtime/vulkan/vulkan_backend.h"
#include "runtime/memory_budget.h"

#include <chrono>
#include <sstream>

namespace archscope::vk {

std::unique_ptr<VulkanBackend> VulkanBackend::create(const BackendOptions& opt, std::string* err) {
    std::unique_ptr<VulkanBackend> b(new VulkanBackend);
    b->m_opt = opt;
    b->m_ctx = VkContext::create(opt.device, err);
    if (!b->m_ctx) return nullptr;
    b->m_pipes = std::make_unique<PipelineCache>(*b->m_ctx);
    b->m_weights = std::make_unique<WeightCache>(*b->m_ctx);
    return b;
}

bool VulkanBackend::reset(std::string* err) {
    m_plans.clear();
    m_last = nullptr;
    m_weights.reset();
    m_pipes.reset();
    m_ctx.reset();
    m_ctx = VkContext::create(m_opt.device, err);
    if (!m_ctx) return false;
    m_pipes = std::make_unique<PipelineCache>(*m_ctx);
    m_weights = std::make_unique<WeightCache>(*m_ctx);
    return true;
}

VulkanBackend::~VulkanBackend() {
    m_plans.clear();  // before the caches and the context they use
    m_weights.reset();
    m_pipes.reset();
}

namespace {
int64_t largestDeviceHeap(const DeviceInfo& d) {
    uint64_t best = 0;
    for (auto& h : d.heaps)
        if (h.deviceLocal) best = std::max(best, h.size);
    return int64_t(std::min<uint64_t>(best, INT64_MAX));
}

// Everything a recorded plan depends on: structure, attrs, shapes, options.
std::string planKey(const Analysis& a, const WeightSet& w, bool keep) {
    std::ostringstream k;
    k << "keep=" << keep << ";w=" << &w << ";";
    for (auto& id : a.order) {
        const NodeInfo& n = a.nodes.at(id);
        k << id << '(' << n.def->id;
        for (auto& [name, v] : n.attrs.values()) k << ',' << name << '=' << attrValueStr(v);
        for (auto& s : n.sources) k << "<" << s;
        // Values, not the symbolic form: "[B, 64]" is the same text for every B.
        for (auto& o : n.outputs) k << '>' << dtypeName(o.dtype) << shapeStr(shapeValues(o.shape));
        k << ')';
    }
    for (auto& e : a.graph().edges()) k << e.from.node << ':' << e.from.port << '-' << e.to.node << ':' << e.to.port << ';';
    return k.str();
}
}  // namespace

RunResult VulkanBackend::run(const RunRequest& req) {
    RunResult res;
    const Analysis& a = *req.analysis;
    if (!a.ok()) { res.error = "the design has errors:\n" + a.errorText(); return res; }
    if (!req.weights) { res.error = "no weight store given"; return res; }
    if (!m_ctx) { res.error = "vulkan: the device was lost and could not be recreated"; return res; }
    if (!checkMemoryBudget(estimateMemory(a), largestDeviceHeap(m_ctx->info()),
                           "the largest device-local heap of " + m_ctx->info().name, &res.error))
        return res;  // refused before any device allocation
    try {
        const auto t0 = std::chrono::steady_clock::now();
        auto w = m_weights->get(a, *req.weights, &res.error);
        if (!w) return res;
        const std::string key = planKey(a, *w, req.keepIntermediates);
        auto it = m_plans.find(key);
        bool built = false;
        if (it == m_plans.end()) {
            if (m_plans.size() >= 4) m_plans.erase(m_plans.begin());
            PlanOptions po{m_opt.fuse, m_opt.forceGpuKernels, req.keepIntermediates};
            it = m_plans.emplace(key, std::make_unique<ExecutionPlan>(*m_ctx, *m_pipes, w, a, po)).first;
            ++m_plansBuilt;
            built = true;
        }
        const double setup = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        m_last = it->second.get();
        RunResult r = m_last->run(req);
        r.setupMs = setup;  // weight lookup (upload when new) plus, for a new plan, build, compile and warm-up
        r.compileMs = built ? m_last->stats().compileMs : 0.0;
        return r;
    } catch (const VkError& e) {
        // The run ends here; the backend stays usable. A plan that failed
        // mid-run is dropped (its buffers may hold partial results); after a
        // device loss everything on the old device is dropped and the
        // context recreated, so the next run starts clean.
        res.error = std::string("vulkan: ") + e.what();
        m_plans.clear();
        m_last = nullptr;
        if (e.result == VK_ERROR_DEVICE_LOST) {
            res.error += "; the device was lost, so the Vulkan context was reset: run again";
            std::string why;
            if (!reset(&why)) res.error += " (reset failed: " + why + ")";
        }
        return res;
    }
}

}  // namespace archscope::vk
