// WeightStore: the parameters of one design, keyed "node.param".
//
// Parameters not provided by a weights file are initialised deterministically
// from (seed, node id, param name): changing other nodes never changes them.
#pragma once

#include "core/tensor.h"
#include "graph/analysis.h"

#include <map>
#include <string>

namespace archscope {

class WeightStore {
public:
    static std::string key(const std::string& node, const std::string& param) { return node + "." + param; }

    const Tensor* find(const std::string& node, const std::string& param) const;
    void set(const std::string& node, const std::string& param, Tensor t);
    const std::map<std::string, Tensor>& all() const { return m_tensors; }
    std::map<std::string, Tensor>& all() { return m_tensors; }

    // Creates every missing parameter of `a` (deterministic init) and checks
    // the shapes of those present. Returns false with a message naming the
    // parameter and both shapes on a mismatch.
    bool materialize(const Analysis& a, uint64_t seed, std::string* err);

    // Loads a safetensors file; names are "node.param".
    bool loadFile(const std::string& path, std::string* err);
    bool saveFile(const std::string& path, std::string* err) const;

private:
    std::map<std::string, Tensor> m_tensors;
};

// Deterministic random tensors (splitmix64 + Box-Muller), shared by weight
// init and generated run inputs.
uint64_t stableHash(const std::string& s);
void fillRandom(Tensor& t, Init init, float scale, uint64_t seed);
void fillRandomInts(Tensor& t, int64_t low, int64_t high, uint64_t seed);

}  // namespace archscope
