// OpDef: the single definition of an operation.
//
// Everything that needs to know about an op reads its OpDef: validation and
// shape inference, the CPU executor, the Vulkan backend, the cost model, the
// palette and inspector, exporters and `archscope ops`. Each op lives in one
// file under engine/ops/ that returns its OpDef, and is listed once in
// engine/ops/op_list.cpp. There is no switch on op kind anywhere.
#pragma once

#include "core/attrs.h"
#include "core/dim.h"
#include "core/tensor.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace archscope {

enum class PortType { F32, I64, Any };

struct PortDef {
    std::string name;
    PortType type = PortType::F32;
    std::string doc;
    bool optional = false;
    // Probe hint on an output (read by engine/probes): "attention" marks
    // attention probabilities [B, H, Tq, Tk]; "kv_cache" marks a KV-cache tensor.
    std::string probe;
};

struct TensorType {
    DType dtype = DType::F32;
    Shape shape;
};

// How a parameter is initialised when no weights file provides it.
// S4DReal: the S4D-real / Mamba state-matrix init A_log[..., n] = log(n + 1) over the last axis.
enum class Init { Zeros, Ones, Uniform, Normal, S4DReal, Constant };  // Constant: every value = scale

struct ParamSpec {
    std::string name;             // "weight", "bias", ...
    std::vector<int64_t> shape;   // concrete under the current bindings
    Init init = Init::Uniform;
    float scale = 1.0f;           // Uniform: bound; Normal: std; Constant: the value
};

// Context for shape inference. The op reads attrs and input types, writes
// outputs and params, and reports problems through error()/mismatch().
class InferCtx {
public:
    const Attrs& attrs;
    const std::vector<std::optional<TensorType>>& inputs;  // by input port index
    const std::vector<std::string>& sources;                // producing node per input ("" if none)
    const Bindings& bindings;

    std::vector<TensorType> outputs;  // by output port index; may be fewer than declared
    std::vector<ParamSpec> params;

    InferCtx(const std::string& node, const std::vector<PortDef>& ports, const Attrs& a,
             const std::vector<std::optional<TensorType>>& in, const std::vector<std::string>& src,
             const Bindings& b);

    bool has(int i) const { return i < int(inputs.size()) && inputs[i].has_value(); }
    const TensorType& in(int i) const { return *inputs[i]; }
    const Shape& shape(int i) const { return inputs[i]->shape; }
    int rank(int i) const { return int(inputs[i]->shape.size()); }

    // `node "n" input "p": <msg>`; returns false so shape functions can `return c.error(...)`.
    bool error(int input, const std::string& msg);
    bool error(const std::string& msg);  // node-level
    // `node "n" input "p": expected [B, T, 64], got [B, T, 96] from "src"`
    bool mismatch(int input, const Shape& expected);
    bool expectRank(int input, int rank);
    bool expectRankAtLeast(int input, int rank);
    // Checks one axis (negative counts from the end) against `expected`.
    bool expectDim(int input, int axis, const Dim& expected);
    bool expectDType(int input, DType t);

    const std::vector<std::string>& errors() const { return m_errors; }

    // Convenience for output creation.
    void out(Shape s, DType t = DType::F32) { outputs.push_back({t, std::move(s)}); }
    void param(std::string name, std::vector<int64_t> shape, Init init, float scale = 1.0f) {
        params.push_back({std::move(name), std::move(shape), init, scale});
    }

private:
    const std::string& m_node;
    const std::vector<PortDef>& m_ports;
    std::vector<std::string> m_errors;
};

// Context for a CPU kernel: inputs, parameters and pre-allocated outputs.
struct KernelCtx {
    const Attrs& attrs;
    std::vector<const Tensor*> inputs;  // nullptr for an unconnected optional input
    std::vector<const Tensor*> params;  // in ParamSpec order
    std::vector<Tensor*> outputs;       // allocated with the inferred shapes
    const Tensor& in(int i) const { return *inputs[i]; }
    bool has(int i) const { return i < int(inputs.size()) && inputs[i] != nullptr; }
    const Tensor& param(int i) const { return *params[i]; }
    Tensor& out(int i) const { return *outputs[i]; }
};

struct VulkanOp;  // defined by runtime/vulkan; optional per op
class Graph;

struct OpDef {
    std::string id;           // stable string id, stored in design files
    std::string displayName;  // "Linear"
    std::string category;     // "Core", "Activation", "Normalization", ...
    std::string doc;          // one paragraph for the palette and `archscope ops`
    std::vector<PortDef> inputs;
    std::vector<PortDef> outputs;
    std::vector<AttrDef> attrs;

    std::function<bool(InferCtx&)> infer;
    std::function<void(KernelCtx&)> cpu;
    // Cost model, evaluated after successful inference. flops defaults to 0;
    // bytes defaults to inputs + outputs + params, in bytes.
    std::function<int64_t(const InferCtx&)> flops;
    std::function<int64_t(const InferCtx&)> bytes;

    const VulkanOp* vulkan = nullptr;
    std::string plugin;  // name of the providing plugin, empty for core ops

    // Composite blocks: expand() writes the block's body as a graph whose
    // "input" nodes are named after the block's input ports and whose "output"
    // nodes after its output ports; body nodes may be composite too. The
    // analysis flattens composites into primitives with ids "<block>/<inner>".
    std::function<bool(const Attrs& attrs, Graph* body, std::string* err)> expand;
    bool isComposite() const { return bool(expand); }

    const PortDef* findInput(const std::string& n) const;
    const PortDef* findOutput(const std::string& n) const;
    int inputIndex(const std::string& n) const;
    int outputIndex(const std::string& n) const;
    const AttrDef* findAttr(const std::string& n) const;
};

}  // namespace archscope
