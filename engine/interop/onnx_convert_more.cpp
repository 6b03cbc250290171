// More converters of ONNX nodes onto core ops (see onnx_convert.cpp): TopK,
// CumSum, Elu, and Gather with constant indices that are not one range.
#include "interop/onnx_importer.h"

#if ARCHSCOPE_HAVE_ONNX

namespace archscope::onnxin {

namespace {

const Value& IN(Importer& im, int i) {
    const Value* v = im.in(i);
    if (!v) throw ImportError("input " + std::to_string(i) + " is missing");
    return *v;
}

bool floatInput(Importer& im) {
    if (IN(im, 0).isConst || IN(im, 0).type.dtype == DType::F32) return true;
    return im.unsupported("int64 tensors in arithmetic (only float computation is imported)");
}

PortRef concatAll(Importer& im, std::vector<PortRef> parts, int axis) {
    while (parts.size() > 1) {  // concat joins up to 4 tensors
        const size_t take = std::min<size_t>(4, parts.size());
        std::vector<PortRef> group(parts.begin(), parts.begin() + long(take));
        PortRef joined = im.emit1("concat", {{"axis", int64_t(axis)}}, group);
        parts.erase(parts.begin(), parts.begin() + long(take));
        parts.insert(parts.begin(), joined);
    }
    return parts.front();
}

}  // namespace

bool convertTopK(Importer& im) {
    if (!floatInput(im)) return false;
    if (!IN(im, 1).isConst) return im.unsupported("k that is not constant");
    if (im.attrInt("sorted", 1) != 1) return im.unsupported("sorted = 0");
    const int64_t k = toInt64(scalarOf(IN(im, 1).data));
    auto outs = im.emit("topk", {{"k", k}, {"axis", im.attrInt("axis", -1)}, {"largest", im.attrInt("largest", 1) != 0}}, {im.port(0)});
    im.setPort(0, outs[0]);
    im.setPort(1, outs[1]);
    return true;
}

bool convertCumSum(Importer& im) {
    if (!floatInput(im)) return false;
    if (!IN(im, 1).isConst) return im.unsupported("axis that is not constant");
    const std::map<std::string, AttrValue> a{{"axis", toInt64(scalarOf(IN(im, 1).data))},
                                             {"exclusive", im.attrInt("exclusive", 0) != 0},
                                             {"reverse", im.attrInt("reverse", 0) != 0}};
    im.setPort(0, im.emit1("cumsum", a, {im.port(0)}));
    return true;
}

// Elu (alpha 1) = elu1 - 1.
bool convertElu(Importer& im) {
    if (!floatInput(im)) return false;
    if (im.attrFloat("alpha", 1.0) != 1.0) return im.unsupported("alpha other than 1");
    PortRef e1 = im.emit1("elu1", {}, {im.port(0)});
    im.setPort(0, im.emit1("scale", {{"scale", 1.0}, {"bias", -1.0}}, {e1}));
    return true;
}

PortRef gatherRuns(Importer& im, const PortRef& x, int axis, const std::vector<int64_t>& ids) {
    std::vector<std::pair<int64_t, int64_t>> runs;  // [start, end)
    for (int64_t i : ids) {
        if (!runs.empty() && runs.back().second == i) ++runs.back().second;
        else runs.push_back({i, i + 1});
        if (runs.size() > kMaxGatherRuns) return {};
    }
    std::vector<PortRef> parts;
    for (auto [a, b] : runs)
        parts.push_back(im.emit1("slice", {{"axis", int64_t(axis)}, {"start", a}, {"end", b}, {"step", int64_t(1)}}, {x}));
    return concatAll(im, parts, axis);
}

}  // namespace archscope::onnxin

#endif
