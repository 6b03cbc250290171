// Vulkan kernels, one file per op id: engine/runtime/vulkan/kernels/<op_id>.cpp
// defines `const VulkanKernel& vk_kernel_<op_id>()`; CMake generates the list
// of those files, so adding a kernel is new files only (plus its shaders).
// There is no switch on op kind: the executor looks kernels up by op id.
//
// At plan-build time the executor calls build() with a KernelBuild holding
// the node's resolved attrs, inferred shapes and tensor handles; the kernel
// appends one or more dispatches, or returns false with a reason and the node
// runs on the CPU ("cpu-fallback").
#pragma once

#include "core/op_def.h"
#include "graph/analysis.h"
#include "runtime/vulkan/pipelines.h"

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace archscope::vk {

// Kernel family: register-blocked texel-buffer kernels for CPU devices
// (lavapipe), shared-memory tiled storage-buffer kernels for GPUs.
enum class Family { Texel, Tiled };

struct TensorRef {
    int slot = -1;  // index into the plan's tensor table
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    int64_t numel() const {
        int64_t n = 1;
        for (auto d : shape) n *= d;
        return n;
    }
};

struct Binding {
    int slot = -1;
    BindKind kind = BindKind::Storage;
};

// Fixed-size push-constant block (≤ 128 bytes); fields appended in order.
struct Push {
    std::vector<std::byte> bytes;
    Push& u(uint32_t v) { return raw(&v, 4); }
    Push& i(int32_t v) { return raw(&v, 4); }
    Push& f(float v) { return raw(&v, 4); }
    Push& raw(const void* p, size_t n) {
        size_t at = bytes.size();
        bytes.resize(at + n);
        std::memcpy(bytes.data() + at, p, n);
        return *this;
    }
};

struct Dispatch {
    std::string shader;
    std::vector<Binding> bindings;
    std::vector<uint32_t> spec;  // specialization constants, ids 0..n-1
    Push push;
    uint32_t groups[3] = {1, 1, 1};
};

// A unary activation fused into the producing kernel's epilogue.
struct Activation {
    int code = 0;  // 0 = none; codes in shaders/activation.glsl
    float p0 = 0, p1 = 0;
};

// Tensors a kernel needs besides the node's own, created by the plan on request:
// scratch (written and read by this node's dispatches only, in the activation
// block for this step), constants (host-computed tables, written once when the
// plan is built) and status words (cleared before each run, read after it: a
// nonzero word fails the run with `message`, e.g. an out-of-range embedding id).
struct ExtraTensor {
    enum Kind { Scratch, Constant, Status } kind = Scratch;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<float> data;  // Constant
    std::string message;      // Status: what a nonzero first word means; "{v}" is replaced by the second word
};

class KernelBuild {
public:
    const NodeInfo& node;
    const Attrs& attrs;
    Family family;
    const DeviceInfo& device;
    std::vector<TensorRef> inputs;   // empty shape + slot -1 for an unconnected optional input
    std::vector<TensorRef> params;   // in ParamSpec order
    std::vector<TensorRef> outputs;
    Activation act;                  // set when the fusion pass fused a following activation
    TensorRef residual;              // set when the fusion pass fused a following residual add (slot -1: none)
    std::vector<Dispatch> dispatches;
    std::string reason;              // why the kernel declined (for the fallback note)
    // Set by the plan: creates an extra tensor and returns its slot.
    std::function<int(const ExtraTensor&)> newTensor;

    KernelBuild(const NodeInfo& n, Family f, const DeviceInfo& d) : node(n), attrs(n.attrs), family(f), device(d) {}
    KernelBuild(const NodeInfo& n, const Attrs& a, Family f, const DeviceInfo& d) : node(n), attrs(a), family(f), device(d) {}
    bool has(int i) const { return i < int(inputs.size()) && inputs[size_t(i)].slot >= 0; }
    void dispatch(Dispatch d) { dispatches.push_back(std::move(d)); }
    bool decline(std::string why) { reason = std::move(why); return false; }
    TensorRef extra(ExtraTensor e) {
        TensorRef r{-1, e.dtype, e.shape};
        r.slot = newTensor ? newTensor(e) : 0;
        return r;
    }
    TensorRef scratch(std::vector<int64_t> shape) { return extra({ExtraTensor::Scratch, DType::F32, std::move(shape), {}, {}}); }
    // A constant of `shape` (data.size() must equal its element count).
    TensorRef constant(std::vector<int64_t> shape, std::vector<float> data) {
        return extra({ExtraTensor::Constant, DType::F32, std::move(shape), std::move(data), {}});
    }
    // A 1-d constant table of data.size() floats.
    TensorRef constant(std::vector<float> data) {
        const int64_t n = int64_t(data.size());
        return extra({ExtraTensor::Constant, DType::F32, {n}, std::move(data), {}});
    }
    TensorRef status(std::string message) { return extra({ExtraTensor::Status, DType::F32, {4}, {}, std::move(message)}); }
};

struct VulkanKernel {
    std::string op;
    std::function<bool(KernelBuild&)> build;
    // Producers (linear, matmul, norms) that apply b.act (and linear/matmul b.residual) in their epilogue.
    bool fusesActivation = false;
    // Unary activations that can be fused: code and parameters from attrs.
    std::function<Activation(const Attrs&)> asActivation;
};

const VulkanKernel* findKernel(const std::string& op);
std::vector<std::string> kernelOps();
// Kernels added at run time (plugin ops; engine/plugins), found by findKernel after
// the built-in ones. Returns false if `op` already has a kernel.
bool registerKernel(std::shared_ptr<const VulkanKernel> k);

// Helpers for kernels.
inline uint32_t ceilDiv(int64_t a, int64_t b) { return uint32_t((a + b - 1) / b); }
// Splits a 1-D grid of `groups` workgroups over x/y to stay under the device limit.
void grid1d(const DeviceInfo& d, int64_t groups, uint32_t out[3]);

}  // namespace archscope::vk
