// ExecutionPlan, build half: tensor slots, kernels and fusion, segments,
// memory (see plan.h).
#include "runtime/vulkan/plan_internal.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>
#include <map>

namespace archscope::vk {

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}
}  // namespace

ExecutionPlan::ExecutionPlan(VkContext& ctx, PipelineCache& pipes, std::shared_ptr<WeightSet> weights, const Analysis& a,
                             const PlanOptions& opt)
    : m_ctx(ctx), m_pipes(pipes), m_weights(std::move(weights)), m_analysis(&a), m_opt(opt), m_idle(ctx.device()) {
    auto t0 = Clock::now();
    m_family = ctx.info().isCpu && !opt.forceGpuKernels ? Family::Texel : Family::Tiled;
    createSlots(a);
    buildSteps(a);
    allocate();
    const double compile0 = m_pipes.compileMs();
    auto r0 = Clock::now();
    const double c0 = threadCpuMs();
    record();
    m_stats.compileMs = m_pipes.compileMs() - compile0;
    m_stats.recordMs = msSince(r0) - m_stats.compileMs;
    m_stats.recordCpuMs = std::max(0.0, threadCpuMs() - c0 - m_stats.compileMs);
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
            s.tensor = {a.order[i], n.def->outputs[o].name};
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

int ExecutionPlan::slotOf(const PortRef& tensor) const {
    auto it = m_tensorIndex.find(tensor);
    return it == m_tensorIndex.end() ? -1 : it->second;
}

int ExecutionPlan::weightSlot(const std::string& key) const {
    auto it = m_weightIndex.find(key);
    return it == m_weightIndex.end() ? -1 : it->second;
}

void ExecutionPlan::buildSteps(const Analysis& a) {
    const Graph& g = a.graph();
    for (size_t i = 0; i < m_slots.size(); ++i) {
        if (m_slots[i].weight) m_weightIndex[m_slots[i].name] = int(i);
        else m_tensorIndex[m_slots[i].tensor] = int(i);
    }
    // Fusion groups (none when fusion is off or every intermediate must be kept for probes).
    std::vector<FusionGroup> groups;
    if (m_opt.fuse && !m_opt.keepIntermediates) groups = findFusions(a, m_ctx.info(), m_family);
    std::map<std::string, const FusionGroup*> groupOf;
    for (auto& gr : groups)
        for (auto& n : gr.nodes) groupOf[n] = &gr;
    m_stats.fusionGroups = int(groups.size());
    for (auto& gr : groups) m_stats.fusedNodes += int(gr.nodes.size()) - 1;
    for (size_t i = 0; i < a.order.size(); ++i) {
        const std::string& id = a.order[i];
        PlanStep st;
        st.node = id;
        st.info = a.nodes.at(id);
        const OpDef& def = *st.info.def;
        for (size_t p = 0; p < def.inputs.size(); ++p) {
            auto src = g.source({id, def.inputs[p].name});
            int s = src ? slotOf(*src) : -1;
            st.in.push_back(s);
            if (s >= 0) m_slots[size_t(s)].last = std::max(m_slots[size_t(s)].last, int(i));
        }
        for (auto& o : def.outputs) st.out.push_back(def.id == "output" ? -1 : slotOf({id, o.name}));
        auto grp = groupOf.find(id);
        if (def.id == "input" || def.id == "output") {
            st.where = "host";
            if (def.id == "output" && st.in[0] >= 0) {
                m_slots[size_t(st.in[0])].hostRead = true;
                m_slots[size_t(st.in[0])].last = INT_MAX;
            }
        } else if (grp != groupOf.end() && grp->second->anchor() != id) {
            st.where = "vulkan-fused";
            st.note = "fused into " + grp->second->anchor() + " (" + grp->second->kind + ")";
            for (int s : st.out)  // never written: takes no memory
                if (s >= 0) m_slots[size_t(s)].bytes = 0;
        } else {
            buildKernel(st, int(i), grp == groupOf.end() ? nullptr : grp->second);
        }
        m_steps.push_back(std::move(st));
    }
    makeSegments();
}

int ExecutionPlan::addExtra(const ExtraTensor& e, int step, const std::string& node) {
    TensorSlot s;
    s.name = node + "#" + std::to_string(m_slots.size());
    s.dtype = e.dtype;
    s.shape = e.shape;
    int64_t n = 1;
    for (auto d : e.shape) n *= d;
    s.bytes = VkDeviceSize(n) * dtypeSize(e.dtype);
    if (e.kind == ExtraTensor::Constant && int64_t(e.data.size()) != n)
        throw VkError("node \"" + node + "\": constant of " + std::to_string(e.data.size()) + " floats for a shape of " + std::to_string(n));
    s.first = s.last = step;
    if (e.kind == ExtraTensor::Scratch) {
        s.producer = step;
    } else {
        s.side = true;
        s.constData = e.data;
        s.status = e.message;
        if (e.kind == ExtraTensor::Status) { s.producer = step; s.bytes = 16; }
    }
    m_slots.push_back(s);
    return int(m_slots.size()) - 1;
}

// Asks the node's kernel (or its fusion group's kernel) for dispatches; on
// decline the step becomes a CPU fallback (a group's kernel has accepted its
// shapes in the fusion pass's dry run, so a group does not fall back).
bool ExecutionPlan::buildKernel(PlanStep& st, int i, const FusionGroup* group) {
    const VulkanKernel* k = findKernel(group ? group->kernel : st.info.def->id);
    if (!k) return fallback(st, "no Vulkan kernel for op \"" + st.info.def->id + "\"");
    KernelBuild b(st.info, group ? group->attrs : st.info.attrs, m_family, m_ctx.info());
    b.newTensor = [this, i, &st](const ExtraTensor& e) { return addExtra(e, i, st.node); };
    if (group) {
        for (auto& t : group->inputs) {
            const int s = t.node.empty() ? -1 : slotOf(t);
            b.inputs.push_back(ref(m_slots, s));
            if (s >= 0) m_slots[size_t(s)].last = std::max(m_slots[size_t(s)].last, i);  // read here, at the anchor
        }
        for (auto& key : group->params) b.params.push_back(ref(m_slots, weightSlot(key)));
        b.act = group->act;
        if (!group->residual.node.empty()) {
            const int s = slotOf(group->residual);
            b.residual = ref(m_slots, s);
            m_slots[size_t(s)].last = std::max(m_slots[size_t(s)].last, i);
        }
        st.note = "runs " + group->kind + " of";
        for (auto& n : group->nodes) st.note += " " + n;
    } else {
        for (int s : st.in) b.inputs.push_back(ref(m_slots, s));
        for (auto& p : st.info.params) b.params.push_back(ref(m_slots, weightSlot(WeightStore::key(st.info.weightNode, p.name))));
    }
    for (int s : st.out) b.outputs.push_back(ref(m_slots, s));
    bool ok = false;
    try {
        ok = k->build(b);
    } catch (const std::exception& e) {
        ok = b.decline(e.what());
    }
    for (auto& d : b.dispatches)
        for (auto& bd : d.bindings)
            if (ok && m_slots[size_t(bd.slot)].bytes > m_ctx.info().maxStorageBufferRange) ok = b.decline("tensor larger than the device's buffer range");
    if (!ok && group) throw VkError("fused kernel " + group->kernel + " at node \"" + st.node + "\" declined after its dry run: " + b.reason);
    if (!ok) return fallback(st, b.reason);
    st.where = "vulkan";
    st.firstDispatch = int(m_dispatches.size());
    st.dispatchCount = int(b.dispatches.size());
    for (auto& d : b.dispatches) {
        m_dispatches.push_back(std::move(d));
        m_dispatchStep.push_back(i);
    }
    return true;
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
        if (s.weight || s.side) continue;
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
    allocateSide();
    if (m_ctx.deviceMemoryMappable()) return;
    // Staging mirrors for every tensor the host touches, never aliased.
    VkDeviceSize total = 0;
    for (auto& s : m_slots)
        if (!s.weight && !s.side && (s.hostRead || s.hostWrite)) {
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
            if (s.weight || s.side) continue;
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

// Constants and status words: one small host-visible block, written by the host directly.
void ExecutionPlan::allocateSide() {
    VkDeviceSize total = 0;
    for (auto& s : m_slots)
        if (s.side) {
            s.offset = total;
            total += alignUp(std::max<VkDeviceSize>(s.bytes, 16), kTensorAlign);
        }
    if (!total) return;
    m_side = std::make_unique<DeviceBlock>(m_ctx, total, m_ctx.hostMemoryType(), true);
    for (auto& s : m_slots)
        if (s.side) {
            std::memset(m_side->host(s.offset), 0, s.bytes);
            if (!s.constData.empty()) std::memcpy(m_side->host(s.offset), s.constData.data(), s.constData.size() * sizeof(float));
        }
}

std::byte* ExecutionPlan::hostPtr(int slot) const {
    const TensorSlot& s = m_slots[size_t(slot)];
    if (s.side) return m_side->host(s.offset);
    if (m_staging) return m_staging->host(s.staging);
    return m_block->host(s.offset);
}

}  // namespace archscope::vk
