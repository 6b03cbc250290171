// libFuzzer target: the safetensors reader. Any bytes are rejected or read
// without crashing or out-of-bounds reads; accepted tensors round-trip.
#include "interop/safetensors.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    TensorMap m;
    std::map<std::string, std::string> meta;
    std::string err;
    if (!parseSafetensors(bytes, "fuzz.safetensors", &m, &err, &meta)) {
        if (err.empty()) std::abort();
        return 0;
    }
    TensorMap back;
    if (!parseSafetensors(encodeSafetensors(m, meta), "again.safetensors", &back, &err)) {
        std::fprintf(stderr, "re-read failed: %s\n", err.c_str());
        std::abort();
    }
    if (back.size() != m.size()) std::abort();
    for (auto& [k, t] : m) {
        const Tensor& b = back.at(k);
        if (b.shape() != t.shape() || b.dtype() != t.dtype() || (t.byteSize() && std::memcmp(b.raw(), t.raw(), t.byteSize()) != 0))
            std::abort();
    }
    return 0;
}
