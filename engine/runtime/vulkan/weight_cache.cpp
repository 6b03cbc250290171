// WeightCache (see weight_cache.h). On unified memory the block is mapped and
// written directly; otherwise through a temporary staging block and one copy.
#include "runtime/vulkan/weight_cache.h"

#include <cstring>
#include <sstream>

namespace archscope::vk {

namespace {
// Content hash, so a new WeightStore that reuses freed host memory is never
// mistaken for the cached one. Four independent lanes keep it memory-bound.
uint64_t contentHash(const Tensor& t) {
    const auto* p = static_cast<const unsigned char*>(t.raw());
    const size_t n = t.byteSize();
    uint64_t h[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull};
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int l = 0; l < 4; ++l) {
            uint64_t w;
            std::memcpy(&w, p + i + 8 * l, 8);
            h[l] = (h[l] ^ w) * 0x100000001B3ull;
        }
    for (; i < n; ++i) h[0] = (h[0] ^ p[i]) * 0x100000001B3ull;
    return h[0] ^ (h[1] << 1) ^ (h[2] << 2) ^ (h[3] << 3);
}
}  // namespace

std::shared_ptr<WeightSet> WeightCache::get(const Analysis& a, const WeightStore& w, std::string* err) {
    std::map<std::string, const Tensor*> used;
    for (auto& id : a.order) {
        const NodeInfo& n = a.nodes.at(id);
        for (auto& p : n.params) {
            const Tensor* t = w.find(n.weightNode, p.name);
            if (!t) { *err = "node \"" + id + "\": weight \"" + p.name + "\" was not materialised"; return nullptr; }
            used[WeightStore::key(n.weightNode, p.name)] = t;
        }
    }
    std::ostringstream sig;
    for (auto& [k, t] : used) sig << k << '@' << t->raw() << ':' << t->byteSize() << '#' << contentHash(*t) << ';';
    auto it = m_sets.find(sig.str());
    if (it != m_sets.end()) return it->second;

    auto set = std::make_shared<WeightSet>();
    set->signature = sig.str();
    VkDeviceSize total = 0;
    for (auto& [k, t] : used) {
        set->entries[k] = {total, t->byteSize(), t->shape()};
        total += alignUp(std::max<VkDeviceSize>(t->byteSize(), 1), kTensorAlign);
    }
    set->block = std::make_unique<DeviceBlock>(m_ctx, total, m_ctx.deviceMemoryType(), m_ctx.deviceMemoryMappable());
    if (set->block->host()) {
        for (auto& [k, t] : used) std::memcpy(set->block->host(set->entries[k].offset), t->raw(), t->byteSize());
    } else {
        DeviceBlock staging(m_ctx, total, m_ctx.hostMemoryType(), true);
        for (auto& [k, t] : used) std::memcpy(staging.host(set->entries[k].offset), t->raw(), t->byteSize());
        m_ctx.oneShot([&](VkCommandBuffer cb) {
            VkBufferCopy c{0, 0, staging.size()};
            vkCmdCopyBuffer(cb, staging.buffer(), set->block->buffer(), 1, &c);
        });
    }
    ++m_uploads;
    // Keep a few designs resident; drop the oldest-inserted beyond that.
    if (m_sets.size() >= 4) m_sets.erase(m_sets.begin());
    m_sets[set->signature] = set;
    return set;
}

}  // namespace archscope::vk
