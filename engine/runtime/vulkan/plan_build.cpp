// ExecutionPlan, build half: tensor slots, kernels and fusion, segments,
// memory (see plan.h).
#include "runtime/vulkan/plan_internal.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <map>

namespace archscope::vk {

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

ExecutionPlan::ExecutionPlan(VkContext& ctx, PipelineCache& pipes, std::shared_ptr<WeightSet> weights, const Analysis& a,
                             const PlanOptions& opt)
    : m_ctx(ctx), m_pipes(pipes), m_weights(std::move(weights)), m_analysis(&a), m_opt(opt) {
    auto t0 = Clock::now();
    m_family = ctx.info().isCpu && !opt.forceGpuKernels ? Family::Texel : Family::Tiled;
    createSlots(a);
    buildSteps(a);
    allocate();
    const double compile0 = m_pipes.compileMs();
    auto r0 = Clock::now();
    record();
    m_stats.compileMs = m_pipes.compileMs() - compile0;
    m_stats.recordMs = msSince(r0) - m_stats.compileMs;
    m_stats.buildMs = msSince(t0);
    auto w0 = Clock::now();
    warmUp();
    m_stats.warmupMs = msSince(w0);
    m_analysis = nullptr;
}

void ExecutionPlan::createSlots(const Analysis& a) {
    for (auto& [key, e] : m_weights->entries) {
        TensorSlot s;
        s.name = key;
        s.weight = true;
        s.offset = e.offset;
        s.bytes = e.bytes;
        s.shape = e.shape;
        m_slots.push_back(s);
    }
    for (size_t i = 0; i < a.order.size(); ++i) {
        const NodeInfo& n = a.nodes.at(a.order[i]);
        if (n.def->id == "output") continue;
        for (size_t o = 0; o < n.outputs.size(); ++o) {
            TensorSlot s;
            s.name = a.order[i] + "." + n.def->outputs[o].name;
            s.dtype = n.outputs[o].dtype;
            s.shape = shapeValues(n.outputs[o].shape);
            s.bytes = VkDeviceSize(shapeNumel(n.outputs[o].shape)) * dtypeSize(s.dtype);
            s.producer = s.first = s.last = int(i);
            s.graphInput = n.def->id == "input";
            s.hostWrite = s.graphInput;
            s.hostRead = m_opt.keepIntermediates;
            if (m_opt.keepIntermediates) s.last = INT_MAX;
            m_slots.push_back(s);
        }
    }
}

namespace {
TensorRef ref(const std::vector<TensorSlot>& slots, int s) {
    if (s < 0) return {};
    return {s, slots[size_t(s)].dtype, slots[size_t(s)].shape};
}
}  // namespace

int ExecutionPlan::slotOf(const std::string& name) const {
    auto it = m_slotIndex.find(name);
    return it == m_slotIndex.end() ? -1 : it->second;
}

void ExecutionPlan::buildSteps(const Analysis& a) {
    const Graph& g = a.graph();
    for (size_t i = 0; i < m_slots.size(); ++i) m_slotIndex[m_slots[i].name] = int(i);
    std::map<std::string, std::vector<std::string>> consumers;  // "node.port" -> consumer nodes
    for (auto& e : g.edges()) consumers[e.from.node + "." + e.from.port].push_back(e.to.node);
    std::map<std::string, std::string> fusedInto;  // activation node -> producer
    for (size_t i = 0; i < a.order.size(); ++i) {
        const std::string& id = a.order[i];
        PlanStep st;
        st.node = id;
        st.info = a.nodes.at(id);
        const OpDef& def = *st.info.def;
        for (size_t p = 0; p < def.inputs.size(); ++p) {
            auto src = g.source({id, def.inputs[p].name});
            int s = src ? slotOf(src->node + "." + src->port) : -1;
            st.in.push_back(s);
            if (s >= 0) m_slots[size_t(s)].last = std::max(m_slots[size_t(s)].last, int(i));
        }
        for (auto& o : def.outputs) st.out.push_back(def.id == "output" ? -1 : slotOf(id + "." + o.name));
        if (def.id == "input" || def.id == "output") {
            st.where = "host";
            if (def.id == "output" && st.in[0] >= 0) {
                m_slots[size_t(st.in[0])].hostRead = true;
                m_slots[size_t(st.in[0])].last = INT_MAX;
            }
        } else if (fusedInto.count(id)) {
            st.where = "vulkan-fused";
            st.note = "fused into " + fusedInto[id];
        } else {
            // A following activation is fused when this node's only output feeds only it.
            const NodeInfo* act = nullptr;
            std::string actId;
            if (m_opt.fuse && !m_opt.keepIntermediates && st.out.size() == 1) {
                auto& cons = consumers[m_slots[size_t(st.out[0])].name];
                if (cons.size() == 1) { actId = cons[0]; act = &a.nodes.at(actId); }
            }
            if (buildKernel(st, int(i), act, actId)) fusedInto[actId] = id;
        }
        m_steps.push_back(std::move(st));
    }
    makeSegments();
}

// Asks the node's kernel for dispatches (fusing `act` if both kernels allow);
// on decline the step becomes a CPU fallback. Returns true if `act` was fused.
bool ExecutionPlan::buildKernel(PlanStep& st, int i, const NodeInfo* act, const std::string& actId) {
    const VulkanKernel* k = findKernel(st.info.def->id);
    if (!k) return fallback(st, "no Vulkan kernel for op \"" + st.info.def->id + "\"");
    KernelBuild b(st.info, m_family, m_ctx.info());
    for (int s : st.in) b.inputs.push_back(ref(m_slots, s));
    for (auto& p : st.info.params) b.params.push_back(ref(m_slots, slotOf(WeightStore::key(st.info.weightNode, p.name))));
    for (int s : st.out) b.outputs.push_back(ref(m_slots, s));
    const VulkanKernel* ak = act ? findKernel(act->def->id) : nullptr;
    bool fused = k->fusesActivation && ak && ak->asActivation;
    if (fused) {
        b.act = ak->asActivation(act->attrs);
        b.outputs[0] = ref(m_slots, slotOf(actId + "." + act->def->outputs[0].name));
    }
    bool ok = false;
    try {
        ok = k->build(b);
        if (!ok && fused) {  // try again unfused
            fused = false;
            b.act = {};
            b.outputs[0] = ref(m_slots, st.out[0]);
            b.dispatches.clear();
            ok = k->build(b);
        }
    } catch (const std::exception& e) {
        ok = b.decline(e.what());
    }
    for (auto& d : b.dispatches)
        for (auto& bd : d.bindings)
            if (ok && m_slots[size_t(bd.slot)].bytes > m_ctx.info().maxStorageBufferRange) ok = b.decline("tensor larger than the device's buffer range");
    if (!ok) return fallback(st, b.reason);
    st.where = "vulkan";
    st.firstDispatch = int(m_dispatches.size());
    st.dispatchCount = int(b.dispatches.size());
    for (auto& d : b.dispatches) {
        m_dispatches.push_back(std::move(d));
        m_dispatchStep.push_back(i);
    }
    if (fused) {
        m_slots[size_t(b.outputs[0].slot)].producer = i;
        m_slots[size_t(b.outputs[0].slot)].first = i;
    }
    return fused;
}

bool ExecutionPlan::fallback(PlanStep& st, const std::string& why) {
    st.where = "cpu-fallback";
    st.note = why;
    ++m_stats.fallbackNodes;
    for (int s : st.in)
        if (s >= 0) m_slots[size_t(s)].hostRead = true;
    for (int s : st.out)
        if (s >= 0) m_slots[size_t(s)].hostWrite = true;
    return false;
}

// Segments: maximal runs of steps split at CPU fallbacks.
void ExecutionPlan::makeSegments() {
    for (size_t i = 0; i < m_steps.size(); ++i) {
        PlanStep& st = m_steps[i];
        const bool gpu = st.where == "vulkan", cpu = st.where == "cpu-fallback";
        if (!gpu && !cpu) continue;
        if (m_segments.empty() || m_segments.back().gpu != gpu) {
            Segment s;
            s.gpu = gpu;
            s.firstStep = int(i);
            s.firstDispatch = gpu ? st.firstDispatch : int(m_dispatches.size());
            s.endDispatch = s.firstDispatch;
            m_segments.push_back(s);
        }
        Segment& s = m_segments.back();
        s.endStep = int(i) + 1;
        if (gpu) s.endDispatch = st.firstDispatch + st.dispatchCount;
        st.segment = int(m_segments.size()) - 1;
    }
}

void ExecutionPlan::allocate() {
    const int end = int(m_steps.size());
    std::vector<LifetimeRequest> req;
    std::vector<int> idx;
    for (size_t i = 0; i < m_slots.size(); ++i) {
        TensorSlot& s = m_slots[i];
        if (s.weight) continue;
        if (s.graphInput) s.first = 0;  // written before the first segment
        s.last = std::min(s.last, end);
        req.push_back({s.bytes, s.first, s.last});
        idx.push_back(int(i));
        m_stats.activationBytesUnplanned += alignUp(std::max<VkDeviceSize>(s.bytes, 1), kTensorAlign);
    }
    std::vector<VkDeviceSize> off;
    m_stats.activationBytes = planLifetimes(req, &off);
    for (size_t k = 0; k < idx.size(); ++k) m_slots[size_t(idx[k])].offset = off[k];
    m_block = std::make_unique<DeviceBlock>(m_ctx, m_stats.activationBytes, m_ctx.deviceMemoryType(), m_ctx.deviceMemoryMappable());
    if (m_ctx.deviceMemoryMappable()) return;
    // Staging mirrors for every tensor the host touches, never aliased.
    VkDeviceSize total = 0;
    for (auto& s : m_slots)
        if (!s.weight && (s.hostRead || s.hostWrite)) {
            s.staging = total;
            total += alignUp(std::max<VkDeviceSize>(s.bytes, 1), kTensorAlign);
        }
    m_staging = std::make_unique<DeviceBlock>(m_ctx, total, m_ctx.hostMemoryType(), true);
    int prevGpuEnd = -1;
    bool first = true;
    for (auto& seg : m_segments) {
        if (!seg.gpu) continue;
        for (size_t i = 0; i < m_slots.size(); ++i) {
            const TensorSlot& s = m_slots[i];
            if (s.weight) continue;
            const bool hostMade = (s.graphInput && first) ||
                                  (!s.graphInput && s.hostWrite && s.producer >= prevGpuEnd && s.producer < seg.firstStep);
            if (hostMade) seg.uploads.push_back(int(i));
            if (s.hostRead && s.producer >= seg.firstStep && s.producer < seg.endStep && m_steps[size_t(s.producer)].where == "vulkan")
                seg.downloads.push_back(int(i));
        }
        prevGpuEnd = seg.endStep;
        first = false;
    }
}

std::byte* ExecutionPlan::hostPtr(int slot) const {
    const TensorSlot& s = m_slots[size_t(slot)];
    if (m_staging) return m_staging->host(s.staging);
    return m_block->host(s.offset);
}

}  // namespace archscope::vk
