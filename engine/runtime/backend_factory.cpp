// makeBackend: "cpu" or "vulkan"; Vulkan falls back to the CPU with a notice.
#include "runtime/backend.h"
#include "runtime/vulkan/vulkan_backend.h"

namespace archscope {

std::unique_ptr<Backend> makeBackend(const BackendOptions& opt, std::string* notice, std::string* err) {
    if (opt.name == "cpu") return makeCpuBackend();
    if (opt.name == "vulkan") {
        std::string why;
        if (auto b = vk::VulkanBackend::create(opt, &why)) return b;
        *notice = "Vulkan unavailable (" + why + "); running on the CPU backend";
        return makeCpuBackend();
    }
    *err = "unknown backend \"" + opt.name + "\" (choose cpu or vulkan)";
    return nullptr;
}

}  // namespace archscope
