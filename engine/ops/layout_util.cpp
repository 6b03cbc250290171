#include "ops/layout_util.h"

#include "ops/common.h"

#include <cstring>

namespace archscope::ops {
namespace {

// Calls copyRow(rowIndex, stridedOffset, last) for every row of `shape`.
template <typename F>
void forRows(const std::vector<int64_t>& shape, int64_t offset, const std::vector<int64_t>& strides, F copyRow) {
    int r = int(shape.size());
    int64_t last = r ? shape.back() : 1, rows = 1;
    for (int i = 0; i + 1 < r; ++i) rows *= shape[size_t(i)];
    if (last <= 0 || rows <= 0) return;
    parallelFor(rows, std::max<int64_t>(1, 4096 / last), [&](int64_t b, int64_t e) {
        for (int64_t row = b; row < e; ++row) {
            int64_t rem = row, off = offset;
            for (int d = r - 2; d >= 0; --d) {
                off += (rem % shape[size_t(d)]) * strides[size_t(d)];
                rem /= shape[size_t(d)];
            }
            copyRow(row, off, last);
        }
    });
}

}  // namespace

void gatherStrided(const void* src, int64_t offset, const std::vector<int64_t>& strides, void* dst,
                   const std::vector<int64_t>& shape, size_t elem) {
    const auto* s = static_cast<const std::byte*>(src);
    auto* d = static_cast<std::byte*>(dst);
    int64_t step = shape.empty() ? 1 : strides.back();
    forRows(shape, offset, strides, [&](int64_t row, int64_t off, int64_t last) {
        std::byte* out = d + size_t(row * last) * elem;
        if (step == 1) { std::memcpy(out, s + size_t(off) * elem, size_t(last) * elem); return; }
        for (int64_t i = 0; i < last; ++i) std::memcpy(out + size_t(i) * elem, s + size_t(off + i * step) * elem, elem);
    });
}

void scatterStrided(const void* src, const std::vector<int64_t>& shape, void* dst, int64_t offset,
                    const std::vector<int64_t>& strides, size_t elem) {
    const auto* s = static_cast<const std::byte*>(src);
    auto* d = static_cast<std::byte*>(dst);
    int64_t step = shape.empty() ? 1 : strides.back();
    forRows(shape, offset, strides, [&](int64_t row, int64_t off, int64_t last) {
        const std::byte* in = s + size_t(row * last) * elem;
        if (step == 1) { std::memcpy(d + size_t(off) * elem, in, size_t(last) * elem); return; }
        for (int64_t i = 0; i < last; ++i) std::memcpy(d + size_t(off + i * step) * elem, in + size_t(i) * elem, elem);
    });
}

}  // namespace archscope::ops

namespace archscope::ops {

void windowCopy(const WindowGeom& g, void* x, void* win, bool toWindows, size_t elem) {
    auto* xp = static_cast<std::byte*>(x);
    auto* wp = static_cast<std::byte*>(win);
    int64_t nh = g.h / g.m, nw = g.w / g.m, row = g.c * int64_t(elem);
    parallelFor(g.b * nh * nw, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            int64_t b = t / (nh * nw), wh = (t / nw) % nh, ww = t % nw;
            for (int64_t i = 0; i < g.m; ++i) {
                int64_t hh = (wh * g.m + i + g.shift) % g.h;
                for (int64_t j = 0; j < g.m; ++j) {
                    int64_t xw = (ww * g.m + j + g.shift) % g.w;
                    std::byte* a = xp + ((b * g.h + hh) * g.w + xw) * row;
                    std::byte* v = wp + (t * g.m * g.m + i * g.m + j) * row;
                    if (toWindows) std::memcpy(v, a, size_t(row));
                    else std::memcpy(a, v, size_t(row));
                }
            }
        }
    });
}

}  // namespace archscope::ops
