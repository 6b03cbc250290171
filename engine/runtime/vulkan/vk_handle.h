// Owning wrappers for device-level Vulkan handles, so that a constructor that
// throws half-way (a failed allocation, bind or submit) releases what it made.
//
// Owned<T, destroy> holds one handle of a VkDevice and destroys it with
// `destroy` (vkDestroyBuffer, vkFreeMemory, vkDestroyFence, ...); OwnedList
// holds many of one kind (buffer views). DeviceIdle waits for the device when
// destroyed: declare it last in a class so that it runs first, before any
// handle a submitted command buffer may still use is destroyed.
#pragma once

#include <vulkan/vulkan.h>

#include <utility>
#include <vector>

namespace archscope::vk {

template <typename T, void (*Destroy)(VkDevice, T, const VkAllocationCallbacks*)>
class Owned {
public:
    Owned() = default;
    ~Owned() { reset(); }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    Owned(Owned&& o) noexcept : m_dev(o.m_dev), m_h(std::exchange(o.m_h, T(VK_NULL_HANDLE))) {}
    Owned& operator=(Owned&& o) noexcept {
        if (this != &o) { reset(); m_dev = o.m_dev; m_h = std::exchange(o.m_h, T(VK_NULL_HANDLE)); }
        return *this;
    }
    T get() const { return m_h; }
    explicit operator bool() const { return m_h != T(VK_NULL_HANDLE); }
    // Destroys the current handle and returns the slot a vkCreate*/vkAllocate* call fills.
    T* put(VkDevice dev) {
        reset();
        m_dev = dev;
        return &m_h;
    }
    void reset() {
        if (m_h != T(VK_NULL_HANDLE)) Destroy(m_dev, m_h, nullptr);
        m_h = T(VK_NULL_HANDLE);
    }

private:
    VkDevice m_dev = VK_NULL_HANDLE;
    T m_h = T(VK_NULL_HANDLE);
};

template <typename T, void (*Destroy)(VkDevice, T, const VkAllocationCallbacks*)>
class OwnedList {
public:
    OwnedList() = default;
    ~OwnedList() { clear(); }
    OwnedList(const OwnedList&) = delete;
    OwnedList& operator=(const OwnedList&) = delete;
    // Takes ownership of `h` (a handle of `dev`).
    void add(VkDevice dev, T h) {
        m_dev = dev;
        m_h.push_back(h);
    }
    void clear() {
        for (T h : m_h) Destroy(m_dev, h, nullptr);
        m_h.clear();
    }
    size_t size() const { return m_h.size(); }

private:
    VkDevice m_dev = VK_NULL_HANDLE;
    std::vector<T> m_h;
};

// Command buffers of one pool, freed together.
class OwnedCommandBuffers {
public:
    OwnedCommandBuffers() = default;
    ~OwnedCommandBuffers() {
        if (!m_cbs.empty()) vkFreeCommandBuffers(m_dev, m_pool, uint32_t(m_cbs.size()), m_cbs.data());
    }
    OwnedCommandBuffers(const OwnedCommandBuffers&) = delete;
    OwnedCommandBuffers& operator=(const OwnedCommandBuffers&) = delete;
    void add(VkDevice dev, VkCommandPool pool, VkCommandBuffer cb) {
        m_dev = dev;
        m_pool = pool;
        m_cbs.push_back(cb);
    }

private:
    VkDevice m_dev = VK_NULL_HANDLE;
    VkCommandPool m_pool = VK_NULL_HANDLE;
    std::vector<VkCommandBuffer> m_cbs;
};

// Waits for the device to go idle when destroyed (see the file comment).
class DeviceIdle {
public:
    explicit DeviceIdle(VkDevice dev) : m_dev(dev) {}
    ~DeviceIdle() {
        if (m_dev) vkDeviceWaitIdle(m_dev);
    }
    DeviceIdle(const DeviceIdle&) = delete;
    DeviceIdle& operator=(const DeviceIdle&) = delete;

private:
    VkDevice m_dev;
};

}  // namespace archscope::vk
