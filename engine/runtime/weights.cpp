#include "runtime/weights.h"
#include "runtime/memory_budget.h"

#include "interop/safetensors.h"

#include <cmath>

namespace archscope {

uint64_t stableHash(const std::string& s) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : s) { h ^= c; h *= 1099511628211ull; }
    return h;
}

namespace {
uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
double uniform01(uint64_t& s) { return double(splitmix(s) >> 11) * (1.0 / 9007199254740992.0); }
}  // namespace

void fillRandom(Tensor& t, Init init, float scale, uint64_t seed) {
    float* p = t.f32();
    int64_t n = t.numel();
    uint64_t s = seed;
    switch (init) {  // initialisation kinds, not ops
    case Init::Zeros: for (int64_t i = 0; i < n; ++i) p[i] = 0; break;
    case Init::Ones: for (int64_t i = 0; i < n; ++i) p[i] = 1; break;
    case Init::Constant: for (int64_t i = 0; i < n; ++i) p[i] = scale; break;
    case Init::S4DReal: {
        const int64_t last = t.rank() ? std::max<int64_t>(t.dim(-1), 1) : 1;
        for (int64_t i = 0; i < n; ++i) p[i] = float(std::log(double(i % last + 1)));
        break;
    }
    case Init::Uniform:
        for (int64_t i = 0; i < n; ++i) p[i] = float((uniform01(s) * 2 - 1) * scale);
        break;
    case Init::Normal:
        for (int64_t i = 0; i < n; i += 2) {
            double u1 = std::max(uniform01(s), 1e-300), u2 = uniform01(s);
            double r = std::sqrt(-2 * std::log(u1));
            p[i] = float(r * std::cos(2 * M_PI * u2) * scale);
            if (i + 1 < n) p[i + 1] = float(r * std::sin(2 * M_PI * u2) * scale);
        }
        break;
    }
}

void fillRandomInts(Tensor& t, int64_t low, int64_t high, uint64_t seed) {
    int64_t* p = t.i64();
    uint64_t s = seed;
    uint64_t span = uint64_t(std::max<int64_t>(high - low, 1));
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = low + int64_t(splitmix(s) % span);
}

const Tensor* WeightStore::find(const std::string& node, const std::string& param) const {
    auto it = m_tensors.find(key(node, param));
    return it == m_tensors.end() ? nullptr : &it->second;
}

void WeightStore::set(const std::string& node, const std::string& param, Tensor t) { m_tensors[key(node, param)] = std::move(t); }

bool WeightStore::materialize(const Analysis& a, uint64_t seed, std::string* err) {
    MemoryEstimate need = estimateMemory(a);
    need.peakActivationBytes = 0;  // only the weights are allocated here; backends check the rest
    if (!checkMemoryBudget(need, physicalMemoryBytes(), "this machine's memory", err)) return false;
    // Owners first, then tied nodes: a tied parameter takes its owner's initialiser.
    std::vector<std::string> order;
    for (auto& id : a.order) if (a.nodes.at(id).weightNode == id) order.push_back(id);
    for (auto& id : a.order) if (a.nodes.at(id).weightNode != id) order.push_back(id);
    for (auto& id : order) {
        const NodeInfo& info = a.nodes.at(id);
        for (auto& p : info.params) {
            std::string k = key(info.weightNode, p.name);
            auto it = m_tensors.find(k);
            if (it != m_tensors.end()) {
                if (it->second.shape() != p.shape || it->second.dtype() != DType::F32) {
                    *err = "weight \"" + k + "\": the design needs " + shapeStr(p.shape) + " f32, the weights have " +
                           shapeStr(it->second.shape()) + " " + dtypeName(it->second.dtype()) + " (re-export the weights or fix the node's attributes)";
                    return false;
                }
                continue;
            }
            Tensor t(DType::F32, p.shape);
            fillRandom(t, p.init, p.scale, seed ^ stableHash(k));
            m_tensors.emplace(k, std::move(t));
        }
    }
    return true;
}

bool WeightStore::loadFile(const std::string& path, std::string* err) {
    TensorMap m;
    if (!readSafetensors(path, &m, err)) return false;
    for (auto& [k, t] : m) m_tensors[k] = std::move(t);
    return true;
}

bool WeightStore::saveFile(const std::string& path, std::string* err) const {
    return writeSafetensors(path, m_tensors, err);
}

}  // namespace archscope
