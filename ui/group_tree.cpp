#include "group_tree.h"

#include <algorithm>
#include <map>
#include <set>

namespace archscope::ui {

void GroupTree::build(const std::vector<Group>& groups) {
    const int n = int(groups.size());
    m_parent.assign(size_t(n), -1);
    std::vector<std::set<std::string>> sets(static_cast<size_t>(n));
    std::map<std::string, std::vector<int>> holders;  // node -> groups holding it
    for (int i = 0; i < n; ++i) {
        sets[size_t(i)].insert(groups[size_t(i)].nodes.begin(), groups[size_t(i)].nodes.end());
        for (auto& id : sets[size_t(i)]) holders[id].push_back(i);
    }
    for (int i = 0; i < n; ++i) {
        const auto& a = sets[size_t(i)];
        if (a.empty()) continue;
        int best = -1;
        for (int j : holders[*a.begin()]) {  // a container holds a's first node
            const auto& b = sets[size_t(j)];
            if (j == i || b.size() < a.size() || (b.size() == a.size() && j > i)) continue;
            if (!std::includes(b.begin(), b.end(), a.begin(), a.end())) continue;
            const auto& cur = best < 0 ? b : sets[size_t(best)];
            if (best < 0 || b.size() < cur.size() || (b.size() == cur.size() && j > best)) best = j;
        }
        m_parent[size_t(i)] = best;
    }
}

bool GroupTree::inside(int i, int outer) const {
    if (i < 0 || i == outer) return false;
    if (outer < 0) return true;
    for (int p = parent(i); p >= 0; p = parent(p))
        if (p == outer) return true;
    return false;
}

std::vector<int> GroupTree::chain(int i) const {
    std::vector<int> out;
    for (int p = i; p >= 0 && out.size() <= m_parent.size(); p = parent(p)) out.push_back(p);
    return out;
}

int groupIndex(const std::vector<Group>& groups, const std::string& id) {
    for (size_t i = 0; i < groups.size(); ++i)
        if (groups[i].id == id) return int(i);
    return -1;
}

}  // namespace archscope::ui
