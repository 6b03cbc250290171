#include "ops/interop_util.h"

#include "ops/common.h"

namespace archscope::ops {

bool parseShapeAttr(InferCtx& c, const std::string& name, Shape* out) {
    const std::string& text = c.attrs.s(name);
    out->clear();
    if (text.find_first_not_of(" \t") == std::string::npos) return true;  // scalar
    size_t start = 0;
    while (true) {
        size_t comma = text.find(',', start);
        std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const size_t b = part.find_first_not_of(" \t"), e = part.find_last_not_of(" \t");
        part = b == std::string::npos ? "" : part.substr(b, e - b + 1);
        std::string err;
        auto d = Dim::parse(part, c.bindings, &err);
        if (!d) return c.error("attribute \"" + name + "\": " + err);
        if (d->value() <= 0) return c.error("attribute \"" + name + "\" = \"" + text + "\": dimension \"" + part + "\" is not positive");
        out->push_back(*d);
        if (comma == std::string::npos) return true;
        start = comma + 1;
    }
}

std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& in, const std::vector<int64_t>& out) {
    std::vector<int64_t> s(out.size(), 0), is = strides(in);
    const size_t off = out.size() - in.size();
    for (size_t i = 0; i < in.size(); ++i) s[off + i] = in[i] == 1 ? 0 : is[i];
    return s;
}

void forEachBroadcast(const std::vector<int64_t>& out, const std::vector<std::vector<int64_t>>& inStrides,
                      const std::function<void(int64_t, const int64_t*)>& f) {
    const int r = int(out.size());
    const int64_t last = r ? out.back() : 1;
    int64_t rows = 1;
    for (int d = 0; d + 1 < r; ++d) rows *= out[size_t(d)];
    if (last == 0) return;
    const size_t n = inStrides.size();
    parallelFor(rows, std::max<int64_t>(1, 4096 / last), [&](int64_t r0, int64_t r1) {
        std::vector<int64_t> base(n), off(n);
        for (int64_t row = r0; row < r1; ++row) {
            int64_t rem = row;
            std::fill(base.begin(), base.end(), 0);
            for (int d = r - 2; d >= 0; --d) {
                const int64_t idx = rem % out[size_t(d)];
                rem /= out[size_t(d)];
                for (size_t k = 0; k < n; ++k) base[k] += idx * inStrides[k][size_t(d)];
            }
            for (int64_t j = 0; j < last; ++j) {
                for (size_t k = 0; k < n; ++k) off[k] = base[k] + (r ? j * inStrides[k][size_t(r - 1)] : 0);
                f(row * last + j, off.data());
            }
        }
    });
}

}  // namespace archscope::ops
