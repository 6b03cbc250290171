// Attribute values of a node, and their declared schema in an op definition.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace archscope {

// Shape is a String of comma-separated dims ("B, T, 64"), parsed by Dim::parse.
enum class AttrType { Int, Float, Bool, String, Enum, Ints, Shape };

const char* attrTypeName(AttrType t);

using AttrValue = std::variant<int64_t, double, bool, std::string, std::vector<int64_t>>;

// Declared attribute: type, default, range (Int/Float), choices (Enum) and doc.
struct AttrDef {
    std::string name;
    AttrType type = AttrType::Int;
    AttrValue def;
    double min = -1e300;
    double max = 1e300;
    std::vector<std::string> choices;  // for Enum
    std::string doc;
    bool required = false;  // no default: the design must set it
};

// Resolved attributes of one node: values from the design, defaults filled in.
// Getters assume validation already checked presence and type.
class Attrs {
public:
    Attrs() = default;
    explicit Attrs(std::map<std::string, AttrValue> values) : m_values(std::move(values)) {}

    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    int64_t i(const std::string& name) const;
    double f(const std::string& name) const;  // also accepts Int values
    bool b(const std::string& name) const;
    const std::string& s(const std::string& name) const;  // String or Enum
    const std::vector<int64_t>& ints(const std::string& name) const;
    const AttrValue& value(const std::string& name) const;
    void set(const std::string& name, AttrValue v) { m_values[name] = std::move(v); }
    const std::map<std::string, AttrValue>& values() const { return m_values; }

private:
    std::map<std::string, AttrValue> m_values;
};

std::string attrValueStr(const AttrValue& v);

// Helpers for op files: compact AttrDef construction.
AttrDef attrInt(std::string name, int64_t def, double min, double max, std::string doc);
AttrDef attrFloat(std::string name, double def, double min, double max, std::string doc);
AttrDef attrBool(std::string name, bool def, std::string doc);
AttrDef attrString(std::string name, std::string def, std::string doc);
AttrDef attrEnum(std::string name, std::string def, std::vector<std::string> choices, std::string doc);
AttrDef attrInts(std::string name, std::vector<int64_t> def, std::string doc);
AttrDef attrShape(std::string name, std::string def, std::string doc);
AttrDef attrRequiredInt(std::string name, double min, double max, std::string doc);

}  // namespace archscope
