// Activation functions by code, shared by unary.comp (code by define) and the
// fused epilogues of matmul/linear and gate (code by specialization constant).
// Codes match runtime/vulkan/kernels/activation.h.
#ifndef ARCHSCOPE_ACTIVATION_GLSL
#define ARCHSCOPE_ACTIVATION_GLSL

#define ACT_NONE 0
#define ACT_RELU 1
#define ACT_RELU6 2
#define ACT_GELU 3       // 0.5 x (1 + erf(x / sqrt 2))
#define ACT_GELU_TANH 4  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
#define ACT_SILU 5
#define ACT_SIGMOID 6
#define ACT_TANH 7
#define ACT_EXP 8
#define ACT_ELU1 9       // x > 0 ? x + 1 : exp(x)
#define ACT_SOFTPLUS 10  // p0 = beta, p1 = threshold
#define ACT_SCALE 11     // x * p0 + p1
#define ACT_CLAMP 12     // clamp(x, p0, p1)

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
float erfApprox(float x) {
    float s = sign(x), a = abs(x);
    float t = 1.0 / (1.0 + 0.3275911 * a);
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
    return s * y;
}

// tanh without overflow for large |x|.
float tanhSafe(float x) {
    float t = exp(-2.0 * abs(x));
    return sign(x) * (1.0 - t) / (1.0 + t);
}

float sigmoidSafe(float x) { return 1.0 / (1.0 + exp(-x)); }

float applyAct(int code, float x, float p0, float p1) {
    if (code == ACT_RELU) return max(x, 0.0);
    if (code == ACT_RELU6) return clamp(x, 0.0, 6.0);
    if (code == ACT_GELU) return 0.5 * x * (1.0 + erfApprox(x * 0.70710678118654752));
    if (code == ACT_GELU_TANH) return 0.5 * x * (1.0 + tanhSafe(0.7978845608028654 * (x + 0.044715 * x * x * x)));
    if (code == ACT_SILU) return x * sigmoidSafe(x);
    if (code == ACT_SIGMOID) return sigmoidSafe(x);
    if (code == ACT_TANH) return tanhSafe(x);
    if (code == ACT_EXP) return exp(x);
    if (code == ACT_ELU1) return x > 0.0 ? x + 1.0 : exp(x);
    if (code == ACT_SOFTPLUS) { float bx = p0 * x; return bx > p1 ? x : log(1.0 + exp(bx)) / p0; }
    if (code == ACT_SCALE) return x * p0 + p1;
    if (code == ACT_CLAMP) return clamp(x, p0, p1);
    return x;
}

vec4 applyAct4(int code, vec4 v, float p0, float p1) {
    return vec4(applyAct(code, v.x, p0, p1), applyAct(code, v.y, p0, p1), applyAct(code, v.z, p0, p1), applyAct(code, v.w, p0, p1));
}

#endif
