// Nesting of the design's groups, derived from their node sets (the design
// file has no parent field): group A is inside group B when every node of A is
// a node of B and B is larger (equal sets: the one listed first is outside).
// A's parent is the smallest such B. Built by GraphDocument after each
// structural change; indices follow Graph::groups.
#pragma once

#include "graph/graph.h"

#include <vector>

namespace archscope::ui {

class GroupTree {
public:
    void build(const std::vector<Group>& groups);
    int parent(int i) const { return i >= 0 && i < int(m_parent.size()) ? m_parent[size_t(i)] : -1; }
    // True when group i lies strictly inside group `outer` (-1: the whole design, which holds every group).
    bool inside(int i, int outer) const;
    // i, its parent, ... up to the outermost group.
    std::vector<int> chain(int i) const;

private:
    std::vector<int> m_parent;
};

// Index of the group with id `id` in `groups`, or -1.
int groupIndex(const std::vector<Group>& groups, const std::string& id);

}  // namespace archscope::ui
