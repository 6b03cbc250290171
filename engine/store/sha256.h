// SHA-256 (FIPS 180-4), used for the design content hash of a session.
#pragma once

#include <string>

namespace archscope {

std::string sha256Hex(const std::string& data);  // 64 lowercase hex digits

}  // namespace archscope
