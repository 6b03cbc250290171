// BodyBuilder: compact construction of a composite block's body graph.
//
// Used by the expand() functions in engine/blocks/: each call adds one node
// and wires its inputs, returning the PortRef of its output so bodies read
// like the formulas they implement. Nodes are stacked top to bottom on the
// canvas in creation order (what the user sees when opening the block).
#pragma once

#include "graph/graph.h"

#include <string>
#include <utility>
#include <vector>

namespace archscope::blocks {

using AttrList = std::map<std::string, AttrValue>;
using Inputs = std::vector<std::pair<std::string, PortRef>>;

class BodyBuilder {
public:
    explicit BodyBuilder(Graph* g) : m_g(g) {}

    // An "input" node named after the block's input port.
    PortRef input(const std::string& port) {
        place(Node{port, "input"});
        return {port, "y"};
    }
    // An "output" node named after the block's output port, fed by `src`.
    void output(const std::string& port, const PortRef& src) {
        place(Node{port, "output"});
        m_g->connect(src, {port, "x"});
    }
    // Adds node `id` of `op`; returns its output port `out`.
    PortRef add(const std::string& id, const std::string& op, AttrList attrs, const Inputs& ins, const std::string& out = "y") {
        place(Node{id, op, std::move(attrs)});
        for (auto& [port, src] : ins) m_g->connect(src, {id, port});
        return {id, out};
    }
    Graph* graph() { return m_g; }

private:
    void place(Node n) {
        n.x = 0;
        n.y = 80.0 * double(m_g->nodes().size());
        m_g->addNode(std::move(n));
    }
    Graph* m_g;
};

inline AttrValue I(int64_t v) { return AttrValue(v); }
inline AttrValue F(double v) { return AttrValue(v); }
inline AttrValue S(const std::string& v) { return AttrValue(v); }
inline AttrValue B(bool v) { return AttrValue(v); }
inline AttrValue Is(std::vector<int64_t> v) { return AttrValue(std::move(v)); }

}  // namespace archscope::blocks
