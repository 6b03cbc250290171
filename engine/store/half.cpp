#include "store/half.h"

#include <cstring>

namespace archscope {

uint16_t floatToHalf(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    uint16_t sign = uint16_t((x >> 16) & 0x8000u);
    uint32_t exp = (x >> 23) & 0xffu, mant = x & 0x7fffffu;
    if (exp == 0xff) return uint16_t(sign | 0x7c00u | (mant ? 0x200u | (mant >> 13) : 0u));  // inf / NaN
    int e = int(exp) - 127 + 15;
    if (e >= 31) return uint16_t(sign | 0x7c00u);  // overflow
    if (e <= 0) {
        // Subnormal half: shift the mantissa (with its implicit 1) right.
        if (e < -10) return sign;
        uint32_t m = mant | 0x800000u;
        int shift = 14 - e;  // 24-bit significand -> 10-bit field, plus the exponent deficit
        uint32_t half = m >> shift, rem = m & ((1u << shift) - 1), mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1u))) ++half;
        return uint16_t(sign | half);
    }
    uint32_t half = (uint32_t(e) << 10) | (mant >> 13), rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent: correct
    return uint16_t(sign | half);
}

float halfToFloat(uint16_t h) {
    uint32_t sign = uint32_t(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu, x;
    if (exp == 0x1f) {
        x = sign | 0x7f800000u | (mant << 13);
    } else if (exp == 0) {
        if (mant == 0) {
            x = sign;
        } else {  // subnormal: normalise
            int e = -1;
            do { mant <<= 1; ++e; } while (!(mant & 0x400u));
            x = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
        }
    } else {
        x = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

std::string encodeHalfBlob(const float* x, size_t n) {
    std::string out(n * 2, '\0');
    for (size_t i = 0; i < n; ++i) {
        uint16_t h = floatToHalf(x[i]);
        out[2 * i] = char(h & 0xff);
        out[2 * i + 1] = char(h >> 8);
    }
    return out;
}

std::vector<float> decodeHalfBlob(const void* data, size_t bytes) {
    if (bytes % 2) return {};
    auto* p = static_cast<const unsigned char*>(data);
    std::vector<float> out(bytes / 2);
    for (size_t i = 0; i < out.size(); ++i) out[i] = halfToFloat(uint16_t(p[2 * i] | (p[2 * i + 1] << 8)));
    return out;
}

std::string encodeF32Blob(const float* x, size_t n) {
    std::string out(n * 4, '\0');
    for (size_t i = 0; i < n; ++i) {
        uint32_t u;
        std::memcpy(&u, &x[i], 4);
        for (int b = 0; b < 4; ++b) out[4 * i + size_t(b)] = char((u >> (8 * b)) & 0xff);
    }
    return out;
}

std::vector<float> decodeF32Blob(const void* data, size_t bytes) {
    if (bytes % 4) return {};
    auto* p = static_cast<const unsigned char*>(data);
    std::vector<float> out(bytes / 4);
    for (size_t i = 0; i < out.size(); ++i) {
        uint32_t u = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 | uint32_t(p[4 * i + 2]) << 16 | uint32_t(p[4 * i + 3]) << 24;
        std::memcpy(&out[i], &u, 4);
    }
    return out;
}

}  // namespace archscope
