// Vulkan kernel for softmax (shaders/softmax.comp): one row per invocation (CPU devices,
// softmax_rows) or per workgroup with a shared-memory tree reduction (GPUs, softmax_tree);
// mask broadcast through strides collapsed to three outer levels and one inner.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

namespace {
struct MaskLayout {
    uint32_t od1 = 1, od2 = 1, ms[3] = {0, 0, 0}, msAxis = 0, msInner = 0;
};

// Mask strides aligned to x (0 on broadcast dims), collapsed; false if not representable.
bool maskLayout(const std::vector<int64_t>& xs, const std::vector<int64_t>& m, int ax, MaskLayout* l) {
    const size_t r = xs.size();
    std::vector<int64_t> st(r, 0);
    int64_t acc = 1;
    for (size_t i = m.size(); i-- > 0;) {
        if (m[i] != 1) st[r - m.size() + i] = acc;
        acc *= m[i];
    }
    l->msAxis = uint32_t(st[size_t(ax)]);
    std::vector<int64_t> n, s;  // outer groups
    for (int i = 0; i < ax; ++i) {
        if (xs[size_t(i)] == 1) continue;
        if (!n.empty() && s.back() == st[size_t(i)] * xs[size_t(i)]) { n.back() *= xs[size_t(i)]; s.back() = st[size_t(i)]; continue; }
        n.push_back(xs[size_t(i)]);
        s.push_back(st[size_t(i)]);
    }
    if (n.size() > 3) return false;
    while (n.size() < 3) { n.insert(n.begin(), 1); s.insert(s.begin(), 0); }
    l->od1 = uint32_t(n[1]);
    l->od2 = uint32_t(n[2]);
    for (int i = 0; i < 3; ++i) l->ms[i] = uint32_t(s[size_t(i)]);
    int64_t inner = -1, prevStride = 0, prevSize = 1;  // inner dims must collapse to one stride
    for (size_t i = size_t(ax) + 1; i < r; ++i) {
        if (xs[i] == 1) continue;
        if (inner >= 0 && prevStride != st[i] * xs[i]) return false;
        inner = st[i];
        prevStride = st[i];
        prevSize = xs[i];
    }
    (void)prevSize;
    l->msInner = uint32_t(inner < 0 ? 0 : inner);
    return true;
}
}  // namespace

const VulkanKernel& vk_kernel_softmax() {
    static const VulkanKernel k{"softmax", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int rank = int(x.shape.size());
        const int ax = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + rank : b.attrs.i("axis"));
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int64_t len = x.shape[size_t(ax)];
        int64_t inner = 1;
        for (int i = ax + 1; i < rank; ++i) inner *= x.shape[size_t(i)];
        const int64_t rows = len * inner != 0 ? x.numel() / len : 0;
        MaskLayout l;
        const bool mask = b.has(1);
        if (mask && !maskLayout(x.shape, b.inputs[1].shape, ax, &l)) return b.decline("mask broadcast pattern not supported");
        const float zeta = float(b.attrs.f("zeta")), gamma = float(b.attrs.f("gamma"));
        Dispatch d;
        d.shader = b.family == Family::Tiled ? "softmax_tree" : "softmax_rows";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {mask ? b.inputs[1].slot : x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.push.u(uint32_t(rows)).u(uint32_t(len)).u(uint32_t(inner)).u(l.od1).u(l.od2);
        d.push.u(l.ms[0]).u(l.ms[1]).u(l.ms[2]).u(l.msAxis).u(l.msInner).u(mask ? 1 : 0).u(zeta != 1.0f || gamma != 0.0f ? 1 : 0);
        d.push.f(float(1.0 / b.attrs.f("temperature"))).f(zeta).f(gamma);
        grid1d(b.device, b.family == Family::Tiled ? rows : ceilDiv(rows, 64), d.groups);  // tree: one row per workgroup
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
