#include "graph/graph.h"

#include <algorithm>
#include <cctype>
#include <queue>
#include <set>

namespace archscope {

bool isValidId(const std::string& id) {
    if (id.empty() || id.size() > 128) return false;
    if (!(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_')) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
    return true;
}

bool isValidPathId(const std::string& id) {
    if (id.size() > 1024) return false;
    size_t start = 0;
    while (true) {
        size_t slash = id.find('/', start);
        if (!isValidId(id.substr(start, slash == std::string::npos ? std::string::npos : slash - start))) return false;
        if (slash == std::string::npos) return true;
        start = slash + 1;
    }
}

void Graph::reindex() {
    m_index.clear();
    for (size_t i = 0; i < m_nodes.size(); ++i) m_index[m_nodes[i].id] = i;
}

const Node* Graph::node(const std::string& id) const {
    auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &m_nodes[it->second];
}

Node* Graph::node(const std::string& id) {
    auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &m_nodes[it->second];
}

bool Graph::addNode(Node n) {
    if (m_index.count(n.id)) return false;
    m_index[n.id] = m_nodes.size();
    m_nodes.push_back(std::move(n));
    return true;
}

bool Graph::removeNode(const std::string& id) {
    auto it = m_index.find(id);
    if (it == m_index.end()) return false;
    m_nodes.erase(m_nodes.begin() + long(it->second));
    std::erase_if(m_edges, [&](const Edge& e) { return e.from.node == id || e.to.node == id; });
    for (auto& g : groups) std::erase(g.nodes, id);
    reindex();
    return true;
}

bool Graph::renameNode(const std::string& from, const std::string& to) {
    if (!m_index.count(from) || m_index.count(to)) return false;
    node(from)->id = to;
    for (auto& e : m_edges) {
        if (e.from.node == from) e.from.node = to;
        if (e.to.node == from) e.to.node = to;
    }
    for (auto& g : groups) std::replace(g.nodes.begin(), g.nodes.end(), from, to);
    reindex();
    return true;
}

void Graph::connect(const PortRef& from, const PortRef& to) {
    disconnect(to);
    m_edges.push_back({from, to});
}

bool Graph::disconnect(const PortRef& to) {
    return std::erase_if(m_edges, [&](const Edge& e) { return e.to == to; }) > 0;
}

std::optional<PortRef> Graph::source(const PortRef& to) const {
    for (auto& e : m_edges)
        if (e.to == to) return e.from;
    return std::nullopt;
}

std::vector<Edge> Graph::edgesFrom(const std::string& n) const {
    std::vector<Edge> r;
    for (auto& e : m_edges)
        if (e.from.node == n) r.push_back(e);
    return r;
}

std::string Graph::uniqueId(const std::string& base) const {
    if (!m_index.count(base)) return base;
    for (int i = 1;; ++i) {
        std::string id = base + "_" + std::to_string(i);
        if (!m_index.count(id)) return id;
    }
}

Bindings Graph::defaultBindings() const {
    Bindings b;
    for (auto& s : symbols) b[s.name] = s.value;
    return b;
}

bool Graph::topoOrder(std::vector<std::string>* order, std::vector<std::string>* cycle) const {
    std::map<std::string, int> indeg;
    std::map<std::string, std::vector<std::string>> succ;
    for (auto& n : m_nodes) indeg[n.id] = 0;
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& e : m_edges) {
        if (!m_index.count(e.from.node) || !m_index.count(e.to.node)) continue;
        if (!seen.insert({e.from.node, e.to.node}).second) continue;
        succ[e.from.node].push_back(e.to.node);
        indeg[e.to.node]++;
    }
    // Ready nodes in document order keep the order deterministic and readable.
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    for (auto& n : m_nodes)
        if (indeg[n.id] == 0) ready.push(m_index.at(n.id));
    order->clear();
    while (!ready.empty()) {
        const std::string& id = m_nodes[ready.top()].id;
        ready.pop();
        order->push_back(id);
        for (auto& s : succ[id])
            if (--indeg[s] == 0) ready.push(m_index.at(s));
    }
    if (order->size() == m_nodes.size()) return true;
    if (cycle) {
        // Walk predecessors among the remaining nodes until one repeats: that loop is a cycle.
        std::map<std::string, std::string> pred;
        for (auto& e : m_edges)
            if (indeg.count(e.to.node) && indeg[e.to.node] > 0 && indeg.count(e.from.node) && indeg[e.from.node] > 0)
                pred[e.to.node] = e.from.node;
        std::string cur;
        for (auto& n : m_nodes) if (indeg[n.id] > 0) { cur = n.id; break; }
        std::vector<std::string> path;
        std::set<std::string> onPath;
        while (!cur.empty() && !onPath.count(cur)) {
            onPath.insert(cur);
            path.push_back(cur);
            cur = pred.count(cur) ? pred[cur] : std::string();
        }
        cycle->clear();
        auto it = std::find(path.begin(), path.end(), cur);
        for (; it != path.end(); ++it) cycle->push_back(*it);
        std::reverse(cycle->begin(), cycle->end());
    }
    return false;
}

bool Graph::operator==(const Graph& o) const {
    auto nodeEq = [](const Node& a, const Node& b) {
        return a.id == b.id && a.op == b.op && a.attrs == b.attrs && a.x == b.x && a.y == b.y && a.label == b.label;
    };
    if (m_nodes.size() != o.m_nodes.size() || !(m_edges == o.m_edges)) return false;
    for (size_t i = 0; i < m_nodes.size(); ++i)
        if (!nodeEq(m_nodes[i], o.m_nodes[i])) return false;
    if (metadata != o.metadata || weights.file != o.weights.file || weights.seed != o.weights.seed) return false;
    if (symbols.size() != o.symbols.size() || groups.size() != o.groups.size()) return false;
    for (size_t i = 0; i < symbols.size(); ++i)
        if (symbols[i].name != o.symbols[i].name || symbols[i].value != o.symbols[i].value || symbols[i].doc != o.symbols[i].doc)
            return false;
    for (size_t i = 0; i < groups.size(); ++i)
        if (groups[i].id != o.groups[i].id || groups[i].label != o.groups[i].label || groups[i].nodes != o.groups[i].nodes ||
            groups[i].collapsed != o.groups[i].collapsed || groups[i].block != o.groups[i].block ||
            groups[i].blockAttrs != o.groups[i].blockAttrs)
            return false;
    return true;
}

}  // namespace archscope
