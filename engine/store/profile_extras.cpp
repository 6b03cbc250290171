// ProfileStore: MoE router loads and input samples (schema version 2,
// tables router_loads and session_inputs of docs/profile-store.md).
#include "store/profile_store.h"

#include <nlohmann/json.hpp>

namespace archscope {
namespace {

bool fail(Stmt& s, const char* what, std::string* err) {
    *err = std::string("profile store: ") + what + ": " + s.error();
    return false;
}

template <class T>
T parseJson(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return T{};
    try { return j.get<T>(); } catch (const nlohmann::json::exception&) { return T{}; }
}

}  // namespace

bool ProfileStore::writeRouters(int64_t id, const ProfileData& d, std::string* err) {
    Stmt s(m_db, "INSERT INTO router_loads (session_id, idx, node, port, experts, tokens, counts, fractions) VALUES (?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "writing router loads", err);
    for (size_t k = 0; k < d.routers.size(); ++k) {
        const RouterLoad& r = d.routers[k];
        s.reset();
        s.bind(1, id).bind(2, int64_t(k)).bind(3, r.node).bind(4, r.port).bind(5, int64_t(r.counts.size())).bind(6, r.tokens);
        s.bind(7, nlohmann::json(r.counts).dump()).bind(8, nlohmann::json(r.fractions).dump());
        s.step();
        if (!s.stepOk()) return fail(s, "writing router loads", err);
    }
    return true;
}

bool ProfileStore::writeInputs(int64_t id, const ProfileData& d, std::string* err) {
    Stmt s(m_db, "INSERT INTO session_inputs (session_id, node, kind, tokens, labels, width, height, rgb) VALUES (?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "writing input samples", err);
    for (auto& in : d.inputs) {
        s.reset();
        s.bind(1, id).bind(2, in.node).bind(3, in.kind);
        if (in.kind == "tokens") {
            s.bind(4, nlohmann::json(in.tokens).dump());
            if (!in.labels.empty()) s.bind(5, nlohmann::json(in.labels).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            else s.bindNull(5);
            s.bindNull(6).bindNull(7).bindNull(8);
        } else {
            s.bindNull(4).bindNull(5).bind(6, int64_t(in.width)).bind(7, int64_t(in.height));
            s.bindBlob(8, std::string(in.rgb.begin(), in.rgb.end()));
        }
        s.step();
        if (!s.stepOk()) return fail(s, "writing input samples", err);
    }
    return true;
}

bool ProfileStore::readRouters(int64_t id, ProfileData* d, std::string* err) {
    Stmt s(m_db, "SELECT node, port, tokens, counts, fractions FROM router_loads WHERE session_id = ? ORDER BY idx");
    if (!s.ok()) return fail(s, "reading router loads", err);
    s.bind(1, id);
    while (s.step())
        d->routers.push_back({s.text(0), s.text(1), s.i64(2), parseJson<std::vector<int64_t>>(s.text(3)),
                              parseJson<std::vector<double>>(s.text(4))});
    return s.stepOk() || fail(s, "reading router loads", err);
}

bool ProfileStore::readInputs(int64_t id, ProfileData* d, std::string* err) {
    Stmt s(m_db, "SELECT node, kind, tokens, labels, width, height, rgb FROM session_inputs WHERE session_id = ? ORDER BY node");
    if (!s.ok()) return fail(s, "reading input samples", err);
    s.bind(1, id);
    while (s.step()) {
        InputSample in;
        in.node = s.text(0);
        in.kind = s.text(1);
        if (in.kind == "tokens") {
            in.tokens = parseJson<std::vector<int64_t>>(s.text(2));
            if (!s.isNull(3)) in.labels = parseJson<std::vector<std::string>>(s.text(3));
        } else {
            in.width = int(s.i64(4));
            in.height = int(s.i64(5));
            std::string b = s.blob(6);
            in.rgb.assign(b.begin(), b.end());
            if (in.rgb.size() != size_t(in.width) * size_t(in.height) * 3) in = InputSample{in.node, in.kind};  // damaged: drop the picture
        }
        d->inputs.push_back(std::move(in));
    }
    return s.stepOk() || fail(s, "reading input samples", err);
}

}  // namespace archscope
