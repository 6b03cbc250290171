// Fault injection (see fault.h).
#include "runtime/vulkan/fault.h"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace archscope::vk {

namespace {

struct Fault {
    FaultSite site;
    long at;
};

struct State {
    std::mutex mutex;
    std::vector<Fault> faults;
    long calls[3] = {0, 0, 0};
    bool envRead = false;
};

State& state() {
    static State s;
    return s;
}
std::atomic<bool> g_armed{false};
std::atomic<bool> g_envChecked{false};
std::atomic<int> g_injected{0};

bool parse(const std::string& spec, std::vector<Fault>* out, std::string* err) {
    out->clear();
    size_t start = 0;
    while (start < spec.size()) {
        size_t end = spec.find(',', start);
        std::string item = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? spec.size() : end + 1;
        if (item.empty()) continue;
        size_t colon = item.find(':');
        std::string site = item.substr(0, colon);
        long n = 1;
        if (colon != std::string::npos) {
            char* e = nullptr;
            n = std::strtol(item.c_str() + colon + 1, &e, 10);
            if (!e || *e || n < 1) { if (err) *err = "bad fault count in \"" + item + "\" (expected SITE:N with N >= 1)"; return false; }
        }
        if (site == "vk_alloc") out->push_back({FaultSite::Alloc, n});
        else if (site == "vk_submit") out->push_back({FaultSite::Submit, n});
        else if (site == "vk_bind") out->push_back({FaultSite::Bind, n});
        else { if (err) *err = "unknown fault site \"" + site + "\" (vk_alloc or vk_submit, or vk_bind)"; return false; }
    }
    return true;
}

void readEnvOnce() {
    if (g_envChecked.load(std::memory_order_acquire)) return;
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.envRead) {
        s.envRead = true;
        if (const char* v = std::getenv("ARCHSCOPE_FAULT"); v && *v) {
            std::vector<Fault> f;
            if (parse(v, &f, nullptr)) { s.faults = f; g_armed = !f.empty(); }
        }
    }
    g_envChecked.store(true, std::memory_order_release);
}

}  // namespace

VkResult injectedFault(FaultSite site) {
    readEnvOnce();
    if (!g_armed.load(std::memory_order_relaxed)) return VK_SUCCESS;
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    long n = ++s.calls[int(site)];
    for (auto& f : s.faults)
        if (f.site == site && f.at == n) {
            ++g_injected;
            return site == FaultSite::Submit ? VK_ERROR_DEVICE_LOST : VK_ERROR_OUT_OF_DEVICE_MEMORY;
        }
    return VK_SUCCESS;
}

bool setFaultSpec(const std::string& spec, std::string* err) {
    readEnvOnce();
    std::vector<Fault> f;
    if (!parse(spec, &f, err)) return false;
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.faults = f;
    s.calls[0] = s.calls[1] = s.calls[2] = 0;
    g_armed = !f.empty();
    return true;
}

int faultsInjected() { return g_injected.load(); }

}  // namespace archscope::vk
