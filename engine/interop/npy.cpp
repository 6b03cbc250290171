#include "interop/npy.h"

#include "graph/design_io.h"

#include <cctype>
#include <cstring>

namespace archscope {

namespace {
bool bad(std::string* err, const std::string& name, const std::string& msg) {
    *err = name + ": " + msg;
    return false;
}

constexpr size_t kMaxHeader = 64 * 1024;

// Finds 'key': VALUE in the header dict and returns VALUE as written: a quoted
// string, a parenthesised tuple or a bare word (True, False).
bool headerValue(const std::string& h, const std::string& key, std::string* out) {
    size_t at = h.find("'" + key + "'");
    if (at == std::string::npos) return false;
    size_t i = h.find_first_not_of(" \t", at + key.size() + 2);
    if (i == std::string::npos || h[i] != ':') return false;
    i = h.find_first_not_of(" \t", i + 1);
    if (i == std::string::npos) return false;
    size_t end;
    if (h[i] == '\'') end = h.find('\'', i + 1);
    else if (h[i] == '(') end = h.find(')', i + 1);
    else {
        end = h.find_first_of(",} \t", i);
        if (end == std::string::npos) return false;
        *out = h.substr(i, end - i);
        return true;
    }
    if (end == std::string::npos) return false;
    *out = h.substr(i, end - i + 1);
    return true;
}
}  // namespace

bool parseNpy(const std::string& b, const std::string& name, Tensor* out, std::string* err) {
    if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0) return bad(err, name, "not a .npy file (missing \\x93NUMPY magic)");
    int major = static_cast<unsigned char>(b[6]);
    size_t hlen, off;
    if (major == 1) {
        hlen = static_cast<unsigned char>(b[8]) | (size_t(static_cast<unsigned char>(b[9])) << 8);
        off = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) return bad(err, name, "truncated header");
        hlen = 0;
        for (int i = 0; i < 4; ++i) hlen |= size_t(static_cast<unsigned char>(b[8 + size_t(i)])) << (8 * i);
        off = 12;
    } else {
        return bad(err, name, "unsupported .npy version " + std::to_string(major));
    }
    if (hlen > b.size() - off) return bad(err, name, "truncated header");
    if (hlen > kMaxHeader)
        return bad(err, name, "header of " + std::to_string(hlen) + " bytes is larger than any plain array needs (at most " +
                                  std::to_string(kMaxHeader) + ")");
    const std::string h = b.substr(off, hlen);
    // The header is a Python dict literal; it is scanned, not matched with
    // std::regex, whose recursive matcher overflows the stack on long values.
    std::string descr, order, dims;
    if (!headerValue(h, "descr", &descr) || descr.size() < 2 || descr.front() != '\'' || descr.back() != '\'')
        return bad(err, name, "header has no 'descr'");
    descr = descr.substr(1, descr.size() - 2);
    if (!headerValue(h, "fortran_order", &order) || (order != "True" && order != "False"))
        return bad(err, name, "header has no 'fortran_order'");
    if (order == "True") return bad(err, name, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
    if (!headerValue(h, "shape", &dims) || dims.size() < 2 || dims.front() != '(' || dims.back() != ')')
        return bad(err, name, "header has no 'shape'");
    std::vector<int64_t> shape;
    int64_t numel = 1;
    for (size_t i = 1; i + 1 < dims.size();) {
        char c = dims[i];
        if (c == ' ' || c == ',') { ++i; continue; }
        if (!std::isdigit(static_cast<unsigned char>(c))) return bad(err, name, "header 'shape' is not a tuple of integers");
        size_t j = i;
        while (j + 1 < dims.size() && std::isdigit(static_cast<unsigned char>(dims[j]))) ++j;
        if (j - i > 12) return bad(err, name, "dimension too large");
        int64_t d = std::stoll(dims.substr(i, j - i));
        if (__builtin_mul_overflow(numel, d, &numel) || numel > (int64_t(1) << 34)) return bad(err, name, "array too large");
        shape.push_back(d);
        i = j;
    }
    size_t esize;
    DType dt;
    if (descr == "<f4" || descr == "<f8") { dt = DType::F32; esize = descr == "<f4" ? 4 : 8; }
    else if (descr == "<i8" || descr == "<i4") { dt = DType::I64; esize = descr == "<i8" ? 8 : 4; }
    else return bad(err, name, "dtype '" + descr + "' is not supported (use float32 or int64)");
    size_t data = off + hlen;
    if (b.size() - data < size_t(numel) * esize)
        return bad(err, name, "truncated data: " + shapeStr(shape) + " needs " + std::to_string(size_t(numel) * esize) + " bytes, file has " +
                                  std::to_string(b.size() - data));
    Tensor t(dt, shape);
    const char* p = b.data() + data;
    for (int64_t i = 0; i < numel; ++i) {
        if (descr == "<f4") { float v; std::memcpy(&v, p + i * 4, 4); t.f32()[i] = v; }
        else if (descr == "<f8") { double v; std::memcpy(&v, p + i * 8, 8); t.f32()[i] = float(v); }
        else if (descr == "<i8") { int64_t v; std::memcpy(&v, p + i * 8, 8); t.i64()[i] = v; }
        else { int32_t v; std::memcpy(&v, p + i * 4, 4); t.i64()[i] = v; }
    }
    *out = std::move(t);
    return true;
}

std::string encodeNpy(const Tensor& t) {
    std::string shape = "(";
    for (size_t i = 0; i < t.shape().size(); ++i) shape += std::to_string(t.shape()[i]) + (t.shape().size() == 1 ? "," : (i + 1 < t.shape().size() ? ", " : ""));
    shape += ")";
    std::string h = std::string("{'descr': '") + (t.dtype() == DType::F32 ? "<f4" : "<i8") + "', 'fortran_order': False, 'shape': " + shape + ", }";
    size_t total = 10 + h.size() + 1;
    h += std::string((64 - total % 64) % 64, ' ') + "\n";
    std::string r = "\x93NUMPY";
    r += char(1);
    r += char(0);
    r += char(h.size() & 0xff);
    r += char(h.size() >> 8);
    r += h;
    r.append(static_cast<const char*>(t.raw()), t.byteSize());
    return r;
}

bool readNpy(const std::string& path, Tensor* out, std::string* err) {
    std::string b;
    if (!readFile(path, &b, err)) return false;
    return parseNpy(b, path, out, err);
}

bool writeNpy(const std::string& path, const Tensor& t, std::string* err) { return writeFileAtomic(path, encodeNpy(t), err); }

}  // namespace archscope
