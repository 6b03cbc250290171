// Constant folding: host evaluation of ONNX nodes whose inputs are all
// constants (and Shape/Size of design values, whose shapes are known). This is
// what removes the shape arithmetic of exported models (Shape -> Gather ->
// Unsqueeze -> Concat -> Reshape, Range, ConstantOfShape, mask building with
// Trilu/Equal/Where). Values compute in double and are stored as f32 or i64.
#include "interop/onnx_importer.h"

#if ARCHSCOPE_HAVE_ONNX

#include <algorithm>
#include <cmath>
#include <limits>

namespace archscope::onnxin {

namespace {

using Shp = std::vector<int64_t>;

// Folded constants are shape arithmetic and masks: small. A file asking for more
// (or for a negative size) is refused before anything is allocated.
constexpr int64_t kMaxFoldElements = int64_t(1) << 26;

int64_t numelOf(const Shp& s) {
    int64_t n = 1;
    for (auto d : s)
        if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxFoldElements)
            throw ImportError("a constant of shape " + shapeStr(s) + " is negative or too large to fold (at most " +
                              std::to_string(kMaxFoldElements) + " elements)");
    return n;
}

std::vector<int64_t> stridesOf(const Shp& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
    return st;
}

int normAx(int64_t a, int rank) {
    int64_t n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) throw ImportError("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return int(n);
}

Shp broadcast(const std::vector<Shp>& shapes) {
    size_t r = 0;
    for (auto& s : shapes) r = std::max(r, s.size());
    Shp out(r, 1);
    for (auto& s : shapes)
        for (size_t i = 0; i < s.size(); ++i) {
            int64_t& o = out[r - s.size() + i];
            if (s[i] == 1) continue;
            if (o != 1 && o != s[i]) throw ImportError("shapes do not broadcast");
            o = s[i];
        }
    numelOf(out);  // negative or huge: refused here
    return out;
}

// Element offset into a tensor of shape `s` for output index i of shape `out` under broadcasting.
int64_t bcastOffset(int64_t i, const Shp& out, const Shp& s) {
    int64_t off = 0, mul = 1;
    for (size_t k = out.size(); k-- > 0;) {
        const int64_t idx = i % out[k];
        i /= out[k];
        const size_t sk = k + s.size();
        if (sk >= out.size()) {
            const size_t d = sk - out.size();
            if (s[d] != 1) off += idx * mul;
            mul *= s[d];
        }
    }
    return off;
}

Tensor elementwise(const std::vector<const Tensor*>& ins, DType outType, const std::function<double(const double*)>& f) {
    std::vector<Shp> shapes;
    std::vector<std::vector<double>> vals;
    for (auto* t : ins) { shapes.push_back(t->shape()); vals.push_back(toDoubles(*t)); }
    Shp out = broadcast(shapes);
    std::vector<double> r(size_t(numelOf(out))), args(ins.size());
    for (int64_t i = 0; i < int64_t(r.size()); ++i) {
        for (size_t k = 0; k < ins.size(); ++k) args[k] = vals[k][size_t(bcastOffset(i, out, shapes[k]))];
        r[size_t(i)] = f(args.data());
    }
    return fromDoubles(outType, out, r);
}

const Tensor& C(Importer& im, int i) {
    const Value* v = im.in(i);
    if (!v) throw ImportError("input " + std::to_string(i) + " is missing");
    return v->data;
}

bool isBoolIn(Importer& im, int i) { return im.in(i) && im.in(i)->isBool; }

void binary(Importer& im, double (*f)(double, double), bool toBool = false) {
    const Tensor &a = C(im, 0), &b = C(im, 1);
    const bool ints = a.dtype() == DType::I64 && b.dtype() == DType::I64;
    const DType dt = toBool || ints ? DType::I64 : DType::F32;
    im.setConst(0, elementwise({&a, &b}, dt, [&](const double* x) { return f(x[0], x[1]); }), toBool || (ints && isBoolIn(im, 0)));
}

void unary(Importer& im, double (*f)(double)) {
    const Tensor& a = C(im, 0);
    im.setConst(0, elementwise({&a}, a.dtype(), [&](const double* x) { return f(x[0]); }), isBoolIn(im, 0));
}

// Gathers a sub-tensor: out[idx] = in[map(idx)], map given per output axis as source indices.
Tensor takeAxes(const Tensor& t, const std::vector<std::vector<int64_t>>& pick) {
    Shp out;
    for (auto& p : pick) out.push_back(int64_t(p.size()));
    const auto st = stridesOf(t.shape());
    const size_t esz = dtypeSize(t.dtype());
    const int64_t n = numelOf(out);
    Tensor r(t.dtype(), out);
    for (int64_t i = 0; i < n; ++i) {
        int64_t rem = i, off = 0;
        for (size_t k = out.size(); k-- > 0;) { off += pick[k][size_t(rem % out[k])] * st[k]; rem /= out[k]; }
        std::memcpy(static_cast<char*>(r.raw()) + i * esz, static_cast<const char*>(t.raw()) + off * esz, esz);
    }
    return r;
}

std::vector<int64_t> iota(int64_t n) {
    std::vector<int64_t> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = i;
    return v;
}

void foldConstant(Importer& im) {
    bool isBool = false;
    if (auto a = im.attr("value")) { im.setConst(0, tensorFromProto(a->t(), ".", &isBool), isBool); return; }
    if (auto a = im.attr("value_float")) { im.setConst(0, Tensor::f32({}, {a->f()})); return; }
    if (auto a = im.attr("value_floats")) { im.setConst(0, Tensor::f32({a->floats_size()}, {a->floats().begin(), a->floats().end()})); return; }
    if (auto a = im.attr("value_int")) { im.setConst(0, Tensor::i64({}, {a->i()})); return; }
    if (auto a = im.attr("value_ints")) { im.setConst(0, Tensor::i64({a->ints_size()}, {a->ints().begin(), a->ints().end()})); return; }
    throw ImportError("Constant without a supported value attribute (sparse and string constants are not supported)");
}

void foldShape(Importer& im) {
    const Value* v = im.in(0);
    Shp s = v->shape();
    const int r = int(s.size());
    int64_t start = im.attrInt("start", 0), end = im.attrInt("end", r);
    start = std::clamp<int64_t>(start < 0 ? start + r : start, 0, r);
    end = std::clamp<int64_t>(end < 0 ? end + r : end, 0, r);
    Shp part(s.begin() + start, s.begin() + std::max(start, end));
    im.setConst(0, Tensor::i64({int64_t(part.size())}, part));
}

void foldCast(Importer& im) {
    using TP = onnx::TensorProto;
    const int to = int(im.attrInt("to", TP::FLOAT));
    const Tensor& a = C(im, 0);
    const bool toFloat = to == TP::FLOAT || to == TP::DOUBLE || to == TP::FLOAT16 || to == TP::BFLOAT16;
    auto v = toDoubles(a);
    if (to == TP::BOOL) for (auto& x : v) x = x != 0 ? 1 : 0;
    else if (!toFloat) for (auto& x : v) x = std::trunc(x);
    im.setConst(0, fromDoubles(toFloat ? DType::F32 : DType::I64, a.shape(), v), to == TP::BOOL);
}

void foldGather(Importer& im) {
    const Tensor &d = C(im, 0), &idx = C(im, 1);
    const int ax = normAx(im.attrInt("axis", 0), d.rank());
    std::vector<std::vector<int64_t>> pick;
    for (int k = 0; k < d.rank(); ++k) pick.push_back(k == ax ? std::vector<int64_t>{} : iota(d.shape()[size_t(k)]));
    for (int64_t i : toInts(idx)) {
        const int64_t n = d.shape()[size_t(ax)];
        if (i < -n || i >= n) throw ImportError("Gather index " + std::to_string(i) + " is out of range for axis size " + std::to_string(n));
        pick[size_t(ax)].push_back(i < 0 ? i + n : i);
    }
    Tensor t = takeAxes(d, pick);
    Shp out(d.shape().begin(), d.shape().begin() + ax);
    out.insert(out.end(), idx.shape().begin(), idx.shape().end());
    out.insert(out.end(), d.shape().begin() + ax + 1, d.shape().end());
    im.setConst(0, t.reshaped(out), isBoolIn(im, 0));
}

void foldConcat(Importer& im) {
    std::vector<const Tensor*> ts;
    for (int i = 0; i < im.inputCount(); ++i) if (im.in(i)) ts.push_back(&C(im, i));
    const int ax = normAx(im.attrInt("axis", 0), ts[0]->rank());
    Shp out = ts[0]->shape();
    out[size_t(ax)] = 0;
    for (auto* t : ts) out[size_t(ax)] += t->shape()[size_t(ax)];
    const DType dt = ts[0]->dtype();
    Tensor r(dt, out);
    int64_t outer = 1, inner = 1;
    for (int k = 0; k < ax; ++k) outer *= out[size_t(k)];
    for (size_t k = size_t(ax) + 1; k < out.size(); ++k) inner *= out[k];
    const size_t esz = dtypeSize(dt);
    int64_t at = 0;
    for (auto* t0 : ts) {
        Tensor t = t0->dtype() == dt ? *t0 : fromDoubles(dt, t0->shape(), toDoubles(*t0));
        const int64_t len = t.shape()[size_t(ax)] * inner;
        for (int64_t o = 0; o < outer; ++o)
            std::memcpy(static_cast<char*>(r.raw()) + (o * out[size_t(ax)] * inner + at) * esz,
                        static_cast<const char*>(t.raw()) + o * len * esz, size_t(len) * esz);
        at += len;
    }
    im.setConst(0, r, isBoolIn(im, 0));
}

std::vector<int64_t> axesInput(Importer& im, int input, const char* attrName) {
    if (im.in(input)) return toInts(C(im, input));
    return im.attrInts(attrName, {});
}

void foldUnsqueeze(Importer& im) {
    const Tensor& d = C(im, 0);
    auto axes = axesInput(im, 1, "axes");
    const int r = d.rank() + int(axes.size());
    std::vector<bool> ins(size_t(r), false);
    for (auto a : axes) ins[size_t(normAx(a, r))] = true;
    Shp out;
    size_t k = 0;
    for (int i = 0; i < r; ++i) out.push_back(ins[size_t(i)] ? 1 : d.shape()[k++]);
    im.setConst(0, d.reshaped(out), isBoolIn(im, 0));
}

void foldSqueeze(Importer& im) {
    const Tensor& d = C(im, 0);
    auto axes = axesInput(im, 1, "axes");
    std::vector<bool> drop(size_t(d.rank()), axes.empty());
    for (auto a : axes) drop[size_t(normAx(a, d.rank()))] = true;
    Shp out;
    for (int i = 0; i < d.rank(); ++i)
        if (!(drop[size_t(i)] && d.shape()[size_t(i)] == 1)) out.push_back(d.shape()[size_t(i)]);
    im.setConst(0, d.reshaped(out), isBoolIn(im, 0));
}

void foldFlatten(Importer& im) {
    const Tensor& d = C(im, 0);
    const int ax = int(im.attrInt("axis", 1) < 0 ? im.attrInt("axis", 1) + d.rank() : im.attrInt("axis", 1));
    int64_t a = 1;
    for (int i = 0; i < ax; ++i) a *= d.shape()[size_t(i)];
    im.setConst(0, d.reshaped({a, d.numel() / std::max<int64_t>(a, 1)}), isBoolIn(im, 0));
}

void foldTranspose(Importer& im) {
    const Tensor& d = C(im, 0);
    auto perm = im.attrInts("perm", {});
    if (perm.empty()) for (int i = d.rank() - 1; i >= 0; --i) perm.push_back(i);
    Shp out;
    for (auto p : perm) out.push_back(d.shape()[size_t(p)]);
    const auto st = stridesOf(d.shape());
    const size_t esz = dtypeSize(d.dtype());
    Tensor r(d.dtype(), out);
    for (int64_t i = 0; i < r.numel(); ++i) {
        int64_t rem = i, off = 0;
        for (size_t k = out.size(); k-- > 0;) { off += (rem % out[k]) * st[size_t(perm[k])]; rem /= out[k]; }
        std::memcpy(static_cast<char*>(r.raw()) + i * esz, static_cast<const char*>(d.raw()) + off * esz, esz);
    }
    im.setConst(0, r, isBoolIn(im, 0));
}

void foldSlice(Importer& im) {
    const Tensor& d = C(im, 0);
    auto starts = toInts(C(im, 1)), ends = toInts(C(im, 2));
    auto axes = im.in(3) ? toInts(C(im, 3)) : iota(int64_t(starts.size()));
    auto steps = im.in(4) ? toInts(C(im, 4)) : std::vector<int64_t>(starts.size(), 1);
    std::vector<std::vector<int64_t>> pick;
    for (int k = 0; k < d.rank(); ++k) pick.push_back(iota(d.shape()[size_t(k)]));
    for (size_t j = 0; j < starts.size(); ++j) {
        const int ax = normAx(axes[j], d.rank());
        const int64_t n = d.shape()[size_t(ax)], step = steps[j];
        if (step == 0) throw ImportError("Slice step 0");
        int64_t s = starts[j] < 0 ? starts[j] + n : starts[j], e = ends[j] < 0 && ends[j] > std::numeric_limits<int64_t>::min() / 2 ? ends[j] + n : ends[j];
        std::vector<int64_t> p;
        if (step > 0) {
            s = std::clamp<int64_t>(s, 0, n);
            e = std::clamp<int64_t>(e, 0, n);
            for (int64_t i = s; i < e; i += step) p.push_back(i);
        } else {
            s = std::clamp<int64_t>(s, -1, n - 1);
            e = std::clamp<int64_t>(e, -1, n - 1);
            for (int64_t i = s; i > e; i += step) p.push_back(i);
        }
        pick[size_t(ax)] = p;
    }
    im.setConst(0, takeAxes(d, pick), isBoolIn(im, 0));
}

void foldReshape(Importer& im) {
    const Tensor& d = C(im, 0);
    auto target = toInts(C(im, 1));
    const bool allowZero = im.attrInt("allowzero", 0) != 0;
    int infer = -1;
    int64_t known = 1;
    for (size_t i = 0; i < target.size(); ++i) {
        if (target[i] == 0 && !allowZero) {
            if (i >= d.shape().size()) throw ImportError("Reshape target " + shapeStr(target) + " copies a dimension (0) past the input's rank");
            target[i] = d.shape()[i];
        }
        if (target[i] == -1 && infer >= 0) throw ImportError("Reshape target " + shapeStr(target) + " has two -1 entries");
        if (target[i] == -1) infer = int(i);
        else if (target[i] < 0 || __builtin_mul_overflow(known, target[i], &known))
            throw ImportError("Reshape target " + shapeStr(target) + " has a negative or too large entry");
    }
    if (infer >= 0) target[size_t(infer)] = known ? d.numel() / known : 0;
    if (numelOf(target) != d.numel()) throw ImportError("Reshape of " + shapeStr(d.shape()) + " to " + shapeStr(target) + " changes the size");
    im.setConst(0, d.reshaped(target), isBoolIn(im, 0));
}

void foldExpand(Importer& im) {
    const Tensor& d = C(im, 0);
    Shp out = broadcast({d.shape(), toInts(C(im, 1))});
    std::vector<std::vector<int64_t>> pick;
    const size_t off = out.size() - d.shape().size();
    for (size_t k = 0; k < out.size(); ++k) {
        std::vector<int64_t> p(size_t(out[k]), 0);
        if (k >= off && d.shape()[k - off] != 1) p = iota(out[k]);
        pick.push_back(p);
    }
    Tensor src = d.reshaped([&] { Shp s(off, 1); s.insert(s.end(), d.shape().begin(), d.shape().end()); return s; }());
    im.setConst(0, takeAxes(src, pick), isBoolIn(im, 0));
}

void foldRange(Importer& im) {
    const double s = scalarOf(C(im, 0)), l = scalarOf(C(im, 1)), dl = scalarOf(C(im, 2));
    if (dl == 0) throw ImportError("Range with delta 0 never ends");
    const double count = std::ceil((l - s) / dl);
    if (!(count <= double(kMaxFoldElements)))  // NaN too
        throw ImportError("Range from " + std::to_string(s) + " to " + std::to_string(l) + " by " + std::to_string(dl) +
                          " has too many elements (at most " + std::to_string(kMaxFoldElements) + ")");
    const int64_t n = std::max<int64_t>(0, toInt64(count));
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = s + double(i) * dl;
    im.setConst(0, fromDoubles(C(im, 0).dtype(), {n}, v));
}

void foldConstantOfShape(Importer& im) {
    Shp s = toInts(C(im, 0));
    Tensor fill = Tensor::f32({1}, {0.0f});
    bool isBool = false;
    if (auto a = im.attr("value")) fill = tensorFromProto(a->t(), ".", &isBool);
    const double v = scalarOf(fill);
    im.setConst(0, fromDoubles(fill.dtype(), s, std::vector<double>(size_t(numelOf(s)), v)), isBool);
}

void foldTrilu(Importer& im) {
    const Tensor& d = C(im, 0);
    const int64_t k = im.in(1) ? toInt64(scalarOf(C(im, 1))) : 0;
    const bool upper = im.attrInt("upper", 1) != 0;
    const int64_t rows = d.dim(-2), cols = d.dim(-1);
    auto v = toDoubles(d);
    for (int64_t i = 0; i < d.numel(); ++i) {
        const int64_t c = i % cols, r = (i / cols) % rows;
        if (upper ? c - r < k : c - r > k) v[size_t(i)] = 0;
    }
    im.setConst(0, fromDoubles(d.dtype(), d.shape(), v), isBoolIn(im, 0));
}

void foldWhere(Importer& im) {
    const Tensor &c = C(im, 0), &a = C(im, 1), &b = C(im, 2);
    const DType dt = a.dtype() == DType::F32 || b.dtype() == DType::F32 ? DType::F32 : DType::I64;
    im.setConst(0, elementwise({&c, &a, &b}, dt, [](const double* x) { return x[0] != 0 ? x[1] : x[2]; }), isBoolIn(im, 1));
}

void foldReduce(Importer& im, int mode) {  // 0 mean, 1 sum, 2 max, 3 min, 4 prod
    const Tensor& d = C(im, 0);
    auto axes = im.node->op_type() == "ReduceSum" ? axesInput(im, 1, "axes") : im.attrInts("axes", {});
    const bool keep = im.attrInt("keepdims", 1) != 0;
    if (axes.empty() && im.attrInt("noop_with_empty_axes", 0)) { im.setConst(0, d); return; }
    std::vector<bool> red(size_t(d.rank()), axes.empty());
    for (auto a : axes) red[size_t(normAx(a, d.rank()))] = true;
    Shp out, keptShape;
    for (int i = 0; i < d.rank(); ++i) {
        if (!red[size_t(i)]) { out.push_back(d.shape()[size_t(i)]); keptShape.push_back(d.shape()[size_t(i)]); }
        else if (keep) out.push_back(1);
    }
    const auto v = toDoubles(d);
    std::vector<double> acc(size_t(numelOf(keptShape)), mode == 2 ? -INFINITY : mode == 3 ? INFINITY : mode == 4 ? 1 : 0);
    std::vector<int64_t> cnt(acc.size(), 0);
    for (int64_t i = 0; i < d.numel(); ++i) {
        int64_t rem = i, o = 0, mul = 1;
        for (int k = d.rank() - 1; k >= 0; --k) {
            const int64_t idx = rem % d.shape()[size_t(k)];
            rem /= d.shape()[size_t(k)];
            if (!red[size_t(k)]) { o += idx * mul; mul *= d.shape()[size_t(k)]; }
        }
        double& a = acc[size_t(o)];
        const double x = v[size_t(i)];
        a = mode == 2 ? std::max(a, x) : mode == 3 ? std::min(a, x) : mode == 4 ? a * x : a + x;
        ++cnt[size_t(o)];
    }
    if (mode == 0) for (size_t i = 0; i < acc.size(); ++i) acc[i] /= double(std::max<int64_t>(cnt[i], 1));
    im.setConst(0, fromDoubles(d.dtype(), out, acc));
}

void foldSplit(Importer& im) {
    const Tensor& d = C(im, 0);
    const int ax = normAx(im.attrInt("axis", 0), d.rank());
    const int n = im.node->output_size();
    auto sizes = im.in(1) ? toInts(C(im, 1)) : im.attrInts("split", {});
    if (sizes.empty()) sizes.assign(size_t(n), d.shape()[size_t(ax)] / n);
    int64_t at = 0;
    for (int k = 0; k < n && k < int(sizes.size()); ++k) {
        std::vector<std::vector<int64_t>> pick;
        for (int j = 0; j < d.rank(); ++j) pick.push_back(iota(d.shape()[size_t(j)]));
        std::vector<int64_t> p;
        for (int64_t i = 0; i < sizes[size_t(k)]; ++i) p.push_back(at + i);
        pick[size_t(ax)] = p;
        at += sizes[size_t(k)];
        im.setConst(k, takeAxes(d, pick), isBoolIn(im, 0));
    }
}

double erfD(double x) { return std::erf(x); }

}  // namespace

const std::map<std::string, FoldFn>& foldTable() {
    static const std::map<std::string, FoldFn> t = {
        {"Constant", foldConstant},
        {"Identity", [](Importer& im) { im.alias(0, *im.in(0)); }},
        {"Dropout", [](Importer& im) { im.alias(0, *im.in(0)); }},
        {"Shape", foldShape},
        {"Size", [](Importer& im) {
             int64_t n = 1;  // a design value's size: its shape is checked already, no folding cap
             for (int64_t d : im.in(0)->shape()) n *= d;
             im.setConst(0, Tensor::i64({}, {n}));
         }},
        {"Cast", foldCast},
        {"Gather", foldGather},
        {"Concat", foldConcat},
        {"Unsqueeze", foldUnsqueeze},
        {"Squeeze", foldSqueeze},
        {"Flatten", foldFlatten},
        {"Transpose", foldTranspose},
        {"Slice", foldSlice},
        {"Reshape", foldReshape},
        {"Expand", foldExpand},
        {"Range", foldRange},
        {"ConstantOfShape", foldConstantOfShape},
        {"Trilu", foldTrilu},
        {"Where", foldWhere},
        {"Split", foldSplit},
        {"ReduceMean", [](Importer& im) { foldReduce(im, 0); }},
        {"ReduceSum", [](Importer& im) { foldReduce(im, 1); }},
        {"ReduceMax", [](Importer& im) { foldReduce(im, 2); }},
        {"ReduceMin", [](Importer& im) { foldReduce(im, 3); }},
        {"ReduceProd", [](Importer& im) { foldReduce(im, 4); }},
        {"Add", [](Importer& im) { binary(im, [](double a, double b) { return a + b; }); }},
        {"Sub", [](Importer& im) { binary(im, [](double a, double b) { return a - b; }); }},
        {"Mul", [](Importer& im) { binary(im, [](double a, double b) { return a * b; }); }},
        {"Div", [](Importer& im) {
             const bool ints = C(im, 0).dtype() == DType::I64 && C(im, 1).dtype() == DType::I64;
             if (ints) binary(im, [](double a, double b) { return std::trunc(a / b); });
             else binary(im, [](double a, double b) { return double(float(a) / float(b)); });
         }},
        {"Pow", [](Importer& im) { binary(im, [](double a, double b) { return std::pow(a, b); }); }},
        {"Max", [](Importer& im) { binary(im, [](double a, double b) { return std::max(a, b); }); }},
        {"Min", [](Importer& im) { binary(im, [](double a, double b) { return std::min(a, b); }); }},
        {"Equal", [](Importer& im) { binary(im, [](double a, double b) { return a == b ? 1.0 : 0.0; }, true); }},
        {"Less", [](Importer& im) { binary(im, [](double a, double b) { return a < b ? 1.0 : 0.0; }, true); }},
        {"Greater", [](Importer& im) { binary(im, [](double a, double b) { return a > b ? 1.0 : 0.0; }, true); }},
        {"LessOrEqual", [](Importer& im) { binary(im, [](double a, double b) { return a <= b ? 1.0 : 0.0; }, true); }},
        {"GreaterOrEqual", [](Importer& im) { binary(im, [](double a, double b) { return a >= b ? 1.0 : 0.0; }, true); }},
        {"And", [](Importer& im) { binary(im, [](double a, double b) { return a != 0 && b != 0 ? 1.0 : 0.0; }, true); }},
        {"Or", [](Importer& im) { binary(im, [](double a, double b) { return a != 0 || b != 0 ? 1.0 : 0.0; }, true); }},
        {"Not", [](Importer& im) { unary(im, [](double a) { return a == 0 ? 1.0 : 0.0; }); }},
        {"Neg", [](Importer& im) { unary(im, [](double a) { return -a; }); }},
        {"Abs", [](Importer& im) { unary(im, [](double a) { return std::abs(a); }); }},
        {"Sqrt", [](Importer& im) { unary(im, [](double a) { return std::sqrt(a); }); }},
        {"Reciprocal", [](Importer& im) { unary(im, [](double a) { return 1.0 / a; }); }},
        {"Exp", [](Importer& im) { unary(im, [](double a) { return std::exp(a); }); }},
        {"Log", [](Importer& im) { unary(im, [](double a) { return std::log(a); }); }},
        {"Sin", [](Importer& im) { unary(im, [](double a) { return std::sin(a); }); }},
        {"Cos", [](Importer& im) { unary(im, [](double a) { return std::cos(a); }); }},
        {"Erf", [](Importer& im) { unary(im, erfD); }},
        {"Tanh", [](Importer& im) { unary(im, [](double a) { return std::tanh(a); }); }},
        {"Sigmoid", [](Importer& im) { unary(im, [](double a) { return 1.0 / (1.0 + std::exp(-a)); }); }},
        {"Relu", [](Importer& im) { unary(im, [](double a) { return std::max(a, 0.0); }); }},
        {"Floor", [](Importer& im) { unary(im, [](double a) { return std::floor(a); }); }},
        {"Ceil", [](Importer& im) { unary(im, [](double a) { return std::ceil(a); }); }},
    };
    return t;
}

}  // namespace archscope::onnxin

#endif
