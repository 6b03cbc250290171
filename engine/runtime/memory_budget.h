// Memory budget: what running an analysed design will need, checked before
// anything is allocated.
//
// estimateMemory() adds the parameters (float32, counted once per owner, so
// tied weights count once) and the peak of live activations: walking the
// execution order, a node's outputs are live from the step that produces them
// to the last step that reads them (graph outputs to the end). Backends keep
// little else, so weights + peak activations is the figure compared against
// the host limit (`--max-memory`, default the machine's physical memory) by
// the CLI, and against the largest device-local heap by the Vulkan backend.
#pragma once

#include "graph/analysis.h"

#include <cstdint>
#include <string>

namespace archscope {

struct MemoryEstimate {
    int64_t weightBytes = 0;
    int64_t peakActivationBytes = 0;
    std::string peakNode;  // the step at which activations peak
    int64_t total() const;  // saturates at INT64_MAX
};

// Needs a successful analysis (a.ok()); returns zeros otherwise.
MemoryEstimate estimateMemory(const Analysis& a);

// False, with "needs X (weights W + peak activations A at node N), over the
// limit of L (<limitName>)" in `err`, when the estimate exceeds `limitBytes`.
bool checkMemoryBudget(const MemoryEstimate& e, int64_t limitBytes, const std::string& limitName, std::string* err);

// Total physical memory of this machine (0 when unknown).
int64_t physicalMemoryBytes();

// "512M", "8G", "1.5GiB", "4096" (bytes) -> bytes. False with a message on bad text.
bool parseByteSize(const std::string& text, int64_t* out, std::string* err);

std::string formatBytes(int64_t bytes);  // "1.50 GiB"

}  // namespace archscope
