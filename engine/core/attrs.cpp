#include "core/attrs.h"

#include <sstream>
#include <stdexcept>

namespace archscope {

const char* attrTypeName(AttrType t) {
    switch (t) {  // enum of value types, not of ops
    case AttrType::Int: return "int";
    case AttrType::Float: return "float";
    case AttrType::Bool: return "bool";
    case AttrType::String: return "string";
    case AttrType::Enum: return "enum";
    case AttrType::Ints: return "ints";
    case AttrType::Shape: return "shape";
    }
    return "?";
}

const AttrValue& Attrs::value(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) throw std::out_of_range("attribute \"" + name + "\" not set");
    return it->second;
}

int64_t Attrs::i(const std::string& name) const {
    const AttrValue& v = value(name);
    if (auto p = std::get_if<int64_t>(&v)) return *p;
    if (auto p = std::get_if<bool>(&v)) return *p ? 1 : 0;
    throw std::invalid_argument("attribute \"" + name + "\" is not an int");
}

double Attrs::f(const std::string& name) const {
    const AttrValue& v = value(name);
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<int64_t>(&v)) return double(*p);
    throw std::invalid_argument("attribute \"" + name + "\" is not a number");
}

bool Attrs::b(const std::string& name) const {
    const AttrValue& v = value(name);
    if (auto p = std::get_if<bool>(&v)) return *p;
    if (auto p = std::get_if<int64_t>(&v)) return *p != 0;
    throw std::invalid_argument("attribute \"" + name + "\" is not a bool");
}

const std::string& Attrs::s(const std::string& name) const {
    const AttrValue& v = value(name);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    throw std::invalid_argument("attribute \"" + name + "\" is not a string");
}

const std::vector<int64_t>& Attrs::ints(const std::string& name) const {
    const AttrValue& v = value(name);
    if (auto p = std::get_if<std::vector<int64_t>>(&v)) return *p;
    throw std::invalid_argument("attribute \"" + name + "\" is not an int list");
}

std::string attrValueStr(const AttrValue& v) {
    std::ostringstream os;
    if (auto p = std::get_if<int64_t>(&v)) os << *p;
    else if (auto p = std::get_if<double>(&v)) os << *p;
    else if (auto p = std::get_if<bool>(&v)) os << (*p ? "true" : "false");
    else if (auto p = std::get_if<std::string>(&v)) os << '"' << *p << '"';
    else if (auto p = std::get_if<std::vector<int64_t>>(&v)) {
        os << "[";
        for (size_t i = 0; i < p->size(); ++i) os << (i ? ", " : "") << (*p)[i];
        os << "]";
    }
    return os.str();
}

AttrDef attrInt(std::string name, int64_t def, double min, double max, std::string doc) {
    return {std::move(name), AttrType::Int, def, min, max, {}, std::move(doc)};
}
AttrDef attrFloat(std::string name, double def, double min, double max, std::string doc) {
    return {std::move(name), AttrType::Float, def, min, max, {}, std::move(doc)};
}
AttrDef attrBool(std::string name, bool def, std::string doc) {
    return {std::move(name), AttrType::Bool, def, 0, 1, {}, std::move(doc)};
}
AttrDef attrString(std::string name, std::string def, std::string doc) {
    return {std::move(name), AttrType::String, std::move(def), 0, 0, {}, std::move(doc)};
}
AttrDef attrEnum(std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
    return {std::move(name), AttrType::Enum, std::move(def), 0, 0, std::move(choices), std::move(doc)};
}
AttrDef attrInts(std::string name, std::vector<int64_t> def, std::string doc) {
    return {std::move(name), AttrType::Ints, std::move(def), -1e300, 1e300, {}, std::move(doc)};
}
AttrDef attrShape(std::string name, std::string def, std::string doc) {
    return {std::move(name), AttrType::Shape, std::move(def), 0, 0, {}, std::move(doc)};
}
AttrDef attrRequiredInt(std::string name, double min, double max, std::string doc) {
    AttrDef d{std::move(name), AttrType::Int, int64_t(0), min, max, {}, std::move(doc)};
    d.required = true;
    return d;
}

}  // namespace archscope
