// safetensors reader and writer: 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the
// raw data. Supports F32 and I64 (F16/BF16/F64/I32 converted to F32/I64 on read).
#pragma once

#include "core/tensor.h"

#include <map>
#include <string>

namespace archscope {

using TensorMap = std::map<std::string, Tensor>;

bool readSafetensors(const std::string& path, TensorMap* out, std::string* err,
                     std::map<std::string, std::string>* metadata = nullptr);
bool parseSafetensors(const std::string& bytes, const std::string& name, TensorMap* out, std::string* err,
                      std::map<std::string, std::string>* metadata = nullptr);
std::string encodeSafetensors(const TensorMap& tensors, const std::map<std::string, std::string>& metadata = {});
bool writeSafetensors(const std::string& path, const TensorMap& tensors, std::string* err);

}  // namespace archscope
