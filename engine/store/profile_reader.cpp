// ProfileStore: reading sessions, sweeps and ceilings.
#include "store/half.h"
#include "store/profile_store.h"

#include <nlohmann/json.hpp>

namespace archscope {
namespace {

bool fail(Stmt& s, const char* what, std::string* err) {
    *err = std::string("profile store: reading ") + what + ": " + s.error();
    return false;
}

template <class T>
T parseJson(const std::string& text, T def) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return def;
    try { return j.get<T>(); } catch (const nlohmann::json::exception&) { return def; }
}

// Column list shared by listSessions and loadSession; design_json is last.
const char* kSessionColumns =
    "id, design_hash, design_name, backend, device, driver, app_version, bindings, seed, repeat_count, warmup_count, probes,"
    " started_at, ended_at, status, error, node_count, total_ms, ceiling_gflops, ceiling_gbps, peak_activation_bytes,"
    " weights_bytes, kv_cache_bytes, sweep_id, sweep_value, design_path";

SessionInfo readInfo(const Stmt& s, ProfileData* d) {
    SessionInfo i;
    i.id = s.i64(0);
    i.designHash = s.text(1);
    i.designName = s.text(2);
    i.backend = s.text(3);
    i.device = s.text(4);
    i.driver = s.text(5);
    i.appVersion = s.text(6);
    i.bindings = parseJson(s.text(7), std::map<std::string, int64_t>{});
    i.seed = uint64_t(s.i64(8));
    i.repeat = int(s.i64(9));
    i.warmup = int(s.i64(10));
    i.probes = s.text(11);
    i.startedAt = s.text(12);
    i.endedAt = s.text(13);
    i.status = s.text(14);
    i.error = s.text(15);
    i.nodeCount = s.i64(16);
    i.totalMs = s.f64(17);
    i.sweepId = s.isNull(23) ? 0 : s.i64(23);
    i.sweepValue = s.isNull(24) ? 0 : s.i64(24);
    i.designPath = s.text(25);
    if (d) {
        d->totalMedianMs = i.totalMs;
        d->ceilings.gflops = s.f64(18);
        d->ceilings.gbps = s.f64(19);
        d->memory.measured = !s.isNull(20);
        d->memory.peakActivationBytes = s.i64(20);
        d->memory.weightsBytes = s.i64(21);
        d->memory.kvCacheBytes = s.i64(22);
    }
    return i;
}

}  // namespace

bool ProfileStore::listSessions(std::vector<SessionInfo>* out, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    std::string sql = std::string("SELECT ") + kSessionColumns + " FROM sessions ORDER BY id DESC";
    Stmt s(m_db, sql.c_str());
    if (!s.ok()) return fail(s, "sessions", err);
    out->clear();
    while (s.step()) out->push_back(readInfo(s, nullptr));
    return s.stepOk() || fail(s, "sessions", err);
}

int64_t ProfileStore::newestSessionOf(const std::string& designHash, const std::string& designPath, std::string* err) {
    if (!m_db.checkThread(err)) return 0;
    for (int pass = 0; pass < 2; ++pass) {
        const std::string& key = pass == 0 ? designHash : designPath;
        if (key.empty()) continue;
        Stmt s(m_db, pass == 0 ? "SELECT max(id) FROM sessions WHERE design_hash = ?" : "SELECT max(id) FROM sessions WHERE design_path = ?");
        if (!s.ok()) { fail(s, "sessions", err); return 0; }
        s.bind(1, key);
        if (s.step() && !s.isNull(0)) return s.i64(0);
    }
    return 0;
}

bool ProfileStore::loadSession(int64_t id, SessionRecord* out, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    std::string sql = std::string("SELECT ") + kSessionColumns + ", design_json FROM sessions WHERE id = ?";
    Stmt s(m_db, sql.c_str());
    if (!s.ok()) return fail(s, "a session", err);
    s.bind(1, id);
    if (!s.step()) {
        if (!s.stepOk()) return fail(s, "a session", err);
        *err = "no session " + std::to_string(id) + " in " + m_db.path() + " (see `archscope sessions --db " + m_db.path() + "`)";
        return false;
    }
    *out = SessionRecord{};
    out->info = readInfo(s, &out->data);
    out->info.designJson = s.text(26);
    return readNodes(id, &out->data, err) && readAttention(id, &out->data, err) && readTensors(id, &out->data, err) &&
           readRouters(id, &out->data, err) && readInputs(id, &out->data, err);
}

bool ProfileStore::readNodes(int64_t id, ProfileData* d, std::string* err) {
    Stmt s(m_db,
           "SELECT node, op, location, output_shape, flops, bytes, params, median_ms, p95_ms, gflops, gbps, bound"
           " FROM node_stats WHERE session_id = ? ORDER BY idx");
    if (!s.ok()) return fail(s, "node rows", err);
    s.bind(1, id);
    while (s.step()) {
        NodeProfile n;
        n.node = s.text(0);
        n.op = s.text(1);
        n.where = s.text(2);
        n.outputShape = s.text(3);
        n.flops = s.i64(4);
        n.bytes = s.i64(5);
        n.params = s.i64(6);
        n.medianMs = s.f64(7);
        n.p95Ms = s.f64(8);
        n.gflops = s.f64(9);
        n.gbps = s.f64(10);
        n.bound = s.text(11);
        d->nodes.push_back(std::move(n));
    }
    return s.stepOk() || fail(s, "node rows", err);
}

bool ProfileStore::readAttention(int64_t id, ProfileData* d, std::string* err) {
    Stmt s(m_db,
           "SELECT layer, head, node, port, tq, tk, pool, rows, cols, data, entropy_mean, entropy_min"
           " FROM attention_maps WHERE session_id = ? ORDER BY layer, head");
    if (!s.ok()) return fail(s, "attention maps", err);
    s.bind(1, id);
    while (s.step()) {
        AttentionMap m;
        m.layer = int(s.i64(0));
        m.head = int(s.i64(1));
        m.node = s.text(2);
        m.port = s.text(3);
        m.tq = s.i64(4);
        m.tk = s.i64(5);
        m.pool = int(s.i64(6));
        m.rows = s.i64(7);
        m.cols = s.i64(8);
        std::string b = s.blob(9);
        m.data = decodeHalfBlob(b.data(), b.size());
        m.entropyMean = s.f64(10);
        m.entropyMin = s.f64(11);
        d->attention.push_back(std::move(m));
    }
    return s.stepOk() || fail(s, "attention maps", err);
}

bool ProfileStore::readTensors(int64_t id, ProfileData* d, std::string* err) {
    Stmt s(m_db,
           "SELECT node, port, shape, numel, zero_frac, near_zero_frac, eps, absmax, hist, channels, channel_absmax,"
           " channel_kurtosis, outlier_channels FROM tensor_stats WHERE session_id = ? ORDER BY idx");
    if (!s.ok()) return fail(s, "tensor statistics", err);
    s.bind(1, id);
    while (s.step()) {
        TensorStats t;
        t.node = s.text(0);
        t.port = s.text(1);
        t.shape = parseJson(s.text(2), std::vector<int64_t>{});
        t.numel = s.i64(3);
        t.hasSparsity = !s.isNull(4);
        if (t.hasSparsity) {
            t.zeroFrac = s.f64(4);
            t.nearZeroFrac = s.f64(5);
            t.eps = s.f64(6);
            t.absmax = s.f64(7);
            t.histogram = decodeHistogram(s.blob(8));
        }
        t.hasChannels = !s.isNull(9);
        if (t.hasChannels) {
            std::string a = s.blob(10), k = s.blob(11);
            t.channelAbsmax = decodeF32Blob(a.data(), a.size());
            t.channelKurtosis = decodeF32Blob(k.data(), k.size());
            t.outlierChannels = parseJson(s.text(12), std::vector<int64_t>{});
        }
        d->tensors.push_back(std::move(t));
    }
    return s.stepOk() || fail(s, "tensor statistics", err);
}

bool ProfileStore::loadSweep(int64_t id, SweepInfo* out, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    Stmt s(m_db, "SELECT id, name, vals, design_hash, created_at FROM sweeps WHERE id = ?");
    if (!s.ok()) return fail(s, "a sweep", err);
    s.bind(1, id);
    if (!s.step()) {
        *err = s.stepOk() ? "no sweep " + std::to_string(id) : "profile store: reading a sweep: " + s.error();
        return false;
    }
    *out = SweepInfo{s.i64(0), s.text(1), parseJson(s.text(2), std::vector<int64_t>{}), s.text(3), s.text(4), {}};
    Stmt q(m_db, "SELECT id FROM sessions WHERE sweep_id = ? ORDER BY id");
    q.bind(1, id);
    while (q.step()) out->sessions.push_back(q.i64(0));
    return q.stepOk() || fail(q, "sweep sessions", err);
}

std::optional<Ceilings> ProfileStore::ceilings(const std::string& device, const std::string& backend, std::string* err) {
    if (!m_db.checkThread(err)) return std::nullopt;
    Stmt s(m_db, "SELECT gflops, gbps, method FROM device_ceilings WHERE device = ? AND backend = ?");
    if (!s.ok()) { fail(s, "device ceilings", err); return std::nullopt; }
    s.bind(1, device).bind(2, backend);
    if (!s.step()) return std::nullopt;
    return Ceilings{s.f64(0), s.f64(1), s.text(2)};
}

}  // namespace archscope
