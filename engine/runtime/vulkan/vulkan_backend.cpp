// VulkanBackend (see vulkan_backend.h).
#include "runtime/vulkan/vulkan_backend.h"

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

VulkanBackend::~VulkanBackend() {
    m_plans.clear();  // before the caches and the context they use
    m_weights.reset();
    m_pipes.reset();
}

namespace {
// Everything a recorded plan depends on: structure, attrs, shapes, options.
std::string planKey(const Analysis& a, const WeightSet& w, bool keep) {
    std::ostringstream k;
    k << "keep=" << keep << ";w=" << &w << ";";
    for (auto& id : a.order) {
        const NodeInfo& n = a.nodes.at(id);
        k << id << '(' << n.def->id;
        for (auto& [name, v] : n.attrs.values()) k << ',' << name << '=' << attrValueStr(v);
        for (auto& s : n.sources) k << "<" << s;
        for (auto& o : n.outputs) k << '>' << dtypeName(o.dtype) << shapeStr(o.shape);
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
        res.error = std::string("vulkan: ") + e.what();
        return res;
    }
}

}  // namespace archscope::vk
