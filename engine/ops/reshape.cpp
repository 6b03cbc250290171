// reshape: y = x viewed with a new shape of the same element count (row-major order kept).
// The target is a shape string such as "B, T, 4, 16"; one dimension may be -1 and is
// inferred, symbolically where the division is exact. Kernel: one memcpy.
#include "ops/common.h"
#include "ops/layout_util.h"

#include <algorithm>
#include <cstring>

namespace archscope::ops {
namespace {

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Parses the target; `inferAt` is the index of the -1 entry or -1.
bool parseTarget(InferCtx& c, Shape* out, int* inferAt) {
    const std::string& text = c.attrs.s("shape");
    *inferAt = -1;
    if (trim(text).empty()) return true;  // scalar
    size_t start = 0;
    while (true) {
        size_t comma = text.find(',', start);
        std::string part = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (part == "-1") {
            if (*inferAt >= 0) return c.error("attribute \"shape\" = \"" + text + "\": only one dimension may be -1");
            *inferAt = int(out->size());
            out->push_back(Dim(1));
        } else {
            std::string err;
            auto d = Dim::parse(part, c.bindings, &err);
            if (!d) return c.error("attribute \"shape\": " + err);
            if (d->value() <= 0) return c.error("attribute \"shape\" = \"" + text + "\": dimension " + part + " is not positive");
            out->push_back(*d);
        }
        if (comma == std::string::npos) return true;
        start = comma + 1;
    }
}

// total / known, keeping a symbolic form when dims common to input and target cancel.
Dim inferredDim(const Shape& in, const Shape& target, int at) {
    std::vector<std::string> rest;
    for (auto& d : in) rest.push_back(d.str());
    Dim known(1), unmatched(1), remaining(1);
    for (int i = 0; i < int(target.size()); ++i) {
        if (i == at) continue;
        known = known * target[size_t(i)];
        auto it = std::find(rest.begin(), rest.end(), target[size_t(i)].str());
        if (it != rest.end() && target[size_t(i)].hasExpr()) rest.erase(it);
        else unmatched = unmatched * target[size_t(i)];
    }
    for (auto& d : in)
        if (auto it = std::find(rest.begin(), rest.end(), d.str()); it != rest.end()) { remaining = remaining * d; rest.erase(it); }
    if (!unmatched.isSymbolic() && unmatched.hasExpr()) return remaining.floorDiv(unmatched.value());
    return Dim(shapeNumel(in) / known.value());
}

bool infer(InferCtx& c) {
    Shape target;
    int at = -1;
    if (!parseTarget(c, &target, &at)) return false;
    const Shape& x = c.shape(0);
    int64_t n = shapeNumel(x), known = 1;
    for (int i = 0; i < int(target.size()); ++i)
        if (i != at) known *= target[size_t(i)].value();
    std::string src = c.sources[0].empty() ? "" : " from \"" + c.sources[0] + "\"";
    if (at >= 0) {
        if (n % known != 0)
            return c.error(0, "cannot reshape " + shapeStr(x) + src + " (" + std::to_string(n) + " elements) to \"" + c.attrs.s("shape") +
                                  "\": " + std::to_string(n) + " is not divisible by " + std::to_string(known));
        target[size_t(at)] = inferredDim(x, target, at);
    } else if (known != n) {
        return c.error(0, "cannot reshape " + shapeStr(x) + src + " (" + std::to_string(n) + " elements) to " + shapeStr(target) + " (" +
                              std::to_string(known) + " elements)");
    }
    c.out(target, c.in(0).dtype);
    return true;
}

}  // namespace

const OpDef& op_reshape() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "reshape";
        d.displayName = "Reshape";
        d.category = "Layout";
        d.doc = "Gives x a new shape with the same element count, e.g. \"B, T, 4, 16\" for heads; one dimension may be -1.";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y", PortType::Any, "the target shape, same dtype"}};
        d.attrs = {attrShape("shape", "-1", "target dims, comma separated; sizes (B, T, ...), expressions and one -1 allowed")};
        d.infer = infer;
        d.cpu = [](KernelCtx& k) { std::memcpy(k.out(0).raw(), k.in(0).raw(), k.in(0).byteSize()); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
