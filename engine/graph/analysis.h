// Whole-graph validation, shape inference and cost model.
//
// analyze() walks the graph in topological order, resolves attributes against
// each op's schema, runs shape inference and collects every problem as a
// Diagnostic naming the node and port. It never throws on a bad design.
#pragma once

#include "core/op_def.h"
#include "graph/flatten.h"
#include "graph/graph.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace archscope {

class OpRegistry;

struct Diagnostic {
    std::string node;     // empty for graph-level problems
    std::string port;     // empty when not about a port
    std::string message;  // full text, already naming node and port
};

struct NodeInfo {
    const OpDef* def = nullptr;
    Attrs attrs;  // resolved, defaults filled in
    std::vector<std::optional<TensorType>> inputs;
    std::vector<std::string> sources;  // producing node per input
    std::vector<TensorType> outputs;
    std::vector<ParamSpec> params;
    int64_t paramCount = 0;
    int64_t flops = 0;
    int64_t bytes = 0;
    int64_t activationBytes = 0;  // bytes of this node's outputs
    std::string weightNode;       // node whose parameters this node uses (itself unless weight-tied)
    bool composite = false;       // an aggregate entry for a composite block (not executed)
    bool ok = false;
};

struct AnalyzeOptions {
    Bindings bindings;                 // overrides the graph's symbol defaults
    int64_t maxElements = int64_t(1) << 31;  // per tensor; larger is an error
};

struct Analysis {
    Bindings bindings;  // effective
    std::shared_ptr<const Graph> flat;  // the executed graph: composites expanded
    std::map<std::string, CompositeInfo> composites;
    std::vector<std::string> order;       // execution order of `flat`
    std::map<std::string, NodeInfo> nodes;  // flat nodes, plus aggregates for composite blocks
    std::vector<Diagnostic> errors;
    int64_t totalParams = 0, totalFlops = 0, totalBytes = 0, totalActivationBytes = 0;

    bool ok() const { return errors.empty(); }
    const Graph& graph() const { return *flat; }
    std::string errorText() const;  // one line per diagnostic
    const TensorType* outputType(const PortRef& p) const;
};

Analysis analyze(const Graph& g, const AnalyzeOptions& opt);
Analysis analyze(const Graph& g, const AnalyzeOptions& opt, const OpRegistry& reg);

// Parses "seq=128" style bindings; returns false with a message on bad text.
bool parseBinding(const std::string& text, std::string* name, int64_t* value, std::string* err);

}  // namespace archscope
