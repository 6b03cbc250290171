// Fault injection for the reliability tests (docs/reliability.md).
//
// ARCHSCOPE_FAULT (read once, at the first Vulkan call that checks it) or
// setFaultSpec() names faults as a comma-separated list of SITE:N, meaning
// "the N-th call at SITE since the spec was set fails" (N >= 1, once):
//   vk_alloc:N   the N-th vkAllocateMemory returns VK_ERROR_OUT_OF_DEVICE_MEMORY
//   vk_submit:N  the N-th vkQueueSubmit returns VK_ERROR_DEVICE_LOST
//   vk_bind:N    the N-th vkBindBufferMemory returns VK_ERROR_OUT_OF_DEVICE_MEMORY
// The call itself is skipped, so nothing is allocated or submitted. With no
// spec the hooks cost one relaxed atomic load.
#pragma once

#include <vulkan/vulkan.h>

#include <string>

namespace archscope::vk {

enum class FaultSite { Alloc, Submit, Bind };

// VK_SUCCESS, or the result to report instead of making the call.
VkResult injectedFault(FaultSite site);
// Replaces the spec and resets the counters; false (spec unchanged) on bad text.
bool setFaultSpec(const std::string& spec, std::string* err = nullptr);
// Faults injected since the process started.
int faultsInjected();

}  // namespace archscope::vk
