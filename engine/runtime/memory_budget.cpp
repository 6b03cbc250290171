#include "runtime/memory_budget.h"

#include <unistd.h>

#include <climits>
#include <cmath>
#include <cstdio>
#include <map>

namespace archscope {

namespace {
int64_t satAdd(int64_t a, int64_t b) {
    int64_t r;
    return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}
int64_t satMul(int64_t a, int64_t b) {
    int64_t r;
    return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}
int64_t tensorBytes(const TensorType& t) {
    int64_t n = 1;
    for (auto& d : t.shape) n = satMul(n, std::max<int64_t>(d.value(), 0));
    return satMul(n, int64_t(dtypeSize(t.dtype)));
}
}  // namespace

int64_t MemoryEstimate::total() const { return satAdd(weightBytes, peakActivationBytes); }

MemoryEstimate estimateMemory(const Analysis& a) {
    MemoryEstimate e;
    if (!a.ok() || !a.flat) return e;
    std::map<std::string, size_t> step;
    for (size_t i = 0; i < a.order.size(); ++i) step[a.order[i]] = i;
    // Last step reading each producer's outputs (all ports of a node together:
    // a slight overestimate for multi-output nodes, never an underestimate).
    std::map<std::string, size_t> lastUse;
    for (auto& edge : a.graph().edges()) {
        auto to = step.find(edge.to.node);
        if (to == step.end()) continue;
        size_t& u = lastUse[edge.from.node];
        u = std::max(u, to->second);
    }
    std::vector<int64_t> freeAt(a.order.size() + 1, 0);  // bytes released after step i
    int64_t live = 0;
    for (size_t i = 0; i < a.order.size(); ++i) {
        const std::string& id = a.order[i];
        const NodeInfo& info = a.nodes.at(id);
        int64_t out = 0;
        for (auto& t : info.outputs) out = satAdd(out, tensorBytes(t));
        live = satAdd(live, out);
        if (live > e.peakActivationBytes) { e.peakActivationBytes = live; e.peakNode = id; }
        bool isOutput = info.def && info.def->id == "output";
        auto lu = lastUse.find(id);
        size_t until = isOutput ? a.order.size() : lu == lastUse.end() ? i : lu->second;
        freeAt[until] = satAdd(freeAt[until], out);
        if (live != INT64_MAX) live -= std::min(live, freeAt[i]);
        if (info.weightNode == id || info.weightNode.empty())
            for (auto& p : info.params) {
                int64_t n = 4;
                for (auto d : p.shape) n = satMul(n, std::max<int64_t>(d, 0));
                e.weightBytes = satAdd(e.weightBytes, n);
            }
    }
    return e;
}

std::string formatBytes(int64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 6) { v /= 1024; ++u; }
    char buf[48];
    std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f %s", v, units[u]);
    return buf;
}

bool checkMemoryBudget(const MemoryEstimate& e, int64_t limitBytes, const std::string& limitName, std::string* err) {
    if (limitBytes <= 0 || e.total() <= limitBytes) return true;
    std::string parts = e.peakActivationBytes == 0
                            ? "weights"
                            : "weights " + formatBytes(e.weightBytes) + " + peak activations " + formatBytes(e.peakActivationBytes) +
                                  (e.peakNode.empty() ? "" : " at node \"" + e.peakNode + "\"");
    *err = "the design needs about " + formatBytes(e.total()) + " (" + parts + "), over the limit of " + formatBytes(limitBytes) + " (" +
           limitName + "); lower the sizes with --set, or raise the limit";
    return false;
}

int64_t physicalMemoryBytes() {
    long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || size <= 0) return 0;
    return satMul(int64_t(pages), int64_t(size));
}

bool parseByteSize(const std::string& text, int64_t* out, std::string* err) {
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (...) {
        used = 0;
    }
    std::string unit = text.substr(used);
    static const std::map<std::string, double> kUnits = {
        {"", 1}, {"B", 1}, {"K", 1024.0}, {"KB", 1e3}, {"KiB", 1024.0}, {"M", 1048576.0}, {"MB", 1e6}, {"MiB", 1048576.0},
        {"G", 1073741824.0}, {"GB", 1e9}, {"GiB", 1073741824.0}, {"T", 1099511627776.0}, {"TB", 1e12}, {"TiB", 1099511627776.0}};
    auto it = kUnits.find(unit);
    if (used == 0 || it == kUnits.end() || !(v > 0) || !std::isfinite(v) || v * it->second >= 9.2e18) {
        *err = "expected a positive size such as 512M, 8G or 1.5GiB, got \"" + text + "\"";
        return false;
    }
    *out = int64_t(v * it->second);
    if (*out <= 0) { *err = "size \"" + text + "\" is less than one byte"; return false; }
    return true;
}

}  // namespace archscope
