// Graph: the design as the user edits it, independent of any op semantics.
//
// Nodes have stable string ids, an op id, attribute values as written and a
// canvas position. Edges connect a named output port to a named input port.
// Graph inputs and outputs are nodes of the ops "input" and "output". The
// graph document in the app is the only editor of a Graph; the engine reads it.
#pragma once

#include "core/attrs.h"
#include "core/dim.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace archscope {

struct PortRef {
    std::string node;
    std::string port;
    bool operator==(const PortRef& o) const { return node == o.node && port == o.port; }
    bool operator<(const PortRef& o) const { return node < o.node || (node == o.node && port < o.port); }
};

struct Edge {
    PortRef from;  // output port
    PortRef to;    // input port
    bool operator==(const Edge& o) const { return from == o.from && to == o.to; }
};

struct Node {
    std::string id;
    std::string op;
    std::map<std::string, AttrValue> attrs;
    double x = 0, y = 0;
    std::string label;  // optional display label; id is shown when empty
    // Take parameters from this node instead (weight tying): saved as "weights_of"
    // (e.g. an LM head tied to the embedding), and set by composite expansion (the
    // iterations of a Loop block). Parameters must match by name and shape.
    std::string weightsOf;
};

struct Group {
    std::string id;
    std::string label;
    std::vector<std::string> nodes;
    bool collapsed = false;
    // Set when the editor opened a composite node into this group: the op and
    // attributes of that node, so an unedited group collapses back into it.
    std::string block;
    std::map<std::string, AttrValue> blockAttrs;
};

// A named size the user binds at run time (e.g. T=1024).
struct SymbolDef {
    std::string name;
    int64_t value = 1;  // default binding
    std::string doc;
};

struct WeightsRef {
    std::string file;   // safetensors sidecar, relative to the design file; may be empty
    uint64_t seed = 0;  // for parameters the file does not provide
};

class Graph {
public:
    std::map<std::string, std::string> metadata;  // name, description, author, ...
    std::vector<SymbolDef> symbols;
    std::vector<Group> groups;
    WeightsRef weights;
    // Op id -> plugin that provides it, for every plugin op the design uses; kept
    // while the plugin is missing so validation can say what to install
    // ("plugins" in the design file; serializeDesign fills it from the registry).
    // Derived data: not compared by operator==.
    std::map<std::string, std::string> plugins;

    const std::vector<Node>& nodes() const { return m_nodes; }
    const std::vector<Edge>& edges() const { return m_edges; }

    const Node* node(const std::string& id) const;
    Node* node(const std::string& id);
    bool addNode(Node n);  // false if the id exists
    bool removeNode(const std::string& id);  // also removes its edges
    bool renameNode(const std::string& from, const std::string& to);
    // Connect replaces any edge already feeding `to` (an input has one source).
    void connect(const PortRef& from, const PortRef& to);
    bool disconnect(const PortRef& to);
    std::optional<PortRef> source(const PortRef& to) const;
    std::vector<Edge> edgesFrom(const std::string& node) const;
    std::string uniqueId(const std::string& base) const;  // "linear" -> "linear_3"

    Bindings defaultBindings() const;

    // Kahn's algorithm; deterministic (ties broken by node order). On a cycle
    // returns false and puts the ids on the cycle in `cycle`.
    bool topoOrder(std::vector<std::string>* order, std::vector<std::string>* cycle) const;

    bool operator==(const Graph& o) const;

private:
    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    std::map<std::string, size_t> m_index;
    void reindex();
};

bool isValidId(const std::string& id);  // [A-Za-z_][A-Za-z0-9_.-]*, at most 128 chars
// Ids made by composite expansion: valid ids joined by '/'.
bool isValidPathId(const std::string& id);

}  // namespace archscope
