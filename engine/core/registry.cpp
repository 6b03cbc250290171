#include "core/registry.h"

#include <algorithm>
#include <mutex>

namespace archscope {

OpRegistry& OpRegistry::global() {
    static OpRegistry* r = [] {
        auto* reg = new OpRegistry;
        registerCoreOps(*reg);
        return reg;
    }();
    return *r;
}

const OpDef* OpRegistry::find(std::string_view id) const {
    auto it = m_ops.find(id);
    return it == m_ops.end() ? nullptr : it->second.get();
}

std::vector<const OpDef*> OpRegistry::all() const {
    std::vector<const OpDef*> v;
    for (auto& [id, d] : m_ops) v.push_back(d.get());
    std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) {
        return a->category != b->category ? a->category < b->category : a->id < b->id;
    });
    return v;
}

bool OpRegistry::add(std::shared_ptr<const OpDef> def, std::string* err) {
    if (!def || def->id.empty()) { if (err) *err = "op definition has no id"; return false; }
    if (!def->infer && !def->expand) { if (err) *err = "op \"" + def->id + "\" has neither a shape function nor an expansion"; return false; }
    if (m_ops.count(def->id)) {
        if (err) *err = "duplicate op id \"" + def->id + "\"";
        return false;
    }
    m_ops.emplace(def->id, std::move(def));
    return true;
}

namespace {
size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}
}  // namespace

std::string OpRegistry::suggest(std::string_view id) const {
    std::string best;
    size_t bestD = 3;
    for (auto& [name, d] : m_ops) {
        size_t e = editDistance(id, name);
        if (e < bestD) { bestD = e; best = name; }
    }
    return best;
}

}  // namespace archscope
