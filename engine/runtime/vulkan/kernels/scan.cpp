// Vulkan kernel for scan (modes diag, decay, delta): chunked-parallel over time
// (shaders/scan.comp). With T > chunk length, three dispatches: chunk-local
// end states and transitions, the carry-in state of each chunk (sequential over
// chunks only), and the outputs from each chunk's carry-in; otherwise one
// dispatch (phase 3 alone from a zero state). Scratch: H (end/carry states) and
// P (diag: sum of dt per chunk; decay: decay product per key dim; delta: the
// chunk's dk x dk transition).
#include "runtime/vulkan/kernel.h"

#include <cstdlib>

namespace archscope::vk {

namespace {
enum Port { X, DT, BM, CM, Q, K, V, G, BETA };

// Time steps per chunk; ARCHSCOPE_VK_SCAN_CHUNK overrides (tests use it to force many chunks).
int64_t chunkLength(int64_t T) {
    const char* v = std::getenv("ARCHSCOPE_VK_SCAN_CHUNK");
    if (v && std::atoi(v) > 0) return std::atoi(v);
    return T <= 64 ? T : 32;
}
}  // namespace

const VulkanKernel& vk_kernel_scan() {
    static const VulkanKernel k{"scan", [](KernelBuild& b) {
        const std::string& mode = b.attrs.s("mode");
        const bool diag = mode == "diag", delta = mode == "delta";
        for (auto& t : b.inputs)
            if (t.slot >= 0 && t.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        int64_t R, T, W, NS;
        if (diag) {
            const auto& x = b.inputs[X].shape;
            R = x[0] * x[2], T = x[1], W = x[2], NS = b.inputs[BM].shape[2];
        } else {
            const auto& q = b.inputs[Q].shape;
            R = q[0] * q[1], T = q[2], NS = q[3], W = b.inputs[V].shape[3];
        }
        if (NS > 256) return b.decline("state width above 256");
        if (R * T == 0 || W == 0) return true;
        const int64_t CL = std::min(chunkLength(T), T), nC = (T + CL - 1) / CL;
        std::vector<int> slots;
        if (diag) slots = {b.inputs[X].slot, b.inputs[DT].slot, b.inputs[BM].slot, b.inputs[CM].slot, b.params[0].slot, b.params[1].slot};
        else slots = {b.inputs[Q].slot, b.inputs[K].slot, b.inputs[V].slot, b.has(delta ? BETA : G) ? b.inputs[delta ? BETA : G].slot : b.inputs[Q].slot,
                      b.inputs[Q].slot, b.inputs[Q].slot};
        const bool chunked = nC > 1;
        const int64_t hSize = diag ? R * nC * NS : R * nC * W * NS;
        const int64_t pSize = diag ? R * nC : delta ? R * nC * NS * NS : R * nC * NS;
        const int h = chunked ? b.scratch({hSize}).slot : b.outputs[0].slot;
        const int p = chunked ? b.scratch({pSize}).slot : b.outputs[0].slot;
        auto make = [&](int phase, int64_t items) {
            Dispatch d;
            d.shader = "scan_" + mode;
            for (int s : slots) d.bindings.push_back({s, BindKind::TexelR32F});
            d.bindings.push_back({b.outputs[0].slot, BindKind::Storage});
            d.bindings.push_back({h, BindKind::Storage});
            d.bindings.push_back({p, BindKind::Storage});
            d.spec = {uint32_t(phase), uint32_t(NS), !diag && !delta && b.has(G) ? 1u : 0u};
            d.push.u(uint32_t(R)).u(uint32_t(T)).u(uint32_t(W)).u(uint32_t(CL)).u(uint32_t(nC)).f(float(b.attrs.f("gamma")));
            grid1d(b.device, ceilDiv(items, 64), d.groups);
            b.dispatch(std::move(d));
        };
        if (chunked) {
            make(1, R * nC * (diag ? 1 : W + (delta ? NS : 0)));
            make(2, diag ? R : R * W);
        }
        make(3, R * nC * (diag ? 1 : W));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
