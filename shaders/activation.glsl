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
#define ACT_ERF 13
#define ACT_SQRT 14
#define ACT_NEG 15
#define ACT_RECIPROCAL 16
#define ACT_LOGICAL_NOT 17  // x == 0 ? 1 : 0
#define ACT_POW 18          // x^p0 (p0 = 2, 1, 0.5 exact like the CPU; negative x only for integer p0)

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
float erfApprox(float x) {
    float s = sign(x), a = abs(x);
    float t = 1.0 / (1.0 + 0.3275911 * a);
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
    return s * y;
}

// erf for the erf op: the Maclaurin series for |x| < 0.5 (keeps the relative error of
// small arguments, where 7.1.26 cancels), 7.1.26 above (relative error < 3e-7 there).
float erfAccurate(float x) {
    if (abs(x) >= 0.5) return erfApprox(x);
    const float z = x * x;
    return 1.1283791670955126 * x * (1.0 + z * (-1.0 / 3.0 + z * (0.1 + z * (-1.0 / 42.0 + z * (1.0 / 216.0 + z * (-1.0 / 1320.0))))));
}

// std::pow(x, e) in float: odd/even integer powers of negative x, NaN otherwise; 0^e.
float powStd(float x, float e) {
    if (e == 2.0) return x * x;
    if (e == 1.0) return x;
    if (e == 0.5) return sqrt(x);
    if (e == 0.0) return 1.0;
    if (x == 0.0) return e > 0.0 ? 0.0 : uintBitsToFloat(0x7f800000u);
    const float r = exp2(e * log2(abs(x)));
    if (x > 0.0) return r;
    if (floor(e) != e) return uintBitsToFloat(0x7fc00000u);
    return mod(e, 2.0) == 1.0 ? -r : r;
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
    if (code == ACT_ERF) return erfAccurate(x);
    if (code == ACT_SQRT) return sqrt(x);
    if (code == ACT_NEG) return -x;
    if (code == ACT_RECIPROCAL) return 1.0 / x;
    if (code == ACT_LOGICAL_NOT) return x == 0.0 ? 1.0 : 0.0;
    if (code == ACT_POW) return powStd(x, p0);
    return x;
}

vec4 applyAct4(int code, vec4 v, float p0, float p1) {
    return vec4(applyAct(code, v.x, p0, p1), applyAct(code, v.y, p0, p1), applyAct(code, v.z, p0, p1), applyAct(code, v.w, p0, p1));
}

#endif
