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
// contiguous for every input, padded to 4 dims at the front; false if > 4 remain.
bool collapse4(const std::vector<int64_t>& y, const std::vector<const std::vector<int64_t>*>& ins, uint32_t shape[4], uint32_t st[3][4]) {
    const size_t r = y.size(), k = ins.size();
    std::vector<std::vector<int64_t>> t(k, std::vector<int64_t>(r, 0));
    for (size_t j = 0; j < k; ++j) {
        int64_t acc = 1;
        const auto& s = *ins[j];
        for (size_t i = s.size(); i-- > 0;) {
            if (s[i] != 1) t[j][r - s.size() + i] = acc;
            acc *= s[i];
        }
    }
    std::vector<int64_t> n;
    std::vector<std::vector<int64_t>> x(k);
    for (size_t i = 0; i < r; ++i) {
        if (y[i] == 1) continue;
        bool merge = !n.empty();
        for (size_t j = 0; j < k && merge; ++j) merge = x[j].back() == t[j][i] * y[i];
        if (merge) {
            n.back() *= y[i];
            for (size_t j = 0; j < k; ++j) x[j].back() = t[j][i];
            continue;
        }
        n.push_back(y[i]);
        for (size_t j = 0; j < k; ++j) x[j].push_back(t[j][i]);
    }
    if (n.size() > 4) return false;
    const size_t pad = 4 - n.size();
    for (int i = 0; i < 4; ++i) {
        shape[i] = i < int(pad) ? 1u : uint32_t(n[size_t(i) - pad]);
        for (size_t j = 0; j < 3; ++j) st[j][i] = j < k && i >= int(pad) ? uint32_t(x[j][size_t(i) - pad]) : 0u;
    }
    return true;
}

// One dispatch of binary.comp variant `variant` over inputs (2 or 3) with broadcasting.
bool broadcastDispatch(KernelBuild& b, const std::string& variant, const std::vector<TensorRef>& ins, uint32_t gateAct) {
    const TensorRef& y = b.outputs[0];
    const int64_t n = y.numel();
    if (n >= kMaxIndex) return b.decline("tensor too large for 32-bit indexing");
    if (n == 0) return true;
    bool same = true;
    for (auto& t : ins) same = same && t.shape == y.shape;
    uint32_t shape[4] = {1, 1, 1, 1}, st[3][4] = {};
    std::vector<const std::vector<int64_t>*> shapes;
    for (auto& t : ins) shapes.push_back(&t.shape);
    if (!same && !collapse4(y.shape, shapes, shape, st)) return b.decline("broadcast needs more than 4 dims");
    const int64_t items = same ? (n + 3) / 4 : n;
    const BindKind k = same ? BindKind::TexelRGBA32F : BindKind::TexelR32F;
    Dispatch d;
    d.shader = "binary_" + variant;
    d.bindings = {{ins[0].slot, k}, {ins[1].slot, k}, {y.slot, BindKind::Storage}};
    if (ins.size() > 2) d.bindings.push_back({ins[2].slot, k});
    d.spec = {same ? 1u : 0u, gateAct};
    d.push.u(uint32_t(items));
    for (int i = 0; i < 4; ++i) d.push.u(shape[i]);
    for (auto& v : st)
        for (int i = 0; i < 4; ++i) d.push.u(v[i]);
    grid1d(b.device, (items + kLocal - 1) / kLocal, d.groups);
    b.dispatch(std::move(d));
    return true;
}
}  // namespace

VulkanKernel binaryKernel(const std::string& op, const std::string& variant, std::function<int(const Attrs&)> gateAct) {
    auto build = [variant, gateAct](KernelBuild& b) {
        return broadcastDispatch(b, variant, {b.inputs[0], b.inputs[1]}, uint32_t(gateAct ? gateAct(b.attrs) : 0));
    };
    return VulkanKernel{op, build, false, nullptr};
}

VulkanKernel ternaryKernel(const std::string& op, const std::string& variant) {
    auto build = [variant](KernelBuild& b) { return broadcastDispatch(b, variant, {b.inputs[0], b.inputs[1], b.inputs[2]}, 0); };
    return VulkanKernel{op, build, false, nullptr};
}

}  // namespace archscope::vk
