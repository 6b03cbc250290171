#include "ops/common.h"

#include <omp.h>

namespace archscope::ops {

bool broadcastShapes(InferCtx& c, int a, int b, Shape* out) {
    const Shape& sa = c.shape(a);
    const Shape& sb = c.shape(b);
    size_t r = std::max(sa.size(), sb.size());
    out->assign(r, Dim(1));
    for (size_t i = 0; i < r; ++i) {
        const Dim* da = i < sa.size() ? &sa[sa.size() - 1 - i] : nullptr;
        const Dim* db = i < sb.size() ? &sb[sb.size() - 1 - i] : nullptr;
        Dim& o = (*out)[r - 1 - i];
        if (da && db && *da != *db && da->value() != 1 && db->value() != 1) {
            c.error(b, "cannot broadcast " + shapeStr(sb) + (c.sources[size_t(b)].empty() ? "" : " from \"" + c.sources[size_t(b)] + "\"") +
                           " with " + shapeStr(sa) + (c.sources[size_t(a)].empty() ? "" : " from \"" + c.sources[size_t(a)] + "\""));
            return false;
        }
        if (!db || (da && db->value() == 1)) o = *da;
        else o = *db;
    }
    return true;
}

int normAxis(int64_t axis, int rank) {
    int64_t a = axis < 0 ? axis + rank : axis;
    return a < 0 || a >= rank ? -1 : int(a);
}

std::vector<int64_t> strides(const std::vector<int64_t>& shape) {
    std::vector<int64_t> s(shape.size(), 1);
    for (int i = int(shape.size()) - 2; i >= 0; --i) s[size_t(i)] = s[size_t(i) + 1] * shape[size_t(i) + 1];
    return s;
}

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
    if (n <= 0) return;
    int threads = omp_get_max_threads();
    if (n < grain * 2 || threads <= 1) { f(0, n); return; }
    int64_t chunks = std::min<int64_t>(threads * 4, (n + grain - 1) / grain);
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t ch = 0; ch < chunks; ++ch) {
        int64_t b = n * ch / chunks, e = n * (ch + 1) / chunks;
        f(b, e);
    }
}

int64_t outNumel(const InferCtx& c, int output) { return shapeNumel(c.outputs[size_t(output)].shape); }
int64_t inNumel(const InferCtx& c, int input) { return shapeNumel(c.shape(input)); }

OpDef unaryOp(std::string id, std::string name, std::string category, std::string doc, float (*f)(float),
              int64_t flopsPerElement) {
    OpDef d;
    d.id = std::move(id);
    d.displayName = std::move(name);
    d.category = std::move(category);
    d.doc = std::move(doc);
    d.inputs = {{"x", PortType::F32, "input"}};
    d.outputs = {{"y", PortType::F32, "f(x), same shape"}};
    d.infer = [](InferCtx& c) { c.out(c.shape(0)); return true; };
    d.cpu = [f](KernelCtx& k) {
        const float* x = k.in(0).f32();
        float* y = k.out(0).f32();
        parallelFor(k.in(0).numel(), 16384, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) y[i] = f(x[i]);
        });
    };
    d.flops = [flopsPerElement](const InferCtx& c) { return flopsPerElement * outNumel(c); };
    return d;
}

OpDef binaryOp(std::string id, std::string name, std::string doc, float (*f)(float, float)) {
    OpDef d;
    d.id = std::move(id);
    d.displayName = std::move(name);
    d.category = "Elementwise";
    d.doc = std::move(doc);
    d.inputs = {{"a", PortType::F32, "left operand"}, {"b", PortType::F32, "right operand, broadcast to a"}};
    d.outputs = {{"y", PortType::F32, "broadcast shape of a and b"}};
    d.infer = [](InferCtx& c) {
        Shape s;
        if (!broadcastShapes(c, 0, 1, &s)) return false;
        c.out(s);
        return true;
    };
    d.cpu = [f](KernelCtx& k) {
        const Tensor& A = k.in(0);
        const Tensor& B = k.in(1);
        Tensor& Y = k.out(0);
        const float* a = A.f32();
        const float* b = B.f32();
        float* y = Y.f32();
        int64_t n = Y.numel();
        if (A.shape() == Y.shape() && B.shape() == Y.shape()) {
            parallelFor(n, 16384, [&](int64_t s, int64_t e) { for (int64_t i = s; i < e; ++i) y[i] = f(a[i], b[i]); });
            return;
        }
        // General broadcast: map each output index to input offsets via strides (0 on broadcast axes).
        int r = Y.rank();
        auto bstr = [&](const Tensor& t) {
            std::vector<int64_t> s(size_t(r), 0), ts = strides(t.shape());
            for (int i = 0; i < t.rank(); ++i) {
                int o = r - t.rank() + i;
                s[size_t(o)] = t.shape()[size_t(i)] == 1 ? 0 : ts[size_t(i)];
            }
            return s;
        };
        auto sa = bstr(A), sb = bstr(B);
        const auto& ys = Y.shape();
        parallelFor(n, 4096, [&](int64_t s, int64_t e) {
            for (int64_t i = s; i < e; ++i) {
                int64_t rem = i, oa = 0, ob = 0;
                for (int d = r - 1; d >= 0; --d) {
                    int64_t idx = rem % ys[size_t(d)];
                    rem /= ys[size_t(d)];
                    oa += idx * sa[size_t(d)];
                    ob += idx * sb[size_t(d)];
                }
                y[i] = f(a[oa], b[ob]);
            }
        });
    };
    d.flops = [](const InferCtx& c) { return outNumel(c); };
    return d;
}

}  // namespace archscope::ops
