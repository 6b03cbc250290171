// IEEE 754 binary16 ("half") conversion and the compact blobs of the profile
// store: attention maps and histograms are stored as little-endian fp16.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace archscope {

// Round to nearest even; overflow gives +-inf, NaN stays NaN (quiet),
// values below the smallest subnormal round to signed zero.
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

// n floats -> 2n bytes (little-endian fp16), and back. A blob of odd length
// decodes as empty.
std::string encodeHalfBlob(const float* x, size_t n);
std::vector<float> decodeHalfBlob(const void* data, size_t bytes);

// n floats -> 4n bytes (little-endian f32), and back; for values that need
// the full range (per-channel statistics).
std::string encodeF32Blob(const float* x, size_t n);
std::vector<float> decodeF32Blob(const void* data, size_t bytes);

}  // namespace archscope
