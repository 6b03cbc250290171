#include "core/tensor.h"

#include <cstring>
#include <stdexcept>

namespace archscope {

const char* dtypeName(DType t) { return t == DType::F32 ? "f32" : "i64"; }

bool parseDType(const std::string& s, DType* out) {
    if (s == "f32" || s == "float32") { *out = DType::F32; return true; }
    if (s == "i64" || s == "int64") { *out = DType::I64; return true; }
    return false;
}

size_t dtypeSize(DType t) { return t == DType::F32 ? 4 : 8; }

Tensor::Tensor(DType dtype, std::vector<int64_t> shape) : m_dtype(dtype), m_shape(std::move(shape)) {
    m_numel = 1;
    for (int64_t d : m_shape) {
        if (d < 0) throw std::invalid_argument("negative tensor dimension");
        m_numel *= d;
    }
    size_t bytes = std::max<size_t>(byteSize(), 1);
    m_data = std::shared_ptr<std::byte[]>(new std::byte[bytes]);
    std::memset(m_data.get(), 0, bytes);
}

Tensor Tensor::f32(std::vector<int64_t> shape, std::vector<float> values) {
    Tensor t(DType::F32, std::move(shape));
    if (size_t(t.numel()) != values.size()) throw std::invalid_argument("Tensor::f32: value count does not match shape");
    std::memcpy(t.raw(), values.data(), t.byteSize());
    return t;
}

Tensor Tensor::i64(std::vector<int64_t> shape, std::vector<int64_t> values) {
    Tensor t(DType::I64, std::move(shape));
    if (size_t(t.numel()) != values.size()) throw std::invalid_argument("Tensor::i64: value count does not match shape");
    std::memcpy(t.raw(), values.data(), t.byteSize());
    return t;
}

int64_t Tensor::dim(int i) const {
    if (i < 0) i += rank();
    if (i < 0 || i >= rank()) throw std::out_of_range("Tensor::dim: axis out of range");
    return m_shape[size_t(i)];
}

float* Tensor::f32() {
    if (m_dtype != DType::F32) throw std::logic_error("tensor is not f32");
    return reinterpret_cast<float*>(m_data.get());
}
const float* Tensor::f32() const { return const_cast<Tensor*>(this)->f32(); }

int64_t* Tensor::i64() {
    if (m_dtype != DType::I64) throw std::logic_error("tensor is not i64");
    return reinterpret_cast<int64_t*>(m_data.get());
}
const int64_t* Tensor::i64() const { return const_cast<Tensor*>(this)->i64(); }

Tensor Tensor::clone() const {
    Tensor t(m_dtype, m_shape);
    if (m_data) std::memcpy(t.raw(), raw(), byteSize());
    return t;
}

Tensor Tensor::reshaped(std::vector<int64_t> shape) const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    if (n != m_numel) throw std::invalid_argument("Tensor::reshaped: element count differs");
    Tensor t = *this;
    t.m_shape = std::move(shape);
    return t;
}

std::string shapeStr(const std::vector<int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

}  // namespace archscope
