// WeightCache: a design's parameters uploaded once into one device block.
//
// Keyed by the weights' identity (each "node.param" name with its host
// storage address, size and a content hash): running the same design again, with the same
// WeightStore, reuses the uploaded block; new weights make a new block. The
// backend owns the cache; plans borrow a WeightSet.
#pragma once

#include "graph/analysis.h"
#include "runtime/vulkan/memory.h"
#include "runtime/weights.h"

#include <map>
#include <memory>
#include <string>

namespace archscope::vk {

struct WeightEntry {
    VkDeviceSize offset = 0, bytes = 0;
    std::vector<int64_t> shape;
};

struct WeightSet {
    std::unique_ptr<DeviceBlock> block;
    std::map<std::string, WeightEntry> entries;  // by WeightStore key "node.param"
    std::string signature;
};

class WeightCache {
public:
    explicit WeightCache(VkContext& ctx) : m_ctx(ctx) {}
    // Returns the set holding every parameter `a` uses, uploading it if needed.
    std::shared_ptr<WeightSet> get(const Analysis& a, const WeightStore& w, std::string* err);
    int uploads() const { return m_uploads; }  // blocks uploaded so far

private:
    VkContext& m_ctx;
    std::map<std::string, std::shared_ptr<WeightSet>> m_sets;
    int m_uploads = 0;
};

}  // namespace archscope::vk
