// Kernels and shaders registered at run time by plugins (engine/plugins).
// findKernel() and PipelineCache::get() fall back to these after the built-in
// tables. Entries are never removed, so returned pointers stay valid.
#include "runtime/vulkan/kernel.h"
#include "runtime/vulkan/shader_library.h"

#include <map>
#include <mutex>

namespace archscope::vk {

namespace {
std::mutex& lock() {
    static std::mutex m;
    return m;
}
std::map<std::string, std::shared_ptr<const VulkanKernel>, std::less<>>& kernels() {
    static std::map<std::string, std::shared_ptr<const VulkanKernel>, std::less<>> m;
    return m;
}
struct StoredShader {
    std::string name;
    ShaderBlob blob;
};
std::map<std::string, std::unique_ptr<StoredShader>, std::less<>>& shaders() {
    static std::map<std::string, std::unique_ptr<StoredShader>, std::less<>> m;
    return m;
}
}  // namespace

bool registerKernel(std::shared_ptr<const VulkanKernel> k) {
    if (!k || findKernel(k->op)) return false;
    std::lock_guard<std::mutex> g(lock());
    return kernels().emplace(k->op, k).second;
}

const VulkanKernel* findRegisteredKernel(const std::string& op) {
    std::lock_guard<std::mutex> g(lock());
    auto it = kernels().find(op);
    return it == kernels().end() ? nullptr : it->second.get();
}

bool registerShader(const std::string& name, const uint32_t* words, size_t wordCount) {
    if (findShader(name) || findRegisteredShader(name)) return false;
    std::lock_guard<std::mutex> g(lock());
    auto s = std::make_unique<StoredShader>();
    s->name = name;
    s->blob = {s->name.c_str(), words, wordCount};
    return shaders().emplace(name, std::move(s)).second;
}

const ShaderBlob* findRegisteredShader(std::string_view name) {
    std::lock_guard<std::mutex> g(lock());
    auto it = shaders().find(name);
    return it == shaders().end() ? nullptr : &it->second->blob;
}

}  // namespace archscope::vk
