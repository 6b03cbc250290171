#include "interop/npy.h"

#include "graph/design_io.h"

#include <cstring>
#include <regex>

namespace archscope {

namespace {
bool bad(std::string* err, const std::string& name, const std::string& msg) {
    *err = name + ": " + msg;
    return false;
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
    std::string h = b.substr(off, hlen);
    std::smatch m;
    if (!std::regex_search(h, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) return bad(err, name, "header has no 'descr'");
    std::string descr = m[1];
    if (!std::regex_search(h, m, std::regex(R"('fortran_order'\s*:\s*(True|False))"))) return bad(err, name, "header has no 'fortran_order'");
    if (m[1] == "True") return bad(err, name, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
    if (!std::regex_search(h, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) return bad(err, name, "header has no 'shape'");
    std::vector<int64_t> shape;
    std::string dims = m[1];
    int64_t numel = 1;
    static const std::regex kDigits(R"(\d+)");
    for (std::sregex_iterator it(dims.begin(), dims.end(), kDigits), end; it != end; ++it) {
        if (it->str().size() > 12) return bad(err, name, "dimension too large");
        int64_t d = std::stoll(it->str());
        if (__builtin_mul_overflow(numel, d, &numel) || numel > (int64_t(1) << 34)) return bad(err, name, "array too large");
        shape.push_back(d);
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
