// Conversion of ONNX nodes with design-value inputs onto core ops. One entry
// per ONNX op type in convertTable(); constants feeding a converted node become
// parameters where the core op has them (linear, conv, norms, embedding) and
// "constant" nodes otherwise. A construct a converter cannot express is
// reported through Importer::unsupported with the reason.
#include "interop/onnx_importer.h"

#if ARCHSCOPE_HAVE_ONNX

#include <algorithm>
#include <cmath>
#include <limits>

namespace archscope::onnxin {

namespace {

using TP = onnx::TensorProto;

const Value& IN(Importer& im, int i) {
    const Value* v = im.in(i);
    if (!v) throw ImportError("input " + std::to_string(i) + " is missing");
    return *v;
}

bool isScalar(const Value* v) { return v && v->isConst && v->data.numel() == 1; }

int normAxis(int64_t a, int rank) {
    int64_t n = a < 0 ? a + rank : a;
    if (n < 0 || n >= rank) throw ImportError("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return int(n);
}

bool needF32(Importer& im, int i) {
    if (IN(im, i).isConst || IN(im, i).type.dtype == DType::F32) return true;
    return im.unsupported("int64 tensors in arithmetic (only float computation is imported)");
}

bool unary(Importer& im, const std::string& op, std::map<std::string, AttrValue> attrs = {}) {
    if (!needF32(im, 0)) return false;
    im.setPort(0, im.emit1(op, std::move(attrs), {im.port(0)}), op == "logical_not");
    return true;
}

// y = x * s + b on the design value x.
void scaleOf(Importer& im, const PortRef& x, double s, double b) { im.setPort(0, im.emit1("scale", {{"scale", s}, {"bias", b}}, {x})); }

bool binary(Importer& im, const std::string& op) {
    const Value *a = im.in(0), *b = im.in(1);
    if (!needF32(im, 0) || !needF32(im, 1)) return false;
    if (isScalar(b) && !a->isConst && b->rank() <= a->rank()) {
        const double c = scalarOf(b->data);
        if (op == "add") scaleOf(im, a->port, 1, c);
        else if (op == "sub") scaleOf(im, a->port, 1, -c);
        else if (op == "mul") scaleOf(im, a->port, c, 0);
        else scaleOf(im, a->port, 1.0 / c, 0);
        return true;
    }
    if (isScalar(a) && !b->isConst && a->rank() <= b->rank()) {
        const double c = scalarOf(a->data);
        if (op == "add") scaleOf(im, b->port, 1, c);
        else if (op == "sub") scaleOf(im, b->port, -1, c);
        else if (op == "mul") scaleOf(im, b->port, c, 0);
        else {
            PortRef r = im.emit1("reciprocal", {}, {b->port});
            if (c == 1.0) im.setPort(0, r);
            else scaleOf(im, r, c, 0);
        }
        return true;
    }
    im.setPort(0, im.emit1(op, {}, {im.port(0), im.port(1)}), a->isBool && b->isBool);
    return true;
}

bool convertPow(Importer& im) {
    if (!isScalar(im.in(1))) return im.unsupported("exponent that is not a constant scalar");
    return unary(im, "pow", {{"exponent", scalarOf(IN(im, 1).data)}});
}

bool convertClip(Importer& im) {
    const double inf = std::numeric_limits<double>::infinity();
    double lo = -inf, hi = inf;
    if (im.in(1)) { if (!isScalar(im.in(1))) return im.unsupported("non-constant min"); lo = scalarOf(IN(im, 1).data); }
    if (im.in(2)) { if (!isScalar(im.in(2))) return im.unsupported("non-constant max"); hi = scalarOf(IN(im, 2).data); }
    if (im.hasAttr("min")) lo = im.attrFloat("min", lo);
    if (im.hasAttr("max")) hi = im.attrFloat("max", hi);
    if (lo == 0 && hi == 6) return unary(im, "relu6");
    if (lo == 0 && hi == inf) return unary(im, "relu");
    std::map<std::string, AttrValue> a;
    if (lo != -inf) a["min"] = lo;
    if (hi != inf) a["max"] = hi;
    return unary(im, "clamp", a);
}

bool convertMatMul(Importer& im) {
    const Value &a = IN(im, 0), &b = IN(im, 1);
    if (!a.isConst && b.isConst && b.rank() == 2 && a.rank() >= 1) {
        im.setPort(0, im.emit1("linear", {{"out_features", b.data.dim(1)}, {"bias", false}}, {a.port}, {{"weight", transpose2d(b.data)}}));
        return true;
    }
    if (a.rank() < 2 || b.rank() < 2) return im.unsupported("1-d operand");
    im.setPort(0, im.emit1("matmul", {}, {im.port(0), im.port(1)}));
    return true;
}

bool convertGemm(Importer& im) {
    const Value &a = IN(im, 0), &b = IN(im, 1);
    if (!b.isConst || a.isConst) return im.unsupported("B that is not a constant weight");
    if (im.attrInt("transA", 0)) return im.unsupported("transA = 1");
    Tensor w = im.attrInt("transB", 0) ? b.data.clone() : transpose2d(b.data);  // [N, K]
    const int64_t n = w.dim(0);
    const double alpha = im.attrFloat("alpha", 1.0), beta = im.attrFloat("beta", 1.0);
    if (alpha != 1.0) for (int64_t i = 0; i < w.numel(); ++i) w.f32()[i] *= float(alpha);
    std::map<std::string, Tensor> params{{"weight", w}};
    const Value* c = im.in(2);
    if (c) {
        if (!c->isConst) return im.unsupported("C that is not a constant bias");
        if (c->data.numel() != n && c->data.numel() != 1) return im.unsupported("C that is not a bias over the outputs");
        auto v = toDoubles(c->data);
        Tensor bias(DType::F32, {n});
        for (int64_t i = 0; i < n; ++i) bias.f32()[i] = float(beta * v[size_t(v.size() == 1 ? 0 : i)]);
        params["bias"] = bias;
    }
    im.setPort(0, im.emit1("linear", {{"out_features", n}, {"bias", c != nullptr}}, {a.port}, params));
    return true;
}

// Symmetric pads [b0, b1, ..., e0, e1, ...] -> per-axis padding; false if asymmetric.
bool symmetricPads(const std::vector<int64_t>& pads, size_t n, std::vector<int64_t>* out) {
    out->assign(n, 0);
    if (pads.empty()) return true;
    if (pads.size() != 2 * n) return false;
    for (size_t i = 0; i < n; ++i) {
        if (pads[i] != pads[i + n]) return false;
        (*out)[i] = pads[i];
    }
    return true;
}

bool explicitPadding(Importer& im) {
    const std::string ap = im.attrString("auto_pad", "NOTSET");
    return ap == "NOTSET" || ap == "VALID";
}

// Asymmetric pads [b0, b1, .., e0, e1, ..]: the symmetric part min(b, e) stays
// with the convolution (*sym), the rest become zero blocks concatenated on that
// side of the spatial axis (exact: the convolution sees the same zeros).
PortRef padAsymmetric(Importer& im, PortRef x, const std::vector<int64_t>& pads, size_t n, std::vector<int64_t>* sym) {
    sym->assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        const int64_t b = pads[i], e = pads[i + n], m = std::min(b, e);
        (*sym)[i] = m;
        std::vector<PortRef> parts;
        for (int64_t extra : {b - m, int64_t(-1), e - m}) {
            if (extra < 0) { parts.push_back(x); continue; }
            if (extra == 0) continue;
            std::vector<int64_t> s = shapeValues(im.typeOf(x).shape);
            s[2 + i] = extra;
            const std::string name = im.node->name() + "#" + std::to_string(im.nodeIndex) + "/pad" + std::to_string(i) + (parts.empty() ? "_begin" : "_end");
            parts.push_back(im.constPort(name, Tensor(DType::F32, s)));
        }
        if (parts.size() > 1) x = im.emit1("concat", {{"axis", int64_t(2 + i)}}, parts);
    }
    return x;
}

bool convertConv(Importer& im) {
    const Value &x = IN(im, 0), &w = IN(im, 1);
    if (!w.isConst) return im.unsupported("weights that are not constant");
    if (!explicitPadding(im)) return im.unsupported("auto_pad SAME (re-export with explicit padding)");
    const int sp = x.rank() - 2;
    if (sp != 1 && sp != 2) return im.unsupported(std::to_string(sp) + "-d convolution");
    auto stride = im.attrInts("strides", std::vector<int64_t>(size_t(sp), 1));
    auto dil = im.attrInts("dilations", std::vector<int64_t>(size_t(sp), 1));
    std::vector<int64_t> kernel(w.data.shape().begin() + 2, w.data.shape().end());
    std::vector<int64_t> pad;
    PortRef in = x.port;
    bool causal = false;
    if (const auto pads = im.attrInts("pads", {}); !symmetricPads(pads, size_t(sp), &pad)) {
        if (pads.size() != 2 * size_t(sp) || *std::min_element(pads.begin(), pads.end()) < 0) return im.unsupported("pads that are not 2 per axis, >= 0");
        causal = sp == 1 && pads[1] == 0 && dil.size() == 1 && kernel.size() == 1 && pads[0] == dil[0] * (kernel[0] - 1);  // conv1d's own causal mode
        if (causal) pad = {0};
        else in = padAsymmetric(im, in, pads, size_t(sp), &pad);
    }
    const Value* b = im.in(2);
    if (b && !b->isConst) return im.unsupported("bias that is not constant");
    std::map<std::string, Tensor> params{{"weight", w.data}};
    if (b) params["bias"] = b->data;
    std::map<std::string, AttrValue> a{{"out_channels", w.data.dim(0)}, {"groups", im.attrInt("group", 1)}, {"bias", b != nullptr}};
    if (sp == 2) { a["kernel"] = kernel; a["stride"] = stride; a["padding"] = pad; a["dilation"] = dil; }
    else { a["kernel"] = kernel[0]; a["stride"] = stride[0]; a["padding"] = pad[0]; a["dilation"] = dil[0]; a["causal"] = causal; }
    im.setPort(0, im.emit1(sp == 2 ? "conv2d" : "conv1d", a, {in}, params));
    return true;
}

bool convertPool(Importer& im, bool avg) {
    const Value& x = IN(im, 0);
    const int sp = x.rank() - 2;
    if (sp != 1 && sp != 2) return im.unsupported(std::to_string(sp) + "-d pooling");
    if (!explicitPadding(im)) return im.unsupported("auto_pad SAME");
    if (im.attrInt("ceil_mode", 0)) return im.unsupported("ceil_mode = 1");
    for (auto d : im.attrInts("dilations", {})) if (d != 1) return im.unsupported("dilated pooling");
    std::vector<int64_t> pad;
    if (!symmetricPads(im.attrInts("pads", {}), size_t(sp), &pad)) return im.unsupported("asymmetric padding");
    auto k = im.attrInts("kernel_shape", {});
    auto s = im.attrInts("strides", std::vector<int64_t>(size_t(sp), 1));
    std::map<std::string, AttrValue> a;
    if (sp == 2) { a["kernel"] = k; a["stride"] = s; a["padding"] = pad; }
    else { a["kernel"] = k[0]; a["stride"] = s[0]; a["padding"] = pad[0]; }
    if (avg) a["count_include_pad"] = im.attrInt("count_include_pad", 0) != 0;
    const std::string op = std::string(avg ? "avgpool" : "maxpool") + (sp == 2 ? "2d" : "1d");
    im.setPort(0, im.emit1(op, a, {x.port}));
    return true;
}

bool convertBatchNorm(Importer& im) {
    if (im.attrInt("training_mode", 0)) return im.unsupported("training_mode = 1");
    for (int i = 1; i < 5; ++i)
        if (!IN(im, i).isConst) return im.unsupported("statistics that are not constant");
    im.setPort(0, im.emit1("batchnorm", {{"eps", im.attrFloat("epsilon", 1e-5)}, {"affine", true}}, {im.port(0)},
                           {{"weight", IN(im, 1).data}, {"bias", IN(im, 2).data}, {"running_mean", IN(im, 3).data},
                            {"running_var", IN(im, 4).data}}));
    return true;
}

bool convertLayerNorm(Importer& im) {
    const Value& x = IN(im, 0);
    if (normAxis(im.attrInt("axis", -1), x.rank()) != x.rank() - 1) return im.unsupported("normalisation over more than the last axis");
    if (!IN(im, 1).isConst || (im.in(2) && !im.in(2)->isConst)) return im.unsupported("scale or bias that is not constant");
    const int64_t d = x.shape().back();
    Tensor w = IN(im, 1).data.reshaped({d}), b(DType::F32, {d});
    if (im.in(2)) b = IN(im, 2).data.reshaped({d});
    im.setPort(0, im.emit1("layernorm", {{"eps", im.attrFloat("epsilon", 1e-5)}, {"affine", true}}, {x.port}, {{"weight", w}, {"bias", b}}));
    return true;
}

bool convertReduce(Importer& im, const std::string& mode) {
    const Value& x = IN(im, 0);
    std::vector<int64_t> axes = im.attrInts("axes", {});
    if (im.in(1)) {
        if (!im.in(1)->isConst) return im.unsupported("axes that are not constant");
        axes = toInts(im.in(1)->data);
    }
    if (axes.empty() && im.attrInt("noop_with_empty_axes", 0)) { im.alias(0, x); return true; }
    im.setPort(0, im.emit1("reduce", {{"mode", mode}, {"axes", axes}, {"keepdims", im.attrInt("keepdims", 1) != 0}}, {im.port(0)}));
    return true;
}

void reshapeTo(Importer& im, const std::vector<int64_t>& target) {
    const Value& x = IN(im, 0);
    if (target == x.shape()) { im.alias(0, x); return; }
    im.setPort(0, im.emit1("reshape", {{"shape", shapeAttr(target)}}, {x.port}), x.isBool);
}

bool convertReshape(Importer& im) {
    if (!IN(im, 1).isConst) return im.unsupported("target shape that is not constant");
    const auto in = IN(im, 0).shape();
    auto t = toInts(IN(im, 1).data);
    int64_t known = 1;
    int infer = -1;
    for (size_t i = 0; i < t.size(); ++i) {
        if (t[i] == 0 && !im.attrInt("allowzero", 0)) {
            if (i >= in.size()) return im.unsupported("a 0 (copy) entry past the input's rank in the target shape");
            t[i] = in[i];
        }
        if (t[i] == -1) {
            if (infer >= 0) return im.unsupported("a target shape with more than one -1");
            infer = int(i);
        } else if (t[i] < 0 || __builtin_mul_overflow(known, t[i], &known)) {
            return im.unsupported("target shape entry " + std::to_string(t[i]) + " (negative, or the size overflows)");
        }
    }
    int64_t total = 1;
    for (auto d : in)
        if (__builtin_mul_overflow(total, d, &total)) return im.unsupported("an input whose size overflows");
    if (infer >= 0) t[size_t(infer)] = known ? total / known : 0;
    reshapeTo(im, t);
    return true;
}

bool convertSqueezeLike(Importer& im, bool unsqueeze) {
    const auto in = IN(im, 0).shape();
    std::vector<int64_t> axes = im.attrInts("axes", {});
    if (im.in(1)) {
        if (!im.in(1)->isConst) return im.unsupported("axes that are not constant");
        axes = toInts(im.in(1)->data);
    }
    std::vector<int64_t> out;
    if (unsqueeze) {
        const int r = int(in.size() + axes.size());
        std::vector<bool> add(size_t(r), false);
        for (auto a : axes) add[size_t(normAxis(a, r))] = true;
        size_t k = 0;
        for (int i = 0; i < r; ++i) out.push_back(add[size_t(i)] ? 1 : in[k++]);
    } else {
        std::vector<bool> drop(in.size(), axes.empty());
        for (auto a : axes) drop[size_t(normAxis(a, int(in.size())))] = true;
        for (size_t i = 0; i < in.size(); ++i)
            if (!(drop[i] && in[i] == 1)) out.push_back(in[i]);
    }
    reshapeTo(im, out);
    return true;
}

bool convertFlatten(Importer& im) {
    const auto in = IN(im, 0).shape();
    const int ax = int(im.attrInt("axis", 1) < 0 ? im.attrInt("axis", 1) + int(in.size()) : im.attrInt("axis", 1));
    int64_t a = 1, b = 1;
    for (int i = 0; i < int(in.size()); ++i) (i < ax ? a : b) *= in[size_t(i)];
    reshapeTo(im, {a, b});
    return true;
}

bool convertTranspose(Importer& im) {
    const Value& x = IN(im, 0);
    auto perm = im.attrInts("perm", {});
    if (perm.empty()) for (int i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
    bool identity = true;
    for (size_t i = 0; i < perm.size(); ++i) identity = identity && perm[i] == int64_t(i);
    if (identity) { im.alias(0, x); return true; }
    im.setPort(0, im.emit1("permute", {{"perm", perm}}, {x.port}), x.isBool);
    return true;
}

bool convertConcat(Importer& im) {
    std::vector<PortRef> ins;
    for (int i = 0; i < im.inputCount(); ++i)
        if (im.in(i) && !(IN(im, i).isConst && IN(im, i).data.numel() == 0)) ins.push_back(im.port(i));
    const int64_t axis = im.attrInt("axis", 0);
    while (ins.size() > 1) {  // core concat joins up to 4
        std::vector<PortRef> part(ins.begin(), ins.begin() + std::min<size_t>(4, ins.size()));
        PortRef y = im.emit1("concat", {{"axis", axis}}, part);
        ins.erase(ins.begin(), ins.begin() + long(part.size()));
        ins.insert(ins.begin(), y);
        if (ins.size() == 1) break;
    }
    im.setPort(0, ins.at(0));
    return true;
}

PortRef sliceOf(Importer& im, const PortRef& x, int64_t axis, int64_t start, int64_t end, int64_t step) {
    const int64_t lim = int64_t(1e18);
    return im.emit1("slice", {{"axis", axis}, {"start", std::clamp(start, -lim, lim)}, {"end", std::clamp(end, -lim, lim)}, {"step", step}},
                    {x});
}

bool convertSplit(Importer& im) {
    const Value& x = IN(im, 0);
    const int ax = normAxis(im.attrInt("axis", 0), x.rank());
    const int n = im.node->output_size();
    std::vector<int64_t> sizes = im.attrInts("split", {});
    if (im.in(1)) {
        if (!im.in(1)->isConst) return im.unsupported("split sizes that are not constant");
        sizes = toInts(im.in(1)->data);
    }
    const int64_t len = x.shape()[size_t(ax)];
    if (sizes.empty()) sizes.assign(size_t(n), (len + n - 1) / n), sizes.back() = len - (n - 1) * sizes[0];
    if (n == 1) { im.alias(0, x); return true; }
    if (n <= 4) {
        auto outs = im.emit("split", {{"axis", int64_t(ax)}, {"sizes", sizes}}, {x.port});
        for (int k = 0; k < n; ++k) im.setPort(k, outs.at(size_t(k)), x.isBool);
        return true;
    }
    int64_t at = 0;
    for (int k = 0; k < n; ++k) {
        im.setPort(k, sliceOf(im, x.port, ax, at, at + sizes[size_t(k)], 1), x.isBool);
        at += sizes[size_t(k)];
    }
    return true;
}

bool convertSlice(Importer& im) {
    for (int i = 1; i < im.inputCount(); ++i)
        if (im.in(i) && !im.in(i)->isConst) return im.unsupported("starts/ends/axes/steps that are not constant");
    const Value& x = IN(im, 0);
    auto starts = toInts(IN(im, 1).data), ends = toInts(IN(im, 2).data);
    std::vector<int64_t> axes, steps(starts.size(), 1);
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
    if (im.in(3)) axes = toInts(IN(im, 3).data);
    if (im.in(4)) steps = toInts(IN(im, 4).data);
    PortRef p = x.port;
    bool any = false;
    for (size_t j = 0; j < starts.size(); ++j) {
        if (steps[j] < 1) return im.unsupported("negative step (flip)");
        const int ax = normAxis(axes[j], x.rank());
        const int64_t n = x.shape()[size_t(ax)];
        if (steps[j] == 1 && (starts[j] == 0 || starts[j] <= -n) && ends[j] >= n) continue;  // whole axis
        p = sliceOf(im, p, ax, starts[j], ends[j], steps[j]);
        any = true;
    }
    if (!any) { im.alias(0, x); return true; }
    im.setPort(0, p, x.isBool);
    return true;
}

bool convertGather(Importer& im) {
    const Value &d = IN(im, 0), &idx = IN(im, 1);
    const int ax = normAxis(im.attrInt("axis", 0), d.rank());
    if (d.isConst && !idx.isConst) {
        if (d.rank() != 2 || ax != 0) return im.unsupported("lookup in a constant table that is not [rows, width] along axis 0");
        if (idx.type.dtype != DType::I64) return im.unsupported("float indices");
        im.setPort(0, im.emit1("embedding", {{"num_embeddings", d.data.dim(0)}, {"dim", d.data.dim(1)}}, {idx.port}, {{"weight", d.data}}));
        return true;
    }
    if (!idx.isConst) return im.unsupported("indices that are not constant on a non-constant tensor");
    auto ids = toInts(idx.data);
    const int64_t n = d.shape()[size_t(ax)];
    for (auto& i : ids) {
        i = i < 0 ? i + n : i;
        if (i < 0 || i >= n) return im.unsupported("indices out of range");
    }
    if (ids.empty()) return im.unsupported("empty indices");
    PortRef p = gatherRuns(im, d.port, ax, ids);  // slices of the contiguous runs, concatenated
    if (p.node.empty()) return im.unsupported("indices with more than " + std::to_string(kMaxGatherRuns) + " contiguous runs");
    const std::vector<int64_t> ds = d.shape();
    std::vector<int64_t> out(ds.begin(), ds.begin() + ax);
    out.insert(out.end(), idx.data.shape().begin(), idx.data.shape().end());
    out.insert(out.end(), ds.begin() + ax + 1, ds.end());
    if (shapeValues(im.typeOf(p).shape) != out) p = im.emit1("reshape", {{"shape", shapeAttr(out)}}, {p});
    im.setPort(0, p, d.isBool);
    return true;
}

bool convertExpand(Importer& im) {
    const Value& x = IN(im, 0);
    if (!IN(im, 1).isConst) return im.unsupported("target shape that is not constant");
    auto t = toInts(IN(im, 1).data);
    auto s = x.shape();
    std::vector<int64_t> out(std::max(s.size(), t.size()), 1);
    for (size_t i = 0; i < out.size(); ++i) {
        const int64_t a = i + s.size() >= out.size() ? s[i + s.size() - out.size()] : 1;
        const int64_t b = i + t.size() >= out.size() ? t[i + t.size() - out.size()] : 1;
        out[i] = a == 1 ? b : a;
    }
    if (out == s) { im.alias(0, x); return true; }
    im.setPort(0, im.emit1("expand", {{"shape", shapeAttr(out)}}, {x.port}), x.isBool);
    return true;
}

bool convertCast(Importer& im) {
    const Value& x = IN(im, 0);
    const int to = int(im.attrInt("to", TP::FLOAT));
    const bool toFloat = to == TP::FLOAT || to == TP::DOUBLE || to == TP::FLOAT16 || to == TP::BFLOAT16;
    if (to == TP::BOOL && x.isBool) { im.alias(0, x); return true; }
    if (toFloat && x.type.dtype == DType::F32) {
        Value v = x;
        v.isBool = false;
        im.alias(0, v);
        return true;
    }
    if (!toFloat && to != TP::BOOL && x.type.dtype == DType::I64) { im.alias(0, x); return true; }
    return im.unsupported(std::string("cast of a ") + (x.isBool ? "bool" : dtypeName(x.type.dtype)) + " design value to " +
                          TP::DataType_Name(TP::DataType(to)));
}

bool convertPad(Importer& im) {
    std::vector<int64_t> pads = im.attrInts("pads", {});
    if (im.in(1)) {
        if (!im.in(1)->isConst) return im.unsupported("pads that are not constant");
        pads = toInts(im.in(1)->data);
    }
    for (auto p : pads)
        if (p != 0) return im.unsupported("non-zero padding as a separate op");
    im.alias(0, IN(im, 0));
    return true;
}

bool convertSoftmax(Importer& im) {
    if (!needF32(im, 0)) return false;
    im.setPort(0, im.emit1("softmax", {{"axis", im.attrInt("axis", -1)}}, {im.port(0)}));
    return true;
}

bool convertGlobalPool(Importer& im, const char* mode) {
    im.setPort(0, im.emit1("globalpool", {{"mode", std::string(mode)}, {"keepdims", true}}, {im.port(0)}));
    return true;
}

bool convertWhere(Importer& im) {
    im.setPort(0, im.emit1("where", {}, {im.port(0), im.port(1), im.port(2)}), IN(im, 1).isBool && IN(im, 2).isBool);
    return true;
}

}  // namespace

const std::map<std::string, ConvertFn>& convertTable() {
    static const std::map<std::string, ConvertFn> t = {
        {"Identity", [](Importer& im) { im.alias(0, IN(im, 0)); return true; }},
        {"Dropout", [](Importer& im) { im.alias(0, IN(im, 0)); return true; }},
        {"Add", [](Importer& im) { return binary(im, "add"); }},
        {"Sub", [](Importer& im) { return binary(im, "sub"); }},
        {"Mul", [](Importer& im) { return binary(im, "mul"); }},
        {"Div", [](Importer& im) { return binary(im, "div"); }},
        {"Pow", convertPow},
        {"Sqrt", [](Importer& im) { return unary(im, "sqrt"); }},
        {"Erf", [](Importer& im) { return unary(im, "erf"); }},
        {"Neg", [](Importer& im) { return unary(im, "neg"); }},
        {"Reciprocal", [](Importer& im) { return unary(im, "reciprocal"); }},
        {"Tanh", [](Importer& im) { return unary(im, "tanh"); }},
        {"Sigmoid", [](Importer& im) { return unary(im, "sigmoid"); }},
        {"Relu", [](Importer& im) { return unary(im, "relu"); }},
        {"Exp", [](Importer& im) { return unary(im, "exp"); }},
        {"Softplus", [](Importer& im) { return unary(im, "softplus"); }},
        {"Elu", convertElu},
        {"TopK", convertTopK},
        {"CumSum", convertCumSum},
        {"Not", [](Importer& im) { return unary(im, "logical_not"); }},
        {"Clip", convertClip},
        {"Equal", [](Importer& im) {
             im.setPort(0, im.emit1("equal", {}, {im.port(0), im.port(1)}), true);
             return true;
         }},
        {"Where", convertWhere},
        {"Cast", convertCast},
        {"MatMul", convertMatMul},
        {"Gemm", convertGemm},
        {"Conv", convertConv},
        {"BatchNormalization", convertBatchNorm},
        {"LayerNormalization", convertLayerNorm},
        {"Softmax", convertSoftmax},
        {"ReduceMean", [](Importer& im) { return convertReduce(im, "mean"); }},
        {"ReduceSum", [](Importer& im) { return convertReduce(im, "sum"); }},
        {"ReduceMax", [](Importer& im) { return convertReduce(im, "max"); }},
        {"Transpose", convertTranspose},
        {"Reshape", convertReshape},
        {"Flatten", convertFlatten},
        {"Squeeze", [](Importer& im) { return convertSqueezeLike(im, false); }},
        {"Unsqueeze", [](Importer& im) { return convertSqueezeLike(im, true); }},
        {"Concat", convertConcat},
        {"Split", convertSplit},
        {"Slice", convertSlice},
        {"Gather", convertGather},
        {"Expand", convertExpand},
        {"Pad", convertPad},
        {"MaxPool", [](Importer& im) { return convertPool(im, false); }},
        {"AveragePool", [](Importer& im) { return convertPool(im, true); }},
        {"GlobalAveragePool", [](Importer& im) { return convertGlobalPool(im, "avg"); }},
        {"GlobalMaxPool", [](Importer& im) { return convertGlobalPool(im, "max"); }},
    };
    return t;
}

}  // namespace archscope::onnxin

#endif
