// Sweep targets: what `archscope profile --sweep NAME=V1,V2,...` and the Run
// panel vary from session to session. NAME is a size symbol of the design
// ("T", bound per session) or an integer attribute of a node ("NODE.ATTR",
// e.g. "layer0.heads": the node's attribute is set in that session's design
// snapshot, so each session stores the design it actually ran).
#pragma once

#include "graph/analysis.h"
#include "graph/graph.h"

#include <string>

namespace archscope {

struct SweepTarget {
    std::string name;        // as given
    std::string node, attr;  // attribute sweep; both empty for a size sweep
    bool isAttribute() const { return !node.empty(); }
};

// Checks NAME against the design: a symbol, or NODE.ATTR naming a node and
// one of its op's integer attributes. The error lists the choices.
bool parseSweepTarget(const Graph& g, const std::string& name, SweepTarget* out, std::string* err);

// Applies one value: binds the size in `opts`, or sets the attribute in `g`.
void applySweepValue(const SweepTarget& t, int64_t value, Graph* g, AnalyzeOptions* opts);

}  // namespace archscope
