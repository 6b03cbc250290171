// VkContext: instance, device selection, logical device (see vk_context.h).
#include "runtime/vulkan/vk_context.h"
#include "runtime/vulkan/fault.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace archscope::vk {

const char* resultName(VkResult r) {
    switch (r) {  // a switch on VkResult, not on op kind
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    default: return "VkResult error";
    }
}

void check(VkResult r, const char* what) {
    if (r == VK_SUCCESS) return;
    VkError e(std::string(what) + " failed: " + resultName(r) + " (" + std::to_string(int(r)) + ")");
    e.result = r;
    throw e;
}

namespace {

bool envFlag(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

bool hasLayer(const char* name) {
    uint32_t n = 0;
    vkEnumerateInstanceLayerProperties(&n, nullptr);
    std::vector<VkLayerProperties> layers(n);
    vkEnumerateInstanceLayerProperties(&n, layers.data());
    for (auto& l : layers)
        if (std::strcmp(l.layerName, name) == 0) return true;
    return false;
}

const char* typeName(VkPhysicalDeviceType t) {
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
    default: return "other";
    }
}

int typeRank(VkPhysicalDeviceType t) {  // lower is preferred
    if (t == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU) return 0;
    if (t == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU) return 1;
    if (t == VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU) return 2;
    if (t == VK_PHYSICAL_DEVICE_TYPE_CPU) return 3;
    return 4;
}

std::string versionStr(uint32_t v) {
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
           std::to_string(VK_API_VERSION_PATCH(v));
}

DeviceInfo describe(VkPhysicalDevice p, int index) {
    VkPhysicalDeviceSubgroupProperties sub{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceDriverProperties drv{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES, &sub};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, &drv};
    vkGetPhysicalDeviceProperties2(p, &props);
    const auto& pr = props.properties;
    const auto& l = pr.limits;
    DeviceInfo d;
    d.index = index;
    d.name = pr.deviceName;
    d.type = typeName(pr.deviceType);
    d.isCpu = pr.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
    d.driver = drv.driverName;
    d.driverInfo = drv.driverInfo;
    d.apiVersion = versionStr(pr.apiVersion);
    VkPhysicalDeviceMemoryProperties mem;
    vkGetPhysicalDeviceMemoryProperties(p, &mem);
    for (uint32_t i = 0; i < mem.memoryHeapCount; ++i)
        d.heaps.push_back({mem.memoryHeaps[i].size, (mem.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0});
    const VkMemoryPropertyFlags both = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
    for (uint32_t i = 0; i < mem.memoryTypeCount; ++i)
        if ((mem.memoryTypes[i].propertyFlags & both) == both) d.unifiedMemory = true;
    d.maxWorkGroupInvocations = l.maxComputeWorkGroupInvocations;
    d.maxSharedMemory = l.maxComputeSharedMemorySize;
    d.maxPushConstants = l.maxPushConstantsSize;
    d.maxStorageBufferRange = l.maxStorageBufferRange;
    d.maxTexelBufferElements = l.maxTexelBufferElements;
    for (int i = 0; i < 3; ++i) d.maxWorkGroupCount[i] = l.maxComputeWorkGroupCount[i];
    d.minStorageAlign = uint32_t(l.minStorageBufferOffsetAlignment);
    d.minTexelAlign = uint32_t(l.minTexelBufferOffsetAlignment);
    d.timestampPeriodNs = l.timestampPeriod;
    d.timestamps = l.timestampComputeAndGraphics;
    d.subgroupSize = sub.subgroupSize;
    d.subgroupShuffle = (sub.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) && (sub.supportedOperations & VK_SUBGROUP_FEATURE_SHUFFLE_BIT);
    return d;
}

VkResult makeInstance(bool validation, VkInstance* inst) {
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "archscope";
    app.apiVersion = VK_API_VERSION_1_2;
    std::vector<const char*> layers, exts;
    if (validation) {
        layers.push_back("VK_LAYER_KHRONOS_validation");
        exts.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    }
    VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    ci.pApplicationInfo = &app;
    ci.enabledLayerCount = uint32_t(layers.size());
    ci.ppEnabledLayerNames = layers.data();
    ci.enabledExtensionCount = uint32_t(exts.size());
    ci.ppEnabledExtensionNames = exts.data();
    return vkCreateInstance(&ci, nullptr, inst);
}

std::vector<VkPhysicalDevice> physicalDevices(VkInstance inst) {
    uint32_t n = 0;
    vkEnumeratePhysicalDevices(inst, &n, nullptr);
    std::vector<VkPhysicalDevice> v(n);
    vkEnumeratePhysicalDevices(inst, &n, v.data());
    v.resize(n);
    return v;
}

}  // namespace

bool VkContext::listDevices(std::vector<DeviceInfo>* out, std::string* err) {
    VkInstance inst = VK_NULL_HANDLE;
    VkResult r = makeInstance(false, &inst);
    if (r != VK_SUCCESS) { *err = std::string("vkCreateInstance failed: ") + resultName(r); return false; }
    auto devs = physicalDevices(inst);
    for (size_t i = 0; i < devs.size(); ++i) out->push_back(describe(devs[i], int(i)));
    vkDestroyInstance(inst, nullptr);
    return true;
}

std::unique_ptr<VkContext> VkContext::create(int deviceIndex, std::string* err) {
    std::unique_ptr<VkContext> c(new VkContext);
    try {
        if (!c->init(deviceIndex, err)) return nullptr;
    } catch (const VkError& e) {
        *err = e.what();
        return nullptr;
    }
    return c;
}

namespace {
std::atomic<int> g_validationErrorsAll{0};
}  // namespace

int VkContext::validationErrorsAllContexts() { return g_validationErrorsAll.load(); }

VKAPI_ATTR VkBool32 VKAPI_CALL VkContext::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT sev, VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data, void* self) {
    auto* c = static_cast<VkContext*>(self);
    if (sev & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        c->m_validationErrors++;
        g_validationErrorsAll++;
        c->m_lastMessage = data->pMessage ? data->pMessage : "";
        std::cerr << "vulkan validation: " << c->m_lastMessage << "\n";
    }
    return VK_FALSE;
}

bool VkContext::init(int deviceIndex, std::string* err) {
    m_validation = envFlag("ARCHSCOPE_VK_VALIDATION") && hasLayer("VK_LAYER_KHRONOS_validation");
    VkResult r = makeInstance(m_validation, &m_instance);
    if (r != VK_SUCCESS) { *err = std::string("vkCreateInstance failed: ") + resultName(r); return false; }
    if (m_validation) {
        auto mk = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(vkGetInstanceProcAddr(m_instance, "vkCreateDebugUtilsMessengerEXT"));
        VkDebugUtilsMessengerCreateInfoEXT mi{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
        mi.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
        mi.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                         VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
        mi.pfnUserCallback = &VkContext::onMessage;
        mi.pUserData = this;
        if (mk) check(mk(m_instance, &mi, nullptr, &m_messenger), "vkCreateDebugUtilsMessengerEXT");
    }
    auto devs = physicalDevices(m_instance);
    if (devs.empty()) { *err = "no Vulkan device found"; return false; }
    int pick = deviceIndex;
    if (pick >= int(devs.size())) {
        *err = "no Vulkan device " + std::to_string(pick) + " (there are " + std::to_string(devs.size()) + "; see archscope devices)";
        return false;
    }
    if (pick < 0) {
        pick = 0;
        for (size_t i = 0; i < devs.size(); ++i) {
            VkPhysicalDeviceProperties a, b;
            vkGetPhysicalDeviceProperties(devs[i], &a);
            vkGetPhysicalDeviceProperties(devs[size_t(pick)], &b);
            if (typeRank(a.deviceType) < typeRank(b.deviceType)) pick = int(i);
        }
    }
    m_phys = devs[size_t(pick)];
    m_info = describe(m_phys, pick);
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(m_phys, &props);
    m_limits = props.limits;

    uint32_t nq = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(m_phys, &nq, nullptr);
    std::vector<VkQueueFamilyProperties> qf(nq);
    vkGetPhysicalDeviceQueueFamilyProperties(m_phys, &nq, qf.data());
    bool found = false;
    for (uint32_t i = 0; i < nq && !found; ++i)
        if (qf[i].queueFlags & VK_QUEUE_COMPUTE_BIT) { m_queueFamily = i; found = true; }
    if (!found) { *err = "Vulkan device \"" + m_info.name + "\" has no compute queue"; return false; }

    float prio = 1.0f;
    VkDeviceQueueCreateInfo qi{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qi.queueFamilyIndex = m_queueFamily;
    qi.queueCount = 1;
    qi.pQueuePriorities = &prio;
    VkDeviceCreateInfo di{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    di.queueCreateInfoCount = 1;
    di.pQueueCreateInfos = &qi;
    check(vkCreateDevice(m_phys, &di, nullptr, &m_device), "vkCreateDevice");
    vkGetDeviceQueue(m_device, m_queueFamily, 0, &m_queue);
    VkCommandPoolCreateInfo pi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pi.queueFamilyIndex = m_queueFamily;
    check(vkCreateCommandPool(m_device, &pi, nullptr, &m_pool), "vkCreateCommandPool");

    // Memory types: prefer device-local + host-visible (unified memory / ReBAR).
    VkPhysicalDeviceMemoryProperties mem;
    vkGetPhysicalDeviceMemoryProperties(m_phys, &mem);
    const VkMemoryPropertyFlags dl = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    const VkMemoryPropertyFlags hv = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    int both = -1, local = -1, host = -1;
    for (uint32_t i = 0; i < mem.memoryTypeCount; ++i) {
        auto f = mem.memoryTypes[i].propertyFlags;
        if ((f & (dl | hv)) == (dl | hv) && both < 0) both = int(i);
        if ((f & dl) && local < 0) local = int(i);
        if ((f & hv) == hv && host < 0) host = int(i);
    }
    if (host < 0) { *err = "Vulkan device \"" + m_info.name + "\" has no host-visible coherent memory"; return false; }
    const bool forceStaging = envFlag("ARCHSCOPE_VK_FORCE_STAGING");
    m_deviceMappable = both >= 0 && !forceStaging;
    m_deviceType = uint32_t(m_deviceMappable ? both : (local >= 0 ? local : host));
    m_hostType = uint32_t(host);
    return true;
}

void VkContext::oneShot(const std::function<void(VkCommandBuffer)>& record) {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_pool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cb;
    check(vkAllocateCommandBuffers(m_device, &ai, &cb), "vkAllocateCommandBuffers");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vkBeginCommandBuffer(cb, &bi);
    record(cb);
    vkEndCommandBuffer(cb);
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cb;
    const VkResult fault = injectedFault(FaultSite::Submit);  // ARCHSCOPE_FAULT=vk_submit:N
    const VkResult submitted = fault != VK_SUCCESS ? fault : vkQueueSubmit(m_queue, 1, &si, VK_NULL_HANDLE);
    if (submitted != VK_SUCCESS) vkFreeCommandBuffers(m_device, m_pool, 1, &cb);  // never pending: safe to free
    check(submitted, "vkQueueSubmit");
    check(vkQueueWaitIdle(m_queue), "vkQueueWaitIdle");
    vkFreeCommandBuffers(m_device, m_pool, 1, &cb);
}

VkContext::~VkContext() {
    if (m_device) {
        vkDeviceWaitIdle(m_device);
        if (m_pool) vkDestroyCommandPool(m_device, m_pool, nullptr);
        vkDestroyDevice(m_device, nullptr);
    }
    if (m_messenger) {
        auto rm = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(vkGetInstanceProcAddr(m_instance, "vkDestroyDebugUtilsMessengerEXT"));
        if (rm) rm(m_instance, m_messenger, nullptr);
    }
    if (m_instance) vkDestroyInstance(m_instance, nullptr);
}

}  // namespace archscope::vk
