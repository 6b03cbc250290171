#include "core/op_def.h"

namespace archscope {

InferCtx::InferCtx(const std::string& node, const std::vector<PortDef>& ports, const Attrs& a,
                   const std::vector<std::optional<TensorType>>& in, const std::vector<std::string>& src,
                   const Bindings& b)
    : attrs(a), inputs(in), sources(src), bindings(b), m_node(node), m_ports(ports) {}

bool InferCtx::error(int input, const std::string& msg) {
    std::string port = input >= 0 && input < int(m_ports.size()) ? m_ports[size_t(input)].name : "?";
    m_errors.push_back("node \"" + m_node + "\" input \"" + port + "\": " + msg);
    return false;
}

bool InferCtx::error(const std::string& msg) {
    m_errors.push_back("node \"" + m_node + "\": " + msg);
    return false;
}

bool InferCtx::mismatch(int input, const Shape& expected) {
    std::string msg = "expected " + shapeStr(expected) + ", got " + shapeStr(shape(input));
    if (input < int(sources.size()) && !sources[size_t(input)].empty()) msg += " from \"" + sources[size_t(input)] + "\"";
    return error(input, msg);
}

bool InferCtx::expectRank(int input, int r) {
    if (rank(input) == r) return true;
    std::string msg = "expected rank " + std::to_string(r) + ", got " + shapeStr(shape(input));
    if (!sources[size_t(input)].empty()) msg += " from \"" + sources[size_t(input)] + "\"";
    return error(input, msg);
}

bool InferCtx::expectRankAtLeast(int input, int r) {
    if (rank(input) >= r) return true;
    std::string msg = "expected rank >= " + std::to_string(r) + ", got " + shapeStr(shape(input));
    if (!sources[size_t(input)].empty()) msg += " from \"" + sources[size_t(input)] + "\"";
    return error(input, msg);
}

bool InferCtx::expectDim(int input, int axis, const Dim& expected) {
    const Shape& s = shape(input);
    int a = axis < 0 ? axis + int(s.size()) : axis;
    if (a < 0 || a >= int(s.size())) return expectRankAtLeast(input, axis < 0 ? -axis : axis + 1);
    if (s[size_t(a)] == expected) return true;
    Shape want = s;
    want[size_t(a)] = expected;
    return mismatch(input, want);
}

bool InferCtx::expectDType(int input, DType t) {
    if (in(input).dtype == t) return true;
    return error(input, std::string("expected dtype ") + dtypeName(t) + ", got " + dtypeName(in(input).dtype));
}

const PortDef* OpDef::findInput(const std::string& n) const {
    int i = inputIndex(n);
    return i < 0 ? nullptr : &inputs[size_t(i)];
}
const PortDef* OpDef::findOutput(const std::string& n) const {
    int i = outputIndex(n);
    return i < 0 ? nullptr : &outputs[size_t(i)];
}
int OpDef::inputIndex(const std::string& n) const {
    for (size_t i = 0; i < inputs.size(); ++i) if (inputs[i].name == n) return int(i);
    return -1;
}
int OpDef::outputIndex(const std::string& n) const {
    for (size_t i = 0; i < outputs.size(); ++i) if (outputs[i].name == n) return int(i);
    return -1;
}
const AttrDef* OpDef::findAttr(const std::string& n) const {
    for (auto& a : attrs) if (a.name == n) return &a;
    return nullptr;
}

}  // namespace archscope
