#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_symbols.h"

#include "graph/analysis.h"
#include "interop/onnx_importer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>

namespace archscope::onnxin {

namespace {

std::string symbolName(const std::string& param) {
    std::string s;
    for (char c : param) s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) s = "S" + s;
    return s;
}

std::vector<std::string> splitDims(const std::string& s) {
    std::vector<std::string> out;
    size_t a = 0;
    while (true) {
        size_t b = s.find(',', a);
        std::string p = s.substr(a, b == std::string::npos ? std::string::npos : b - a);
        while (!p.empty() && p.front() == ' ') p.erase(p.begin());
        while (!p.empty() && p.back() == ' ') p.pop_back();
        out.push_back(p);
        if (b == std::string::npos) return out;
        a = b + 1;
    }
}

std::optional<int64_t> toInt(const std::string& s) {
    if (s.empty()) return std::nullopt;
    size_t used = 0;
    try {
        int64_t v = std::stoll(s, &used);
        if (used == s.size()) return v;
    } catch (...) {
    }
    return std::nullopt;
}

// The import at `b` (nullopt when it fails).
struct Probe {
    Graph g;
    TensorMap w;
};
std::optional<Probe> importAt(const onnx::GraphProto& graph, OnnxImportOptions opt, const Bindings& b, const std::string& baseDir) {
    opt.bindings = b;
    Probe p;
    OnnxImportReport rep;
    try {
        Importer im(graph, opt, baseDir, &p.g, &p.w, &rep);
        im.run();
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (!rep.unsupported.empty()) return std::nullopt;
    return p;
}

// Where `bumped` differs from `base` other than in comma-separated integer sizes: "" when nowhere.
std::string otherDifference(const Graph& base, const TensorMap& bw, const Probe& bumped) {
    if (base.nodes().size() != bumped.g.nodes().size() || base.edges().size() != bumped.g.edges().size()) return "the graph's structure";
    for (size_t i = 0; i < base.nodes().size(); ++i) {
        const Node& a = base.nodes()[i];
        const Node& b = bumped.g.nodes()[i];
        if (a.id != b.id || a.op != b.op || a.attrs.size() != b.attrs.size()) return "the graph's structure";
        for (auto& [k, v] : a.attrs) {
            auto it = b.attrs.find(k);
            if (it == b.attrs.end()) return "node \"" + a.id + "\"";
            if (it->second == v) continue;
            const auto* sa = std::get_if<std::string>(&v);
            const auto* sb = std::get_if<std::string>(&it->second);
            if (!sa || !sb || splitDims(*sa).size() != splitDims(*sb).size()) return "node \"" + a.id + "\" attribute \"" + k + "\"";
            auto pa = splitDims(*sa), pb = splitDims(*sb);
            for (size_t d = 0; d < pa.size(); ++d)
                if (pa[d] != pb[d] && (!toInt(pa[d]) || !toInt(pb[d]))) return "node \"" + a.id + "\" attribute \"" + k + "\"";
        }
    }
    if (bw.size() != bumped.w.size()) return "the parameters";
    for (auto& [k, t] : bw) {
        auto it = bumped.w.find(k);
        if (it == bumped.w.end() || it->second.shape() != t.shape() || it->second.byteSize() != t.byteSize() ||
            std::memcmp(it->second.raw(), t.raw(), t.byteSize()) != 0)
            return "constant \"" + k + "\"";
    }
    return "";
}

// A size that changes with some symbols: its value `d0` at the import values and,
// per symbol it depends on, {name, import value, value with that symbol one larger}.
struct Dep {
    std::string name;
    int64_t base, bumped;
};

// "c*S1*S2..." or "S+k" reproducing every probe; "" when neither form fits.
std::string sizeExpr(int64_t d0, const std::vector<Dep>& deps) {
    int64_t prod = 1;
    for (auto& dp : deps) prod *= dp.base;
    std::string expr;
    if (d0 % prod == 0) {
        const int64_t c = d0 / prod;
        bool fits = true;
        for (auto& dp : deps) fits = fits && dp.bumped == c * prod / dp.base * (dp.base + 1);
        if (fits) {
            if (c != 1) expr = std::to_string(c) + "*";
            for (size_t j = 0; j < deps.size(); ++j) {
                if (j) expr += '*';
                expr += symbolName(deps[j].name);
            }
            return expr;
        }
    }
    if (deps.size() == 1 && deps[0].bumped == d0 + 1) {  // S + k
        const int64_t k = d0 - deps[0].base;
        expr = symbolName(deps[0].name);  // appended piecewise: GCC 12 warns falsely on "+" + to_string()
        if (k > 0) expr += '+';
        if (k != 0) expr += std::to_string(k);
    }
    return expr;
}

// Rewrites every integer size of `out` (the import at `base`, node for node as `ref`)
// that changes in a probe as an expression of the symbols. "" on success, else why not.
std::string rewriteSizes(const Graph& ref, const std::map<std::string, Probe>& bumped, const Bindings& base, Graph* out) {
    for (size_t i = 0; i < ref.nodes().size(); ++i) {
        Node& n = *out->node(ref.nodes()[i].id);
        for (auto& [k, v] : n.attrs) {
            auto* s = std::get_if<std::string>(&v);
            if (!s) continue;
            std::vector<std::string> parts = splitDims(*s);
            bool changed = false;
            for (size_t d = 0; d < parts.size(); ++d) {
                auto d0 = toInt(parts[d]);
                if (!d0) continue;
                std::vector<Dep> deps;
                for (auto& [p, probe] : bumped) {
                    const std::string other = splitDims(std::get<std::string>(probe.g.nodes()[i].attrs.at(k)))[d];
                    if (other != parts[d]) deps.push_back({p, base.at(p), toInt(other).value_or(-1)});
                }
                if (deps.empty()) continue;
                std::string expr = sizeExpr(*d0, deps);
                if (expr.empty()) return "size " + parts[d] + " of node \"" + n.id + "\" attribute \"" + k + "\" is not c*S or S+k of them";
                parts[d] = expr;
                changed = true;
            }
            if (!changed) continue;
            std::string joined;
            for (size_t d = 0; d < parts.size(); ++d) {
                if (d) joined += ", ";
                joined += parts[d];
            }
            v = joined;
        }
    }
    return "";
}

// "" when `out`'s sizes evaluated at `sym` equal those of an import at `raw`.
std::string checkMoved(const onnx::GraphProto& graph, const OnnxImportOptions& opt, const std::string& baseDir, const Graph& out,
                       const Bindings& raw, const Bindings& sym) {
    auto probe = importAt(graph, opt, raw, baseDir);
    if (!probe || probe->g.nodes().size() != out.nodes().size()) return "the model does not import with every symbolic dim larger";
    for (size_t i = 0; i < out.nodes().size(); ++i) {
        const Node& n = out.nodes()[i];
        for (auto& [k, v] : n.attrs) {
            const auto* s = std::get_if<std::string>(&v);
            const auto* t = std::get_if<std::string>(&probe->g.nodes()[i].attrs.at(k));
            if (!s || !t || *s == *t) continue;
            auto a = splitDims(*s), b = splitDims(*t);
            for (size_t d = 0; d < a.size() && d < b.size(); ++d) {
                std::string err;
                auto dim = Dim::parse(a[d], sym, &err);
                if (!dim || !toInt(b[d]) || dim->value() != *toInt(b[d]))
                    return "size \"" + a[d] + "\" of node \"" + n.id + "\" does not match the import at other sizes (" + b[d] + ")";
            }
        }
    }
    return "";
}

}  // namespace

void makeSymbolic(const onnx::GraphProto& graph, const OnnxImportOptions& opt, const std::string& baseDir, Graph* g, OnnxImportReport* rep) {
    std::set<std::string> inits;
    for (auto& t : graph.initializer()) inits.insert(t.name());
    std::vector<std::string> params;
    for (auto& in : graph.input()) {
        if (inits.count(in.name()) || !in.type().has_tensor_type()) continue;
        for (auto& d : in.type().tensor_type().shape().dim())
            if (!d.has_dim_value() && d.has_dim_param() && std::find(params.begin(), params.end(), d.dim_param()) == params.end())
                params.push_back(d.dim_param());
    }
    if (params.empty()) return;
    Bindings base;
    for (auto& p : params) base[p] = opt.bindings.count(p) ? opt.bindings.at(p) : 1;
    auto ref = importAt(graph, opt, base, baseDir);  // the import `g` came from, with its weights
    if (!ref) return;
    // Per symbol: the bumped import, or why the symbol stays fixed.
    std::map<std::string, Probe> bumped;
    for (auto& p : params) {
        Bindings b = base;
        b[p] += 1;
        auto probe = importAt(graph, opt, b, baseDir);
        std::string why = probe ? otherDifference(ref->g, ref->w, *probe) : "the import at " + p + " = " + std::to_string(b[p]);
        if (why.empty()) { bumped.emplace(p, std::move(*probe)); continue; }
        rep->warnings.push_back("symbolic dim \"" + p + "\" stays fixed at " + std::to_string(base[p]) + ": " + why + " depends on it");
    }
    if (bumped.empty()) return;
    Graph out = *g;
    if (std::string why = rewriteSizes(ref->g, bumped, base, &out); !why.empty()) {
        rep->warnings.push_back("symbolic dims stay fixed: " + why);
        return;
    }
    for (auto& [p, probe] : bumped) out.symbols.push_back({symbolName(p), base[p], "ONNX dim_param \"" + p + "\""});
    // Check: every symbol moved at once (by 2), the rewritten sizes must equal a fresh
    // import's, and the design must analyse at both the import values and the moved ones.
    AnalyzeOptions moved;
    Bindings movedRaw = base;
    for (auto& [p, probe] : bumped) {
        moved.bindings[symbolName(p)] = base[p] + 2;
        movedRaw[p] = base[p] + 2;
    }
    if (std::string why = checkMoved(graph, opt, baseDir, out, movedRaw, moved.bindings); !why.empty()) {
        rep->warnings.push_back("symbolic dims stay fixed: " + why);
        return;
    }
    Analysis a0 = analyze(out, {}), a1 = analyze(out, moved);
    if (!a0.ok() || !a1.ok()) {
        rep->warnings.push_back("symbolic dims stay fixed: the design does not reflow (" + (a0.ok() ? a1 : a0).errorText() + ")");
        return;
    }
    *g = std::move(out);
    for (auto& [p, probe] : bumped) {
        // The importer's "fixed to" warnings for these symbols no longer hold.
        const std::string tag = "symbolic dim \"" + p + "\" fixed to";
        std::erase_if(rep->warnings, [&](const std::string& w) { return w.find(tag) != std::string::npos; });
        rep->warnings.push_back("symbolic dim \"" + p + "\" imported as design size " + symbolName(p) + " (default " +
                                std::to_string(base[p]) + "; change it in the sizes panel or with --set)");
    }
}

}  // namespace archscope::onnxin

#endif
