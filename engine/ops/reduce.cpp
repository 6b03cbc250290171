// reduce: y = mean, sum or max of x over `axes` (ONNX ReduceMean/ReduceSum/
// ReduceMax, torch.mean/sum/amax with dim and keepdim). Empty axes reduce all.
// Sums accumulate in double. Work split: parallelFor over output elements, each
// walking its reduced block through the kept/reduced stride split.
#include "ops/common.h"

#include <limits>

namespace archscope::ops {

namespace {

// Normalised, sorted, unique axes; empty vector means all. False on a bad axis.
bool reducedAxes(const std::vector<int64_t>& axes, int rank, std::vector<bool>* red) {
    red->assign(size_t(rank), axes.empty());
    for (int64_t a : axes) {
        int n = normAxis(a, rank);
        if (n < 0) return false;
        (*red)[size_t(n)] = true;
    }
    return true;
}

void reduceKernel(KernelCtx& k) {
    const Tensor& x = k.in(0);
    std::vector<bool> red;
    reducedAxes(k.attrs.ints("axes"), x.rank(), &red);
    const std::string& mode = k.attrs.s("mode");
    const auto xs = strides(x.shape());
    std::vector<int64_t> keptShape, keptStride, redShape, redStride;
    int64_t count = 1;
    for (int d = 0; d < x.rank(); ++d) {
        if (red[size_t(d)]) { redShape.push_back(x.shape()[size_t(d)]); redStride.push_back(xs[size_t(d)]); count *= x.shape()[size_t(d)]; }
        else { keptShape.push_back(x.shape()[size_t(d)]); keptStride.push_back(xs[size_t(d)]); }
    }
    const float* px = x.f32();
    float* py = k.out(0).f32();
    const int64_t n = k.out(0).numel();
    auto offsetOf = [](int64_t i, const std::vector<int64_t>& shape, const std::vector<int64_t>& st) {
        int64_t off = 0;
        for (size_t d = shape.size(); d-- > 0;) { off += (i % shape[d]) * st[d]; i /= shape[d]; }
        return off;
    };
    parallelFor(n, std::max<int64_t>(1, 4096 / std::max<int64_t>(count, 1)), [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
            const int64_t base = offsetOf(i, keptShape, keptStride);
            double acc = mode == "max" ? -std::numeric_limits<double>::infinity() : 0.0;
            for (int64_t j = 0; j < count; ++j) {
                const double v = px[base + offsetOf(j, redShape, redStride)];
                acc = mode == "max" ? (std::isnan(v) || v > acc ? v : acc) : acc + v;
            }
            py[i] = float(mode == "mean" ? acc / double(std::max<int64_t>(count, 1)) : acc);
        }
    });
}

}  // namespace

const OpDef& op_reduce() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "reduce";
        d.displayName = "Reduce";
        d.category = "Elementwise";
        d.doc = "Mean, sum or max over a set of axes (all when empty), keeping them as size 1 or dropping them.";
        d.inputs = {{"x", PortType::F32, "any shape"}};
        d.outputs = {{"y", PortType::F32, "x with the reduced axes removed (or size 1 with keepdims)"}};
        d.attrs = {attrEnum("mode", "mean", {"mean", "sum", "max"}, "reduction"),
                   attrInts("axes", {-1}, "axes to reduce (negative counts from the end); empty reduces every axis"),
                   attrBool("keepdims", true, "keep reduced axes as size 1")};
        d.infer = [](InferCtx& c) {
            std::vector<bool> red;
            if (!reducedAxes(c.attrs.ints("axes"), c.rank(0), &red))
                return c.error(0, "attribute \"axes\" = " + attrValueStr(c.attrs.ints("axes")) + " is out of range for " + shapeStr(c.shape(0)));
            Shape s;
            for (int d = 0; d < c.rank(0); ++d) {
                if (!red[size_t(d)]) s.push_back(c.shape(0)[size_t(d)]);
                else if (c.attrs.b("keepdims")) s.push_back(Dim(1));
            }
            c.out(s);
            return true;
        };
        d.cpu = reduceKernel;
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
