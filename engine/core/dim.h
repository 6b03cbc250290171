// Dim: one tensor dimension, both symbolic and concrete.
//
// A Dim carries its value under the current size bindings (e.g. T=128) and,
// when it can be expressed exactly, a polynomial in the symbols with rational
// coefficients ("B*T", "T/4", "2*T+1"). Shape functions compute with Dims
// through the operators below; a result that has no exact symbolic form
// (a floor division that does not divide) keeps only its value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archscope {

using Bindings = std::map<std::string, int64_t>;

class Dim {
public:
    Dim() = default;
    Dim(int64_t value);  // NOLINT: constants convert implicitly
    static Dim symbol(const std::string& name, int64_t value);

    // Parses "64", "T", "B*T", "T/4", "2*T+1" and evaluates with `b`.
    // Returns nullopt and sets `err` for unknown symbols or bad syntax.
    static std::optional<Dim> parse(std::string_view text, const Bindings& b, std::string* err);

    int64_t value() const { return m_value; }
    bool isSymbolic() const;  // has an exact form that mentions a symbol
    bool hasExpr() const { return m_exact; }
    std::string str() const;  // "B*T" when exact, else the value

    Dim operator+(const Dim& o) const;
    Dim operator-(const Dim& o) const;
    Dim operator*(const Dim& o) const;
    // Floor division by a positive constant; exact form kept when it divides.
    Dim floorDiv(int64_t d) const;
    Dim ceilDiv(int64_t d) const;

    // Compares values (what matters for execution under these bindings).
    bool operator==(const Dim& o) const { return m_value == o.m_value; }
    bool operator!=(const Dim& o) const { return m_value != o.m_value; }

private:
    struct Rational { int64_t num = 0, den = 1; };
    using Monomial = std::vector<std::pair<std::string, int>>;  // sorted
    std::map<Monomial, Rational> m_terms;
    int64_t m_value = 0;
    bool m_exact = true;

    void normalize();
    static Dim combine(const Dim& a, const Dim& b, int sign);
};

using Shape = std::vector<Dim>;

std::string shapeStr(const Shape& s);            // "[B, T, 64]"
int64_t shapeNumel(const Shape& s);              // product of values
std::vector<int64_t> shapeValues(const Shape& s);
Shape shapeFromValues(const std::vector<int64_t>& v);

}  // namespace archscope
