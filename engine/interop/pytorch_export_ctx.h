// The writing context of the PyTorch export (pytorch_export.cpp and the further
// op tables in pytorch_export_more.cpp / pytorch_export_seq.cpp): how one node
// becomes a module constructor and a forward expression, and small formatting
// helpers. Only the pytorch_export*.cpp files include it.
#pragma once

#include "graph/analysis.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscope::pyout {

struct PyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline std::string pyName(const std::string& id) {
    static const std::set<std::string> kw = {"in", "is", "if", "else", "for", "def", "class", "return", "and", "or", "not", "as",
                                             "lambda", "with", "from", "import", "pass", "None", "True", "False", "self", "x", "torch"};
    std::string s;
    for (char c : id) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "n_" + s;
    if (kw.count(s)) s += "_";
    return s;
}

inline std::string className(const std::string& id) {
    std::string s;
    bool up = true;
    for (char c : id) {
        if (!std::isalnum(static_cast<unsigned char>(c))) { up = true; continue; }
        s += up ? char(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "Block" + s;
    return s;
}

inline std::string pyList(const std::vector<int64_t>& v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
}

inline std::string num(double v) {
    if (std::isinf(v)) return v > 0 ? "float(\"inf\")" : "float(\"-inf\")";
    std::ostringstream o;
    o.precision(9);
    o << v;
    std::string s = o.str();
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

inline std::vector<int64_t> pair2(const std::vector<int64_t>& v, int64_t def) {
    if (v.empty()) return {def, def};
    return {v[0], v.size() > 1 ? v[1] : v[0]};
}

// Writes one node: `module` is the constructor expression (empty if none),
// `expr` the forward expression, reading inputs through in(i).
struct Py {
    const Analysis& a;
    const Node* n = nullptr;
    const NodeInfo* info = nullptr;
    std::map<PortRef, std::string>* vars = nullptr;
    std::string module;  // "nn.Linear(64, 128, bias=True)"
    std::string self;    // "self.<name>"

    const Attrs& at() const { return info->attrs; }
    std::string in(int i) const {
        auto src = a.graph().source({n->id, info->def->inputs[size_t(i)].name});
        if (!src) return "None";
        auto it = vars->find(*src);
        if (it == vars->end()) throw PyError("internal: input " + std::to_string(i) + " of " + n->id + " not available");
        return it->second;
    }
    std::vector<int64_t> inShape(int i = 0) const { return shapeValues(info->inputs[size_t(i)]->shape); }
    std::vector<int64_t> outShape(int k = 0) const { return shapeValues(info->outputs[size_t(k)].shape); }
};

using PyFn = std::function<std::string(Py&)>;

inline PyFn fn(const char* f) { return [f](Py& p) { return std::string(f) + "(" + p.in(0) + ")"; }; }
inline PyFn op(const char* o) { return [o](Py& p) { return p.in(0) + " " + o + " " + p.in(1); }; }

// Op tables beyond the core one (pytorch_export.cpp): position, mask, window and
// selection ops (pytorch_export_more.cpp); recurrences and mixture of experts
// (pytorch_export_seq.cpp). Each file may add Python helpers (functions, nn.Module
// classes) to the generated file's prelude.
const std::map<std::string, PyFn>& morePyTable();
const char* morePyPrelude();
const std::map<std::string, PyFn>& seqPyTable();
const char* seqPyPrelude();

}  // namespace archscope::pyout
