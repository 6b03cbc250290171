// VkContext: one Vulkan instance, one logical device and its compute queue.
//
// Owns the instance (with VK_LAYER_KHRONOS_validation and a debug-utils
// messenger that counts validation errors when ARCHSCOPE_VK_VALIDATION=1),
// picks a physical device (discrete, then integrated, then CPU, or the
// index given), creates the device with one compute queue and a command
// pool. Created by the Vulkan backend and by `archscope devices`/`bench`;
// everything else in runtime/vulkan borrows it. Plain C API, no Qt.
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscope::vk {

// Thrown on a failed Vulkan call; the message names the call and the VkResult.
struct VkError : std::runtime_error {
    using std::runtime_error::runtime_error;
    VkResult result = VK_ERROR_UNKNOWN;  // set by check()
};
const char* resultName(VkResult r);
void check(VkResult r, const char* what);

struct HeapInfo {
    uint64_t size = 0;
    bool deviceLocal = false;
};

// What `archscope devices` prints about one physical device.
struct DeviceInfo {
    int index = 0;
    std::string name, type, driver, driverInfo, apiVersion;
    std::vector<HeapInfo> heaps;
    bool unifiedMemory = false;  // a memory type both device-local and host-visible
    uint32_t maxWorkGroupInvocations = 0, maxSharedMemory = 0, maxPushConstants = 0;
    uint64_t maxStorageBufferRange = 0, maxTexelBufferElements = 0;
    uint32_t maxWorkGroupCount[3] = {0, 0, 0};
    uint32_t minStorageAlign = 0, minTexelAlign = 0;
    float timestampPeriodNs = 0;
    bool timestamps = false;
    bool isCpu = false;
    uint32_t subgroupSize = 0;     // invocations per subgroup (lavapipe: 8, the SIMD width)
    bool subgroupShuffle = false;  // subgroupShuffle in compute shaders
};

class VkContext {
public:
    // Creates instance and device. Returns nullptr with `err` set to one line
    // ("no Vulkan device", "vkCreateInstance failed: ...") when unavailable.
    static std::unique_ptr<VkContext> create(int deviceIndex, std::string* err);
    // Lists devices without creating a logical device.
    static bool listDevices(std::vector<DeviceInfo>* out, std::string* err);
    ~VkContext();
    VkContext(const VkContext&) = delete;
    VkContext& operator=(const VkContext&) = delete;

    VkDevice device() const { return m_device; }
    VkPhysicalDevice physical() const { return m_phys; }
    VkQueue queue() const { return m_queue; }
    VkCommandPool commandPool() const { return m_pool; }
    const DeviceInfo& info() const { return m_info; }
    const VkPhysicalDeviceLimits& limits() const { return m_limits; }
    // Memory type for tensors: device-local (and host-visible on unified memory).
    uint32_t deviceMemoryType() const { return m_deviceType; }
    bool deviceMemoryMappable() const { return m_deviceMappable; }
    uint32_t hostMemoryType() const { return m_hostType; }  // host-visible coherent, for staging
    bool validationEnabled() const { return m_validation; }
    // Validation messages of severity error seen so far (0 without validation).
    int validationErrors() const { return m_validationErrors.load(); }
    const std::string& lastValidationMessage() const { return m_lastMessage; }
    // Validation errors of every context of this process, including those reported while a
    // context was destroyed (objects never destroyed show up at vkDestroyDevice).
    static int validationErrorsAllContexts();

    // Records and submits a one-off command buffer and waits for it.
    void oneShot(const std::function<void(VkCommandBuffer)>& record);

private:
    VkContext() = default;
    bool init(int deviceIndex, std::string* err);
    static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT sev,
                                                    VkDebugUtilsMessageTypeFlagsEXT, const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                    void* self);

    VkInstance m_instance = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT m_messenger = VK_NULL_HANDLE;
    VkPhysicalDevice m_phys = VK_NULL_HANDLE;
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    VkCommandPool m_pool = VK_NULL_HANDLE;
    uint32_t m_queueFamily = 0, m_deviceType = 0, m_hostType = 0;
    bool m_deviceMappable = false, m_validation = false;
    DeviceInfo m_info;
    VkPhysicalDeviceLimits m_limits{};
    std::atomic<int> m_validationErrors{0};
    std::string m_lastMessage;
};

}  // namespace archscope::vk
