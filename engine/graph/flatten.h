// Flattening of composite blocks into primitive ops.
//
// A composite node "attn1" is replaced by its body, with ids "attn1/<inner>";
// edges into its ports are rewired to the body's consumers of the matching
// "input" nodes, and edges out of its ports to the producers feeding the
// matching "output" nodes. Nested composites expand recursively.
#pragma once

#include "graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace archscope {

class OpRegistry;

struct CompositeInfo {
    std::string op;
    std::vector<std::string> members;        // flattened primitive ids inside the block
    std::map<std::string, PortRef> outputs;  // block output port -> flat producer
};

struct FlattenResult {
    Graph flat;
    std::map<std::string, CompositeInfo> composites;  // by block id (nested ones too)
    std::vector<std::string> errors;
};

// Returns false (with messages naming the block) on a failed expansion, an
// edge to a port the block does not have, or nesting deeper than 16 levels.
bool flattenGraph(const Graph& g, const OpRegistry& reg, FlattenResult* out);

// Resolves attributes of `n` against `def` (defaults filled); appends messages on errors.
bool resolveNodeAttrs(const Node& n, const struct OpDef& def, Attrs* out, std::vector<std::string>* errors);

}  // namespace archscope
