// ExecutionPlan, recording half: descriptor sets, one command buffer per GPU
// segment (recorded once), barriers only where a dispatch depends on an
// earlier one, one timestamp per dispatch; warm-up and teardown.
#include "runtime/vulkan/plan_internal.h"
#include "runtime/vulkan/fault.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

namespace archscope::vk {

namespace {

void memoryBarrier(VkCommandBuffer cb, VkPipelineStageFlags src, VkAccessFlags srcAccess, VkPipelineStageFlags dst,
                   VkAccessFlags dstAccess) {
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = srcAccess;
    mb.dstAccessMask = dstAccess;
    vkCmdPipelineBarrier(cb, src, dst, 0, 1, &mb, 0, nullptr, 0, nullptr);
}

}  // namespace

void ExecutionPlan::record() {
    VkDevice dev = m_ctx.device();
    std::map<VkDescriptorType, uint32_t> counts;
    for (auto& d : m_dispatches)
        for (auto& b : d.bindings) counts[descriptorType(b.kind)]++;
    std::vector<VkDescriptorPoolSize> sizes;
    for (auto& [type, n] : counts) sizes.push_back({type, n});
    if (!m_dispatches.empty()) {
        VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
        pi.maxSets = uint32_t(m_dispatches.size());
        pi.poolSizeCount = uint32_t(sizes.size());
        pi.pPoolSizes = sizes.data();
        check(vkCreateDescriptorPool(dev, &pi, nullptr, m_descPool.put(dev)), "vkCreateDescriptorPool");
    }
    uint32_t queries = 0;
    for (auto& s : m_segments)
        if (s.gpu) {
            s.firstQuery = queries;
            queries += 1 + uint32_t(s.endDispatch - s.firstDispatch);
        }
    if (queries) {
        VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
        qi.queryCount = queries;
        check(vkCreateQueryPool(dev, &qi, nullptr, m_queries.put(dev)), "vkCreateQueryPool");
    }
    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(dev, &fi, nullptr, m_fence.put(dev)), "vkCreateFence");
    for (auto& s : m_segments)
        if (s.gpu) {
            recordSegment(s);
            ++m_stats.segmentMarks;
        }
    m_stats.dispatches = int(m_dispatches.size());
    m_stats.timestampsPerRun = int(m_dispatches.size());
}

namespace {

// One descriptor as written: a storage-buffer range, or a texel view of one (format set).
struct Desc {
    VkBuffer buf;
    VkDeviceSize offset, range;
    VkFormat format;  // VK_FORMAT_UNDEFINED: storage buffer
    bool operator==(const Desc& o) const { return buf == o.buf && offset == o.offset && range == o.range && format == o.format; }
};

template <class H>
uint64_t bits(H h) {  // a handle's value (a pointer or an integer, by platform)
    uint64_t v = 0;
    std::memcpy(&v, &h, sizeof h);
    return v;
}
uint64_t mix(uint64_t h, uint64_t v) { return h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)); }
uint64_t hashDesc(const Desc& d) { return mix(mix(mix(bits(d.buf), d.offset), d.range), uint64_t(d.format)); }

bool samePipeline(const Dispatch& a, const Dispatch& b) {
    if (a.shader != b.shader || a.spec != b.spec || a.bindings.size() != b.bindings.size()) return false;
    for (size_t i = 0; i < a.bindings.size(); ++i)
        if (a.bindings[i].kind != b.bindings[i].kind) return false;
    return true;
}

}  // namespace

// Writes the descriptor sets of a segment's dispatches. Identical sets (same
// layout, same buffer ranges: common once the memory planner reuses regions)
// and identical texel views are created once; all sets are allocated in one
// call and written in one vkUpdateDescriptorSets. Reports, per dispatch, the
// byte ranges it touches (ranges[rangeEnd[k-1] .. rangeEnd[k]), isWrite per range).
void ExecutionPlan::writeDescriptors(const Segment& s, const std::vector<const Pipeline*>& pipes, std::vector<VkDescriptorSet>* sets,
                                     std::vector<Range>* ranges, std::vector<int>* rangeEnd, std::vector<uint8_t>* isWrite) {
    VkDevice dev = m_ctx.device();
    const size_t n = size_t(s.endDispatch - s.firstDispatch);
    size_t total = 0;
    for (int d = s.firstDispatch; d < s.endDispatch; ++d) total += m_dispatches[size_t(d)].bindings.size();
    std::vector<Desc> descs;
    descs.reserve(total);
    ranges->reserve(total);
    isWrite->reserve(total);
    rangeEnd->reserve(n);
    std::vector<size_t> first(n + 1);
    std::vector<int> setOf(n);              // index into the unique sets
    std::vector<size_t> owner;              // unique set -> dispatch (k) whose descriptors it holds
    std::unordered_map<uint64_t, size_t> byHash;  // set hash -> unique set (a collision just makes a new set)
    byHash.reserve(n);
    for (size_t k = 0; k < n; ++k) {
        const int d = s.firstDispatch + int(k);
        const Dispatch& dp = m_dispatches[size_t(d)];
        first[k] = descs.size();
        uint64_t h = bits(pipes[k]->setLayout);
        for (const Binding& bd : dp.bindings) {
            const TensorSlot& t = m_slots[size_t(bd.slot)];
            VkBuffer buf = t.weight ? m_weights->block->buffer() : t.side ? m_side->buffer() : m_block->buffer();
            const VkDeviceSize range = alignUp(std::max<VkDeviceSize>(t.bytes, 16), 16);
            const bool isOut = t.producer == m_dispatchStep[size_t(d)];  // outputs, including a fused activation's
            ranges->push_back({buf, t.offset, t.offset + range});
            isWrite->push_back(isOut && !t.weight);
            const VkFormat f = bd.kind == BindKind::Storage   ? VK_FORMAT_UNDEFINED
                               : bd.kind == BindKind::TexelR32F ? VK_FORMAT_R32_SFLOAT
                                                                : VK_FORMAT_R32G32B32A32_SFLOAT;
            descs.push_back({buf, t.offset, range, f});
            h = mix(h, hashDesc(descs.back()));
        }
        rangeEnd->push_back(int(ranges->size()));
        first[k + 1] = descs.size();
        auto it = byHash.find(h);
        if (it != byHash.end()) {
            const size_t o = owner[it->second];
            const bool same = pipes[o]->setLayout == pipes[k]->setLayout && first[o + 1] - first[o] == first[k + 1] - first[k] &&
                              std::equal(descs.begin() + long(first[k]), descs.begin() + long(first[k + 1]), descs.begin() + long(first[o]));
            if (same) { setOf[k] = int(it->second); continue; }
        }
        setOf[k] = int(owner.size());
        if (it == byHash.end()) byHash.emplace(h, owner.size());
        owner.push_back(k);
    }
    // All unique sets in one allocation.
    std::vector<VkDescriptorSetLayout> layouts(owner.size());
    for (size_t u = 0; u < owner.size(); ++u) layouts[u] = pipes[owner[u]]->setLayout;
    std::vector<VkDescriptorSet> unique(owner.size());
    if (!owner.empty()) {
        VkDescriptorSetAllocateInfo dsa{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        dsa.descriptorPool = m_descPool.get();
        dsa.descriptorSetCount = uint32_t(owner.size());
        dsa.pSetLayouts = layouts.data();
        check(vkAllocateDescriptorSets(dev, &dsa, unique.data()), "vkAllocateDescriptorSets");
    }
    m_stats.descriptorSets += int(unique.size());
    // Texel views, one per distinct (buffer, range, format); writes for every unique set.
    size_t writes = 0;
    for (size_t o : owner) writes += first[o + 1] - first[o];
    std::vector<VkWriteDescriptorSet> w(writes);
    std::vector<VkDescriptorBufferInfo> infos(writes);
    std::vector<VkBufferView> views(writes);
    std::vector<std::pair<Desc, VkBufferView>> made;   // views created so far
    std::unordered_map<uint64_t, size_t> viewByHash;  // view hash -> index in made
    viewByHash.reserve(writes);
    made.reserve(writes);
    size_t at = 0;
    for (size_t u = 0; u < owner.size(); ++u) {
        const size_t k = owner[u];
        for (size_t b = first[k]; b < first[k + 1]; ++b, ++at) {
            const Desc& ds = descs[b];
            w[at] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
            w[at].dstSet = unique[u];
            w[at].dstBinding = uint32_t(b - first[k]);
            w[at].descriptorCount = 1;
            if (ds.format == VK_FORMAT_UNDEFINED) {
                infos[at] = {ds.buf, ds.offset, ds.range};
                w[at].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
                w[at].pBufferInfo = &infos[at];
                continue;
            }
            const uint64_t h = hashDesc(ds);
            auto it = viewByHash.find(h);
            if (it != viewByHash.end() && made[it->second].first == ds) {
                views[at] = made[it->second].second;
            } else {
                VkBufferViewCreateInfo vi{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
                vi.buffer = ds.buf;
                vi.format = ds.format;
                vi.offset = ds.offset;
                vi.range = ds.range;
                check(vkCreateBufferView(dev, &vi, nullptr, &views[at]), "vkCreateBufferView");
                m_views.add(dev, views[at]);
                ++m_stats.texelViews;
                if (it == viewByHash.end()) viewByHash.emplace(h, made.size());
                made.push_back({ds, views[at]});
            }
            w[at].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
            w[at].pTexelBufferView = &views[at];
        }
    }
    if (!w.empty()) vkUpdateDescriptorSets(dev, uint32_t(w.size()), w.data(), 0, nullptr);
    sets->resize(n);
    for (size_t k = 0; k < n; ++k) (*sets)[k] = unique[size_t(setOf[k])];
}

void ExecutionPlan::recordSegment(Segment& s) {
    VkDevice dev = m_ctx.device();
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_ctx.commandPool();
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(dev, &ai, &s.cb), "vkAllocateCommandBuffers");
    m_commandBuffers.add(dev, ai.commandPool, s.cb);
    // Pipelines (created here on first use; compile time is reported apart), looked
    // up once per distinct (shader, binding kinds, spec constants) of the segment.
    const size_t n = size_t(s.endDispatch - s.firstDispatch);
    std::vector<const Pipeline*> pipes(n);
    std::vector<size_t> distinct;  // k of the first dispatch with each pipeline
    std::vector<BindKind> kinds;
    for (size_t k = 0; k < n; ++k) {
        const Dispatch& dp = m_dispatches[size_t(s.firstDispatch) + k];
        for (size_t j = distinct.size(); j-- > 0 && !pipes[k];)
            if (samePipeline(m_dispatches[size_t(s.firstDispatch) + distinct[j]], dp)) pipes[k] = pipes[distinct[j]];
        if (pipes[k]) continue;
        kinds.clear();
        for (auto& b : dp.bindings) kinds.push_back(b.kind);
        pipes[k] = &m_pipes.get(dp.shader, kinds, dp.spec);
        distinct.push_back(k);
    }
    std::vector<Range> ranges;
    std::vector<int> rangeEnd;
    std::vector<uint8_t> isWrite;
    writeDescriptors(s, pipes, &s.sets, &ranges, &rangeEnd, &isWrite);

    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    check(vkBeginCommandBuffer(s.cb, &bi), "vkBeginCommandBuffer");
    ++m_stats.recordings;
    ++m_stats.commandBuffers;
    VkCommandBuffer cb = s.cb;
    const uint32_t nq = 1 + uint32_t(n);
    vkCmdResetQueryPool(cb, m_queries.get(), s.firstQuery, nq);
    if (!s.uploads.empty()) {
        for (int i : s.uploads) {
            const TensorSlot& t = m_slots[size_t(i)];
            VkBufferCopy c{t.staging, t.offset, std::max<VkDeviceSize>(t.bytes, 4)};
            vkCmdCopyBuffer(cb, m_staging->buffer(), m_block->buffer(), 1, &c);
        }
        memoryBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                      VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    }
    vkCmdWriteTimestamp(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, m_queries.get(), s.firstQuery);
    std::vector<Range> reads, writes;  // since the last barrier
    reads.reserve(ranges.size());
    writes.reserve(ranges.size());
    // State already bound: a pipeline, set or push block equal to the last one is not
    // bound again (push constants survive a dispatch; they are re-pushed whenever
    // the pipeline changes, so each pipeline sees a block pushed with its own layout).
    const Pipeline* boundPipe = nullptr;
    VkDescriptorSet boundSet = VK_NULL_HANDLE;
    const Push* pushed = nullptr;
    for (size_t k = 0; k < n; ++k) {
        const Dispatch& dp = m_dispatches[size_t(s.firstDispatch) + k];
        const Pipeline& p = *pipes[k];
        const int r0 = k ? rangeEnd[k - 1] : 0, r1 = rangeEnd[k];
        bool dep = false;
        for (int i = r0; i < r1 && !dep; ++i)
            for (auto& x : writes)
                if (x.overlaps(ranges[size_t(i)])) { dep = true; break; }
        for (int i = r0; i < r1 && !dep; ++i)
            if (isWrite[size_t(i)])
                for (auto& x : reads)
                    if (x.overlaps(ranges[size_t(i)])) { dep = true; break; }
        if (dep) {
            memoryBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT,
                          VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
            reads.clear();
            writes.clear();
        }
        for (int i = r0; i < r1; ++i) (isWrite[size_t(i)] ? writes : reads).push_back(ranges[size_t(i)]);
        if (&p != boundPipe) {
            vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
            ++m_stats.pipelineBinds;
            boundPipe = &p;
            boundSet = VK_NULL_HANDLE;
            pushed = nullptr;
        }
        if (s.sets[k] != boundSet) {
            vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout, 0, 1, &s.sets[k], 0, nullptr);
            boundSet = s.sets[k];
        }
        if (!dp.push.bytes.empty() && !(pushed && pushed->bytes == dp.push.bytes)) {
            if (dp.push.bytes.size() > kPushBytes) throw VkError("push constants of " + dp.shader + " exceed 128 bytes");
            vkCmdPushConstants(cb, p.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(alignUp(dp.push.bytes.size(), 4)), dp.push.bytes.data());
            pushed = &dp.push;
        }
        vkCmdDispatch(cb, dp.groups[0], dp.groups[1], dp.groups[2]);
        vkCmdWriteTimestamp(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, m_queries.get(), s.firstQuery + 1 + uint32_t(k));
    }
    memoryBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                  VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_HOST_READ_BIT);
    if (!s.downloads.empty()) {
        for (int i : s.downloads) {
            const TensorSlot& t = m_slots[size_t(i)];
            VkBufferCopy c{t.offset, t.staging, std::max<VkDeviceSize>(t.bytes, 4)};
            vkCmdCopyBuffer(cb, m_block->buffer(), m_staging->buffer(), 1, &c);
        }
        memoryBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_READ_BIT);
    }
    check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
}

void ExecutionPlan::warmUp() {
    // Runs each GPU segment once on whatever the buffers hold, so that any
    // lazy shader compilation happens before the timed runs.
    VkFence fence = m_fence.get();
    for (auto& s : m_segments) {
        if (!s.gpu) continue;
        VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
        si.commandBufferCount = 1;
        si.pCommandBuffers = &s.cb;
        check(vkResetFences(m_ctx.device(), 1, &fence), "vkResetFences");
        const VkResult fault = injectedFault(FaultSite::Submit);  // ARCHSCOPE_FAULT=vk_submit:N
        check(fault != VK_SUCCESS ? fault : vkQueueSubmit(m_ctx.queue(), 1, &si, fence), "vkQueueSubmit");
        check(vkWaitForFences(m_ctx.device(), 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
    }
}

// Every device object is owned by a member (plan.h); m_idle waits for the device first.
ExecutionPlan::~ExecutionPlan() = default;

}  // namespace archscope::vk
