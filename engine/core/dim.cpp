#include "core/dim.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <numeric>
#include <sstream>

namespace archscope {
namespace {

int64_t gcd64(int64_t a, int64_t b) { return std::gcd(a < 0 ? -a : a, b < 0 ? -b : b); }

// Saturating arithmetic for concrete values: an overflowing size becomes
// INT64_MAX/MIN, which the element-limit check then reports (never UB).
int64_t satAdd(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}
int64_t satMul(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) return ((a < 0) != (b < 0)) ? INT64_MIN : INT64_MAX;
    return r;
}
// Checked arithmetic for the exact symbolic form: on overflow the form is dropped.
bool ckMul(int64_t a, int64_t b, int64_t* r) { return !__builtin_mul_overflow(a, b, r); }
bool ckAdd(int64_t a, int64_t b, int64_t* r) { return !__builtin_add_overflow(a, b, r); }

}  // namespace

Dim::Dim(int64_t value) : m_value(value) {
    if (value != 0) m_terms[{}] = {value, 1};
}

Dim Dim::symbol(const std::string& name, int64_t value) {
    Dim d;
    d.m_value = value;
    d.m_terms[{{name, 1}}] = {1, 1};
    return d;
}

bool Dim::isSymbolic() const {
    if (!m_exact) return false;
    for (auto& [mono, c] : m_terms)
        if (!mono.empty()) return true;
    return false;
}

void Dim::normalize() {
    for (auto it = m_terms.begin(); it != m_terms.end();) {
        Rational& r = it->second;
        if (r.num == 0) { it = m_terms.erase(it); continue; }
        int64_t g = gcd64(r.num, r.den);
        r.num /= g; r.den /= g;
        if (r.den < 0) { r.num = -r.num; r.den = -r.den; }
        ++it;
    }
}

Dim Dim::combine(const Dim& a, const Dim& b, int sign) {
    Dim r;
    r.m_value = satAdd(a.m_value, satMul(sign, b.m_value));
    r.m_exact = a.m_exact && b.m_exact;
    if (!r.m_exact) return r;
    r.m_terms = a.m_terms;
    for (auto& [mono, c] : b.m_terms) {
        Rational& t = r.m_terms[mono];
        // t + sign*c
        int64_t x, y, num, den;
        if (!ckMul(t.num, c.den, &x) || !ckMul(sign * c.num, t.den, &y) || !ckAdd(x, y, &num) || !ckMul(t.den, c.den, &den)) {
            r.m_exact = false;
            r.m_terms.clear();
            return r;
        }
        t = {num, den};
    }
    r.normalize();
    return r;
}

Dim Dim::operator+(const Dim& o) const { return combine(*this, o, 1); }
Dim Dim::operator-(const Dim& o) const { return combine(*this, o, -1); }

Dim Dim::operator*(const Dim& o) const {
    Dim r;
    r.m_value = satMul(m_value, o.m_value);
    r.m_exact = m_exact && o.m_exact;
    if (!r.m_exact) return r;
    for (auto& [ma, ca] : m_terms) {
        for (auto& [mb, cb] : o.m_terms) {
            std::map<std::string, int> pw;
            for (auto& [s, e] : ma) pw[s] += e;
            for (auto& [s, e] : mb) pw[s] += e;
            Monomial m(pw.begin(), pw.end());
            Rational& t = r.m_terms[m];
            int64_t dd, x, nn, y, num, den;
            if (!ckMul(ca.den, cb.den, &dd) || !ckMul(t.num, dd, &x) || !ckMul(ca.num, cb.num, &nn) || !ckMul(nn, t.den, &y) ||
                !ckAdd(x, y, &num) || !ckMul(t.den, dd, &den)) {
                r.m_exact = false;
                r.m_terms.clear();
                return r;
            }
            t = {num, den};
            int64_t g = gcd64(t.num, t.den);
            if (g > 1) { t.num /= g; t.den /= g; }
        }
    }
    r.normalize();
    return r;
}

Dim Dim::floorDiv(int64_t d) const {
    Dim r;
    if (d <= 0) { r.m_exact = false; r.m_value = 0; return r; }
    int64_t v = m_value / d;
    if ((m_value % d != 0) && ((m_value < 0) != (d < 0))) --v;
    r.m_value = v;
    // Exact form when the value divides and so does the constant term: e.g.
    // T/4 stays symbolic; (H-1)/2 becomes concrete.
    r.m_exact = m_exact && (m_value % d == 0);
    if (r.m_exact) {
        auto it = m_terms.find({});
        if (it != m_terms.end() && (it->second.num % (it->second.den * d)) != 0) r.m_exact = false;
    }
    if (r.m_exact) {
        r.m_terms = m_terms;
        for (auto& [m, c] : r.m_terms)
            if (!ckMul(c.den, d, &c.den)) { r.m_exact = false; r.m_terms.clear(); return r; }
        r.normalize();
    }
    return r;
}

Dim Dim::ceilDiv(int64_t d) const {
    if (d > 0 && m_value % d == 0) return floorDiv(d);
    Dim r = (*this + Dim(d - 1)).floorDiv(d);  // d > 0 here or floorDiv reports it
    return r;
}

std::string Dim::str() const {
    if (!m_exact) return std::to_string(m_value);
    if (m_terms.empty()) return "0";
    std::ostringstream os;
    bool first = true;
    // Symbolic terms first (sorted), constant last: "2*T+1".
    std::vector<std::pair<Monomial, Rational>> terms(m_terms.begin(), m_terms.end());
    std::stable_partition(terms.begin(), terms.end(), [](auto& t) { return !t.first.empty(); });
    for (auto& [mono, c] : terms) {
        int64_t num = c.num;
        if (!first) os << (num < 0 ? "-" : "+");
        else if (num < 0) os << "-";
        if (num < 0) num = -num;
        first = false;
        std::string monoStr;
        for (auto& [s, e] : mono) {
            for (int k = 0; k < e; ++k) monoStr += (monoStr.empty() ? "" : "*") + s;
        }
        if (monoStr.empty()) {
            os << num;
        } else {
            if (num != 1) os << num << "*";
            os << monoStr;
        }
        if (c.den != 1) os << "/" << c.den;
    }
    return os.str();
}

// Grammar: expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
// factor := integer | symbol | '(' expr ')'.
namespace {
struct Parser {
    std::string_view s;
    size_t i = 0;
    const Bindings& b;
    std::string err;

    void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
    std::optional<Dim> expr() {
        auto l = term();
        if (!l) return l;
        for (ws(); i < s.size() && (s[i] == '+' || s[i] == '-'); ws()) {
            char op = s[i++];
            auto r = term();
            if (!r) return r;
            l = op == '+' ? *l + *r : *l - *r;
        }
        return l;
    }
    std::optional<Dim> term() {
        auto l = factor();
        if (!l) return l;
        for (ws(); i < s.size() && (s[i] == '*' || s[i] == '/'); ws()) {
            char op = s[i++];
            auto r = factor();
            if (!r) return r;
            if (op == '*') { l = *l * *r; continue; }
            if (r->isSymbolic() || r->value() <= 0) { err = "can only divide by a positive constant"; return std::nullopt; }
            l = l->floorDiv(r->value());
        }
        return l;
    }
    std::optional<Dim> factor() {
        ws();
        if (i >= s.size()) { err = "unexpected end"; return std::nullopt; }
        if (s[i] == '(') {
            ++i;
            auto e = expr();
            ws();
            if (!e) return e;
            if (i >= s.size() || s[i] != ')') { err = "missing ')'"; return std::nullopt; }
            ++i;
            return e;
        }
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            int64_t v = 0;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
                if (v > (int64_t(1) << 50)) { err = "number too large"; return std::nullopt; }
                v = v * 10 + (s[i++] - '0');
            }
            return Dim(v);
        }
        if (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_') {
            size_t st = i;
            while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
            std::string name(s.substr(st, i - st));
            auto it = b.find(name);
            if (it == b.end()) { err = "unknown size symbol \"" + name + "\" (declare it under \"symbols\")"; return std::nullopt; }
            return Dim::symbol(name, it->second);
        }
        err = std::string("unexpected character '") + s[i] + "'";
        return std::nullopt;
    }
};
}  // namespace

std::optional<Dim> Dim::parse(std::string_view text, const Bindings& b, std::string* err) {
    Parser p{text, 0, b, {}};
    auto d = p.expr();
    p.ws();
    if (d && p.i != text.size()) { p.err = "unexpected text after dimension"; d.reset(); }
    if (!d && err) {
        // The text comes from a file: quote at most about 80 bytes of it,
        // never cutting a UTF-8 sequence.
        auto clip = [](std::string_view t, size_t n) {
            if (t.size() <= n) return std::string(t);
            while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;
            return std::string(t.substr(0, n)) + "...";
        };
        std::string shown = clip(text, 80);
        p.err = clip(p.err, 160);
        *err = "bad dimension \"" + shown + "\": " + p.err;
    }
    return d;
}

std::string shapeStr(const Shape& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + s[i].str();
    return r + "]";
}

int64_t shapeNumel(const Shape& s) {
    int64_t n = 1;
    for (auto& d : s) n = satMul(n, d.value());
    return n;
}

std::vector<int64_t> shapeValues(const Shape& s) {
    std::vector<int64_t> v;
    v.reserve(s.size());
    for (auto& d : s) v.push_back(d.value());
    return v;
}

Shape shapeFromValues(const std::vector<int64_t>& v) { return Shape(v.begin(), v.end()); }

}  // namespace archscope
