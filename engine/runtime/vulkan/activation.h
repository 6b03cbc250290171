// Activation codes shared with shaders/activation.glsl (keep in step).
#pragma once

namespace archscope::vk::act {
enum Code : int {
    None = 0, Relu = 1, Relu6 = 2, Gelu = 3, GeluTanh = 4, Silu = 5, Sigmoid = 6,
    Tanh = 7, Exp = 8, Elu1 = 9, Softplus = 10, Scale = 11, Clamp = 12,
    Erf = 13, Sqrt = 14, Neg = 15, Reciprocal = 16, LogicalNot = 17, Pow = 18
};
}  // namespace archscope::vk::act
