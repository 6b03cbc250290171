// NumPy .npy reader and writer (format version 1.0/2.0, little-endian,
// C order; float32 and int64, plus float64/int32 converted on read).
#pragma once

#include "core/tensor.h"

#include <string>

namespace archscope {

bool readNpy(const std::string& path, Tensor* out, std::string* err);
bool parseNpy(const std::string& bytes, const std::string& name, Tensor* out, std::string* err);
std::string encodeNpy(const Tensor& t);
bool writeNpy(const std::string& path, const Tensor& t, std::string* err);

}  // namespace archscope
