// unaryKernel / binaryKernel (see elementwise.h).
#include "runtime/vulkan/elementwise.h"

#include <cstdlib>

namespace archscope::vk {

namespace {
constexpr int64_t kLocal = 64;
constexpr int64_t kMaxIndex = int64_t(1) << 31;
// vec4s per invocation: on CPU devices fewer, fatter workgroups stream faster
// (measured on lavapipe: 1 -> 3.1 GB/s, 16 -> 5.3 GB/s); ARCHSCOPE_VK_UNARY_ITEMS overrides.
uint32_t unaryItems(Family f) {
    const char* v = std::getenv("ARCHSCOPE_VK_UNARY_ITEMS");
    if (v && std::atoi(v) > 0 && std::atoi(v) <= 256) return uint32_t(std::atoi(v));
    return f == Family::Texel ? 16 : 1;
}
}  // namespace

VulkanKernel unaryKernel(const std::string& op, int code, std::function<std::pair<float, float>(const Attrs&)> params) {
    auto asAct = [code, params](const Attrs& a) {
        Activation r{code, 0, 0};
        if (params) std::tie(r.p0, r.p1) = params(a);
        return r;
    };
    auto build = [op, asAct](KernelBuild& b) {
        const int64_t n = b.inputs[0].numel();
        if (n >= kMaxIndex) return b.decline("tensor too large for 32-bit indexing");
        const Activation act = asAct(b.attrs);
        const int64_t n4 = (n + 3) / 4;
        Dispatch d;
        d.shader = "unary_" + op;
        d.bindings = {{b.inputs[0].slot, BindKind::TexelRGBA32F}, {b.outputs[0].slot, BindKind::Storage}};
        const uint32_t items = unaryItems(b.family);
        d.spec = {items};
        d.push.u(uint32_t(n4)).f(act.p0).f(act.p1);
        grid1d(b.device, (n4 + kLocal * items - 1) / (kLocal * items), d.groups);
        b.dispatch(std::move(d));
        return true;
    };
    return VulkanKernel{op, build, false, asAct};
}

namespace {
// Output shape plus per-input strides (0 on broadcast dims), merged where
// contiguous for all three, padded to 4 dims at the front; false if > 4 remain.
bool collapse4(const std::vector<int64_t>& y, const std::vector<int64_t>& a, const std::vector<int64_t>& bs, uint32_t shape[4],
               uint32_t sa[4], uint32_t sb[4]) {
    const size_t r = y.size();
    auto strides = [r, &y](const std::vector<int64_t>& t) {
        std::vector<int64_t> st(r, 0);
        int64_t acc = 1;
        for (size_t i = t.size(); i-- > 0;) {
            if (t[i] != 1) st[r - t.size() + i] = acc;
            acc *= t[i];
        }
        (void)y;
        return st;
    };
    const auto ta = strides(a), tb = strides(bs);
    std::vector<int64_t> n, xa, xb;
    for (size_t i = 0; i < r; ++i) {
        if (y[i] == 1) continue;
        if (!n.empty() && xa.back() == ta[i] * y[i] && xb.back() == tb[i] * y[i]) {
            n.back() *= y[i];
            xa.back() = ta[i];
            xb.back() = tb[i];
            continue;
        }
        n.push_back(y[i]);
        xa.push_back(ta[i]);
        xb.push_back(tb[i]);
    }
    if (n.size() > 4) return false;
    while (n.size() < 4) { n.insert(n.begin(), 1); xa.insert(xa.begin(), 0); xb.insert(xb.begin(), 0); }
    for (int i = 0; i < 4; ++i) { shape[i] = uint32_t(n[size_t(i)]); sa[i] = uint32_t(xa[size_t(i)]); sb[i] = uint32_t(xb[size_t(i)]); }
    return true;
}
}  // namespace

VulkanKernel binaryKernel(const std::string& op, const std::string& variant, std::function<int(const Attrs&)> gateAct) {
    auto build = [variant, gateAct](KernelBuild& b) {
        const TensorRef &a = b.inputs[0], &bt = b.inputs[1], &y = b.outputs[0];
        const int64_t n = y.numel();
        if (n >= kMaxIndex) return b.decline("tensor too large for 32-bit indexing");
        const bool same = a.shape == y.shape && bt.shape == y.shape;
        uint32_t shape[4] = {1, 1, 1, 1}, sa[4] = {0, 0, 0, 0}, sb[4] = {0, 0, 0, 0};
        if (!same && !collapse4(y.shape, a.shape, bt.shape, shape, sa, sb)) return b.decline("broadcast needs more than 4 dims");
        const int64_t items = same ? (n + 3) / 4 : n;
        const BindKind k = same ? BindKind::TexelRGBA32F : BindKind::TexelR32F;
        Dispatch d;
        d.shader = "binary_" + variant;
        d.bindings = {{a.slot, k}, {bt.slot, k}, {y.slot, BindKind::Storage}};
        d.spec = {same ? 1u : 0u, uint32_t(gateAct ? gateAct(b.attrs) : 0)};
        d.push.u(uint32_t(items));
        for (auto* v : {shape, sa, sb})
            for (int i = 0; i < 4; ++i) d.push.u(v[i]);
        grid1d(b.device, (items + kLocal - 1) / kLocal, d.groups);
        b.dispatch(std::move(d));
        return true;
    };
    return VulkanKernel{op, build, false, nullptr};
}

}  // namespace archscope::vk
