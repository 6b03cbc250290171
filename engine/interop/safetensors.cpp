#include "interop/safetensors.h"

#include "graph/design_io.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

namespace archscope {

namespace {

bool bad(std::string* err, const std::string& name, const std::string& msg) {
    *err = name + ": " + msg;
    return false;
}

float halfToFloat(uint16_t h) {
    uint32_t sign = uint32_t(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
    float v;
    if (exp == 0) v = std::ldexp(float(man), -24);
    else if (exp == 31) v = man ? NAN : INFINITY;
    else v = std::ldexp(float(man | 0x400), int(exp) - 25);
    return sign ? -v : v;
}

}  // namespace

bool parseSafetensors(const std::string& b, const std::string& name, TensorMap* out, std::string* err,
                      std::map<std::string, std::string>* metadata) {
    if (b.size() < 8) return bad(err, name, "too short for a safetensors file");
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= uint64_t(static_cast<unsigned char>(b[size_t(i)])) << (8 * i);
    if (n > b.size() - 8 || n > 100u * 1024 * 1024) return bad(err, name, "header length " + std::to_string(n) + " exceeds the file");
    nlohmann::json h;
    try {
        h = nlohmann::json::parse(b.substr(8, n));
    } catch (const std::exception& e) {
        return bad(err, name, std::string("header is not valid JSON: ") + e.what());
    }
    if (!h.is_object()) return bad(err, name, "header is not a JSON object");
    size_t base = 8 + n, dataLen = b.size() - base;
    TensorMap m;
    for (auto& [key, v] : h.items()) {
        if (key == "__metadata__") {
            if (metadata && v.is_object())
                for (auto& [mk, mv] : v.items())
                    if (mv.is_string()) (*metadata)[mk] = mv.get<std::string>();
            continue;
        }
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
            return bad(err, name, "tensor \"" + key + "\" lacks dtype, shape or data_offsets");
        std::string dt = v["dtype"].is_string() ? v["dtype"].get<std::string>() : "";
        std::vector<int64_t> shape;
        int64_t numel = 1;
        if (!v["shape"].is_array()) return bad(err, name, "tensor \"" + key + "\": shape must be an array");
        for (auto& d : v["shape"]) {
            if (!d.is_number_unsigned()) return bad(err, name, "tensor \"" + key + "\": bad dimension");
            int64_t x = d.get<int64_t>();
            if (__builtin_mul_overflow(numel, x, &numel) || numel > (int64_t(1) << 34)) return bad(err, name, "tensor \"" + key + "\" too large");
            shape.push_back(x);
        }
        auto& off = v["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
            return bad(err, name, "tensor \"" + key + "\": data_offsets must be [begin, end]");
        uint64_t b0 = off[0].get<uint64_t>(), b1 = off[1].get<uint64_t>();
        size_t esize = dt == "F32" || dt == "I32" ? 4 : dt == "F16" || dt == "BF16" ? 2 : dt == "F64" || dt == "I64" ? 8 : 0;
        if (!esize) return bad(err, name, "tensor \"" + key + "\": dtype \"" + dt + "\" is not supported");
        if (b1 < b0 || b1 > dataLen || b1 - b0 != uint64_t(numel) * esize)
            return bad(err, name, "tensor \"" + key + "\": data_offsets [" + std::to_string(b0) + ", " + std::to_string(b1) +
                                      "] do not match its shape and dtype or the file size");
        const char* p = b.data() + base + b0;
        bool isInt = dt == "I32" || dt == "I64";
        Tensor t(isInt ? DType::I64 : DType::F32, shape);
        for (int64_t i = 0; i < numel; ++i) {
            if (dt == "F32") std::memcpy(&t.f32()[i], p + i * 4, 4);
            else if (dt == "F64") { double x; std::memcpy(&x, p + i * 8, 8); t.f32()[i] = float(x); }
            else if (dt == "F16") { uint16_t x; std::memcpy(&x, p + i * 2, 2); t.f32()[i] = halfToFloat(x); }
            else if (dt == "BF16") { uint16_t x; std::memcpy(&x, p + i * 2, 2); uint32_t u = uint32_t(x) << 16; std::memcpy(&t.f32()[i], &u, 4); }
            else if (dt == "I64") std::memcpy(&t.i64()[i], p + i * 8, 8);
            else { int32_t x; std::memcpy(&x, p + i * 4, 4); t.i64()[i] = x; }
        }
        m.emplace(key, std::move(t));
    }
    *out = std::move(m);
    return true;
}

std::string encodeSafetensors(const TensorMap& tensors, const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    if (!metadata.empty()) h["__metadata__"] = metadata;
    size_t off = 0;
    for (auto& [k, t] : tensors) {
        h[k] = {{"dtype", t.dtype() == DType::F32 ? "F32" : "I64"}, {"shape", t.shape()}, {"data_offsets", {off, off + t.byteSize()}}};
        off += t.byteSize();
    }
    std::string hs = h.dump();
    hs += std::string((8 - hs.size() % 8) % 8, ' ');
    std::string r(8, '\0');
    for (int i = 0; i < 8; ++i) r[size_t(i)] = char((hs.size() >> (8 * i)) & 0xff);
    r += hs;
    for (auto& [k, t] : tensors) r.append(static_cast<const char*>(t.raw()), t.byteSize());
    return r;
}

bool readSafetensors(const std::string& path, TensorMap* out, std::string* err, std::map<std::string, std::string>* metadata) {
    std::string b;
    if (!readFile(path, &b, err)) return false;
    return parseSafetensors(b, path, out, err, metadata);
}

bool writeSafetensors(const std::string& path, const TensorMap& tensors, std::string* err) {
    return writeFileAtomic(path, encodeSafetensors(tensors), err);
}

}  // namespace archscope
