#include "runtime/backend.h"

namespace archscope {

std::unique_ptr<Backend> makeBackend(const BackendOptions& opt, std::string* notice, std::string* err) {
    if (opt.name == "cpu") return makeCpuBackend();
    if (opt.name == "vulkan") {
        *notice = "Vulkan backend not available in this build; running on the CPU backend";
        return makeCpuBackend();
    }
    *err = "unknown backend \"" + opt.name + "\" (choose cpu or vulkan)";
    return nullptr;
}

}  // namespace archscope
