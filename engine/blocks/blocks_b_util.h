// Small helpers for writing composite-block bodies and template graphs as code
// (used by the "blocks B" blocks and templates). A source is "node" (its output
// port "y") or "node:port".
#pragma once

#include "graph/graph.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace archscope::blocks_b {

using Attr = std::pair<std::string, AttrValue>;
using In = std::pair<std::string, std::string>;  // input port, source

class Builder {
public:
    explicit Builder(Graph* g) : m_g(g) {}

    // Adds node `id` of `op` and connects each input port to its source. Returns id.
    std::string add(const std::string& id, const std::string& op, std::vector<Attr> attrs, std::vector<In> inputs) {
        Node n{id, op};
        for (auto& [k, v] : attrs) n.attrs[k] = v;
        n.x = 220.0 * double(m_count % 12);
        n.y = 140.0 * double(m_count / 12);
        ++m_count;
        m_g->addNode(std::move(n));
        for (auto& [port, src] : inputs) m_g->connect(ref(src), {id, port});
        return id;
    }
    // One-input node on port "x".
    std::string op(const std::string& id, const std::string& op, const std::string& src, std::vector<Attr> attrs = {}) {
        return add(id, op, std::move(attrs), {{"x", src}});
    }
    std::string input(const std::string& id, std::vector<Attr> attrs = {}) { return add(id, "input", std::move(attrs), {}); }
    std::string output(const std::string& id, const std::string& src) { return add(id, "output", {}, {{"x", src}}); }
    std::string binary(const std::string& id, const std::string& op, const std::string& a, const std::string& b) {
        return add(id, op, {}, {{"a", a}, {"b", b}});
    }
    static PortRef ref(const std::string& src) {
        auto colon = src.find(':');
        if (colon == std::string::npos) return {src, "y"};
        return {src.substr(0, colon), src.substr(colon + 1)};
    }
    Graph& graph() { return *m_g; }

private:
    Graph* m_g;
    int m_count = 0;
};

inline AttrValue ints(std::vector<int64_t> v) { return AttrValue(std::move(v)); }
inline AttrValue i64(int64_t v) { return AttrValue(v); }

// Multi-head scaled dot-product attention on per-head tensors q [.., H, Tq, hd],
// k, v [.., H, Tk, hd]; `bias` and `mask` are optional additive terms ("" for none).
// Nodes are named prefix + "scores", "bias_add", "softmax", "context". Returns the context.
inline std::string attention(Builder& b, const std::string& prefix, const std::string& q, const std::string& k,
                             const std::string& v, int64_t headDim, const std::string& bias = "", const std::string& mask = "") {
    std::string s = b.add(prefix + "scores", "matmul", {{"transpose_b", true}, {"alpha", 1.0 / std::sqrt(double(headDim))}},
                          {{"a", q}, {"b", k}});
    if (!bias.empty()) s = b.binary(prefix + "bias_add", "add", s, bias);
    std::vector<In> in{{"x", s}};
    if (!mask.empty()) in.push_back({"mask", mask});
    std::string p = b.add(prefix + "softmax", "softmax", {{"axis", i64(-1)}}, in);
    return b.add(prefix + "context", "matmul", {}, {{"a", p}, {"b", v}});
}

// [.., T, heads*hd] -> [.., heads, T, hd] (unflatten, then swap T and heads of a rank-`rank` input).
inline std::string splitHeads(Builder& b, const std::string& id, const std::string& src, int64_t heads, int rank) {
    std::string u = b.op(id + "_split", "unflatten", src, {{"axis", i64(-1)}, {"sizes", ints({heads, -1})}});
    std::vector<int64_t> perm;
    for (int i = 0; i < rank + 1; ++i) perm.push_back(i);
    std::swap(perm[size_t(rank - 2)], perm[size_t(rank - 1)]);
    return b.op(id, "permute", u, {{"perm", ints(perm)}});
}

// [.., heads, T, hd] -> [.., T, heads*hd] for a rank-`rank` result.
inline std::string mergeHeads(Builder& b, const std::string& id, const std::string& src, int rank) {
    std::vector<int64_t> perm;
    for (int i = 0; i < rank + 1; ++i) perm.push_back(i);
    std::swap(perm[size_t(rank - 2)], perm[size_t(rank - 1)]);
    std::string p = b.op(id + "_perm", "permute", src, {{"perm", ints(perm)}});
    return b.op(id, "flatten", p, {{"start_axis", i64(-2)}, {"end_axis", i64(-1)}});
}

}  // namespace archscope::blocks_b
