// Probes: measurements taken from an analysed graph and its node outputs.
//
// Which outputs are attention probabilities is read from the op definition:
// an output port whose PortDef::probe is "attention" holding a rank-4 f32
// tensor [B, H, Tq, Tk]. Composite attention blocks expose theirs the same
// way. No probe looks at op ids.
#pragma once

#include "core/op_def.h"
#include "core/tensor.h"
#include "graph/analysis.h"
#include "probes/profile_data.h"

#include <string>
#include <vector>

namespace archscope::probes {

// True when output `port` of a node of `def` holds attention probabilities:
// the port's probe hint is "attention", the tensor is rank-4 f32, and, when
// the node has an "axis" attribute, it normalises over the last axis (Tk).
bool isAttentionOutput(const OpDef& def, int port, const TensorType& type, const Attrs& attrs);

// One map per head of batch element 0 (mean-pooled in blocks of
// ceil(max(Tq, Tk) / maxTokens) when longer than maxTokens), with per-head
// entropy mean and min over every query row of every batch element.
std::vector<AttentionMap> attentionMaps(const std::string& node, const std::string& port, int layer, const Tensor& p,
                                        int maxTokens);

// Sparsity and/or channel statistics of one f32 output.
TensorStats tensorStats(const std::string& node, const std::string& port, const Tensor& x, const ProbeOptions& opt);

// Peak bytes of live activations when the executor frees each tensor after
// its last consumer (runtime/cpu_backend.cpp; tensors consumed by a sink such
// as a graph output stay alive in the result), weight bytes (f32), and bytes
// of outputs marked "kv_cache" by their op definition on causal or caching
// blocks (decoder attention: the K/V a decoder keeps for these tokens).
MemoryStats memoryStats(const Analysis& a);

// Roofline verdict: "compute" when flops / bytes >= ceilings ridge
// (gflops / gbps), else "memory"; "" when the node moves no bytes and does no
// work or the ceilings are unknown.
std::string boundVerdict(int64_t flops, int64_t bytes, const Ceilings& c);

}  // namespace archscope::probes
