// Tensor: a dense, row-major host tensor of float32 or int64.
//
// Storage is shared (copying a Tensor is cheap and aliases the data); use
// clone() for a deep copy. The CPU backend, the weight store, the .npy and
// safetensors readers and the tests all exchange Tensors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace archscope {

enum class DType { F32, I64 };

const char* dtypeName(DType t);             // "f32", "i64"
bool parseDType(const std::string& s, DType* out);
size_t dtypeSize(DType t);

class Tensor {
public:
    Tensor() = default;
    Tensor(DType dtype, std::vector<int64_t> shape);  // zero-filled

    static Tensor f32(std::vector<int64_t> shape, std::vector<float> values);
    static Tensor i64(std::vector<int64_t> shape, std::vector<int64_t> values);

    DType dtype() const { return m_dtype; }
    const std::vector<int64_t>& shape() const { return m_shape; }
    int rank() const { return int(m_shape.size()); }
    int64_t dim(int i) const;  // negative i counts from the end
    int64_t numel() const { return m_numel; }
    size_t byteSize() const { return size_t(m_numel) * dtypeSize(m_dtype); }
    bool empty() const { return !m_data; }

    float* f32();
    const float* f32() const;
    int64_t* i64();
    const int64_t* i64() const;
    void* raw() { return m_data.get(); }
    const void* raw() const { return m_data.get(); }

    Tensor clone() const;
    // Same storage, new shape of the same element count.
    Tensor reshaped(std::vector<int64_t> shape) const;

private:
    DType m_dtype = DType::F32;
    std::vector<int64_t> m_shape;
    int64_t m_numel = 0;
    std::shared_ptr<std::byte[]> m_data;
};

std::string shapeStr(const std::vector<int64_t>& s);  // "[2, 3]"

}  // namespace archscope
