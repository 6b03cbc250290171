// libFuzzer target: the .npy reader. It must reject or read any bytes without
// crashing, reading out of bounds or allocating more than the file can fill,
// and an accepted array must round-trip through encodeNpy.
#include "interop/npy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    Tensor t;
    std::string err;
    if (!parseNpy(bytes, "fuzz.npy", &t, &err)) {
        if (err.empty()) std::abort();
        return 0;
    }
    Tensor back;
    if (!parseNpy(encodeNpy(t), "again.npy", &back, &err)) { std::fprintf(stderr, "re-read failed: %s\n", err.c_str()); std::abort(); }
    if (back.shape() != t.shape() || back.dtype() != t.dtype() || (t.byteSize() && std::memcmp(back.raw(), t.raw(), t.byteSize()) != 0))
        std::abort();
    return 0;
}
