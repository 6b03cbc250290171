// ExecutionPlan, recording half: descriptor sets, one command buffer per GPU
// segment (recorded once), barriers only where a dispatch depends on an
// earlier one, one timestamp per dispatch; warm-up and teardown.
#include "runtime/vulkan/plan_internal.h"
#include "runtime/vulkan/fault.h"

#include <algorithm>
#include <map>

namespace archscope::vk {

namespace {

bool anyOverlap(const std::vector<Range>& a, const std::vector<Range>& b) {
    for (auto& x : a)
        for (auto& y : b)
            if (x.overlaps(y)) return true;
    return false;
}

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

// Allocates and writes the descriptor set of dispatch `d`; reports the byte
// ranges it reads and writes (outputs are the slots this dispatch's step produces).
VkDescriptorSet ExecutionPlan::writeDescriptors(int d, const Pipeline& p, std::vector<Range>* reads, std::vector<Range>* writes) {
    VkDevice dev = m_ctx.device();
    const Dispatch& dp = m_dispatches[size_t(d)];
    VkDescriptorSetAllocateInfo dsa{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    dsa.descriptorPool = m_descPool.get();
    dsa.descriptorSetCount = 1;
    dsa.pSetLayouts = &p.setLayout;
    VkDescriptorSet set;
    check(vkAllocateDescriptorSets(dev, &dsa, &set), "vkAllocateDescriptorSets");
    std::vector<VkDescriptorBufferInfo> infos(dp.bindings.size());
    std::vector<VkBufferView> views(dp.bindings.size());
    std::vector<VkWriteDescriptorSet> w(dp.bindings.size());
    for (size_t b = 0; b < dp.bindings.size(); ++b) {
        const Binding& bd = dp.bindings[b];
        const TensorSlot& t = m_slots[size_t(bd.slot)];
        VkBuffer buf = t.weight ? m_weights->block->buffer() : t.side ? m_side->buffer() : m_block->buffer();
        const VkDeviceSize range = alignUp(std::max<VkDeviceSize>(t.bytes, 16), 16);
        const bool isOut = t.producer == m_dispatchStep[size_t(d)];  // outputs, including a fused activation's
        (isOut && !t.weight ? *writes : *reads).push_back({buf, t.offset, t.offset + range});
        w[b] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        w[b].dstSet = set;
        w[b].dstBinding = uint32_t(b);
        w[b].descriptorCount = 1;
        if (bd.kind == BindKind::Storage) {
            infos[b] = {buf, t.offset, range};
            w[b].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            w[b].pBufferInfo = &infos[b];
        } else {
            VkBufferViewCreateInfo vi{VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO};
            vi.buffer = buf;
            vi.format = bd.kind == BindKind::TexelR32F ? VK_FORMAT_R32_SFLOAT : VK_FORMAT_R32G32B32A32_SFLOAT;
            vi.offset = t.offset;
            vi.range = range;
            check(vkCreateBufferView(dev, &vi, nullptr, &views[b]), "vkCreateBufferView");
            m_views.add(dev, views[b]);
            w[b].descriptorType = descriptorType(bd.kind);
            w[b].pTexelBufferView = &views[b];
        }
    }
    vkUpdateDescriptorSets(dev, uint32_t(w.size()), w.data(), 0, nullptr);
    return set;
}

void ExecutionPlan::recordSegment(Segment& s) {
    VkDevice dev = m_ctx.device();
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_ctx.commandPool();
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(dev, &ai, &s.cb), "vkAllocateCommandBuffers");
    m_commandBuffers.add(dev, ai.commandPool, s.cb);
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    check(vkBeginCommandBuffer(s.cb, &bi), "vkBeginCommandBuffer");
    ++m_stats.recordings;
    ++m_stats.commandBuffers;
    VkCommandBuffer cb = s.cb;
    const uint32_t nq = 1 + uint32_t(s.endDispatch - s.firstDispatch);
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
    for (int d = s.firstDispatch; d < s.endDispatch; ++d) {
        const Dispatch& dp = m_dispatches[size_t(d)];
        std::vector<BindKind> kinds;
        for (auto& b : dp.bindings) kinds.push_back(b.kind);
        const Pipeline& p = m_pipes.get(dp.shader, kinds, dp.spec);
        std::vector<Range> myReads, myWrites;
        VkDescriptorSet set = writeDescriptors(d, p, &myReads, &myWrites);
        s.sets.push_back(set);
        if (anyOverlap(myReads, writes) || anyOverlap(myWrites, writes) || anyOverlap(myWrites, reads)) {
            memoryBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT,
                          VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
            reads.clear();
            writes.clear();
        }
        reads.insert(reads.end(), myReads.begin(), myReads.end());
        writes.insert(writes.end(), myWrites.begin(), myWrites.end());
        vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
        vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout, 0, 1, &set, 0, nullptr);
        if (!dp.push.bytes.empty()) {
            if (dp.push.bytes.size() > kPushBytes) throw VkError("push constants of " + dp.shader + " exceed 128 bytes");
            vkCmdPushConstants(cb, p.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(alignUp(dp.push.bytes.size(), 4)), dp.push.bytes.data());
        }
        vkCmdDispatch(cb, dp.groups[0], dp.groups[1], dp.groups[2]);
        vkCmdWriteTimestamp(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, m_queries.get(), s.firstQuery + 1 + uint32_t(d - s.firstDispatch));
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
