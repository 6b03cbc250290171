// ProfileStore: writing sessions, sweeps and ceilings.
#include "store/half.h"
#include "store/profile_store.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace archscope {

std::string encodeHistogram(const std::vector<int64_t>& counts) {
    std::vector<float> logs(counts.size());
    for (size_t i = 0; i < counts.size(); ++i) logs[i] = float(std::log1p(double(counts[i])));
    return encodeHalfBlob(logs.data(), logs.size());
}

std::vector<int64_t> decodeHistogram(const std::string& blob) {
    std::vector<float> logs = decodeHalfBlob(blob.data(), blob.size());
    std::vector<int64_t> counts(logs.size());
    for (size_t i = 0; i < logs.size(); ++i) counts[i] = int64_t(std::llround(std::expm1(double(logs[i]))));
    return counts;
}

namespace {

std::string jsonText(const nlohmann::json& j) { return j.dump(); }

bool fail(Stmt& s, const char* what, std::string* err) {
    *err = std::string("profile store: writing ") + what + ": " + s.error();
    return false;
}

}  // namespace

bool ProfileStore::writeSession(SessionRecord& rec, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    Transaction t(m_db);
    if (!t.ok()) { *err = "profile store: cannot start a transaction: " + t.error(); return false; }
    const SessionInfo& i = rec.info;
    const ProfileData& d = rec.data;
    Stmt s(m_db,
           "INSERT INTO sessions (design_hash, design_name, design_json, backend, device, driver, app_version, bindings, seed,"
           " repeat_count, warmup_count, probes, started_at, ended_at, status, error, node_count, total_ms, ceiling_gflops,"
           " ceiling_gbps, peak_activation_bytes, weights_bytes, kv_cache_bytes, sweep_id, sweep_value, design_path)"
           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "a session", err);
    s.bind(1, i.designHash).bind(2, i.designName).bind(3, i.designJson).bind(4, i.backend).bind(5, i.device).bind(6, i.driver);
    s.bind(7, i.appVersion).bind(8, jsonText(nlohmann::json(i.bindings))).bind(9, int64_t(i.seed)).bind(10, int64_t(i.repeat));
    s.bind(11, int64_t(i.warmup)).bind(12, i.probes).bind(13, i.startedAt).bind(14, i.endedAt).bind(15, i.status).bind(16, i.error);
    s.bind(17, int64_t(d.nodes.size())).bind(18, d.totalMedianMs).bind(19, d.ceilings.gflops).bind(20, d.ceilings.gbps);
    if (d.memory.measured)
        s.bind(21, d.memory.peakActivationBytes).bind(22, d.memory.weightsBytes).bind(23, d.memory.kvCacheBytes);
    else
        s.bindNull(21).bindNull(22).bindNull(23);
    if (i.sweepId > 0) s.bind(24, i.sweepId).bind(25, i.sweepValue);
    else s.bindNull(24).bindNull(25);
    s.bind(26, i.designPath);
    s.step();
    if (!s.stepOk()) return fail(s, "a session", err);
    int64_t id = m_db.lastInsertId();
    if (!writeNodes(id, d, err) || !writeAttention(id, d, err) || !writeTensors(id, d, err) || !writeRouters(id, d, err) ||
        !writeInputs(id, d, err))
        return false;
    if (!t.commit()) { *err = "profile store: commit failed: " + t.error(); return false; }
    rec.info.id = id;
    rec.info.nodeCount = int64_t(d.nodes.size());
    return true;
}

bool ProfileStore::writeNodes(int64_t id, const ProfileData& d, std::string* err) {
    Stmt s(m_db,
           "INSERT INTO node_stats (session_id, idx, node, op, location, output_shape, flops, bytes, params, median_ms, p95_ms,"
           " gflops, gbps, bound) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "node rows", err);
    for (size_t k = 0; k < d.nodes.size(); ++k) {
        const NodeProfile& n = d.nodes[k];
        s.reset();
        s.bind(1, id).bind(2, int64_t(k)).bind(3, n.node).bind(4, n.op).bind(5, n.where).bind(6, n.outputShape).bind(7, n.flops);
        s.bind(8, n.bytes).bind(9, n.params).bind(10, n.medianMs).bind(11, n.p95Ms).bind(12, n.gflops).bind(13, n.gbps).bind(14, n.bound);
        s.step();
        if (!s.stepOk()) return fail(s, "node rows", err);
    }
    return true;
}

bool ProfileStore::writeAttention(int64_t id, const ProfileData& d, std::string* err) {
    Stmt s(m_db,
           "INSERT INTO attention_maps (session_id, layer, head, node, port, tq, tk, pool, rows, cols, data, entropy_mean,"
           " entropy_min) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "attention maps", err);
    for (auto& m : d.attention) {
        s.reset();
        s.bind(1, id).bind(2, int64_t(m.layer)).bind(3, int64_t(m.head)).bind(4, m.node).bind(5, m.port).bind(6, m.tq).bind(7, m.tk);
        s.bind(8, int64_t(m.pool)).bind(9, m.rows).bind(10, m.cols).bindBlob(11, encodeHalfBlob(m.data.data(), m.data.size()));
        s.bind(12, m.entropyMean).bind(13, m.entropyMin);
        s.step();
        if (!s.stepOk()) return fail(s, "attention maps", err);
    }
    return true;
}

bool ProfileStore::writeTensors(int64_t id, const ProfileData& d, std::string* err) {
    Stmt s(m_db,
           "INSERT INTO tensor_stats (session_id, idx, node, port, shape, numel, zero_frac, near_zero_frac, eps, absmax, hist, channels,"
           " channel_absmax, channel_kurtosis, outlier_channels) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "tensor statistics", err);
    for (size_t k = 0; k < d.tensors.size(); ++k) {
        const TensorStats& t = d.tensors[k];
        s.reset();
        s.bind(1, id).bind(2, int64_t(k)).bind(3, t.node).bind(4, t.port).bind(5, jsonText(nlohmann::json(t.shape))).bind(6, t.numel);
        if (t.hasSparsity)
            s.bind(7, t.zeroFrac).bind(8, t.nearZeroFrac).bind(9, t.eps).bind(10, t.absmax).bindBlob(11, encodeHistogram(t.histogram));
        if (t.hasChannels) {
            s.bind(12, int64_t(t.channelAbsmax.size())).bindBlob(13, encodeF32Blob(t.channelAbsmax.data(), t.channelAbsmax.size()));
            s.bindBlob(14, encodeF32Blob(t.channelKurtosis.data(), t.channelKurtosis.size()));
            s.bind(15, jsonText(nlohmann::json(t.outlierChannels)));
        }
        s.step();
        if (!s.stepOk()) return fail(s, "tensor statistics", err);
    }
    return true;
}

bool ProfileStore::createSweep(SweepInfo& sw, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    sw.createdAt = isoNowUtc();
    Stmt s(m_db, "INSERT INTO sweeps (name, vals, design_hash, created_at) VALUES (?,?,?,?)");
    if (!s.ok()) return fail(s, "a sweep", err);
    s.bind(1, sw.name).bind(2, jsonText(nlohmann::json(sw.values))).bind(3, sw.designHash).bind(4, sw.createdAt);
    s.step();
    if (!s.stepOk()) return fail(s, "a sweep", err);
    sw.id = m_db.lastInsertId();
    return true;
}

bool ProfileStore::saveCeilings(const std::string& device, const std::string& backend, const Ceilings& c, std::string* err) {
    if (!m_db.checkThread(err)) return false;
    Stmt s(m_db, "INSERT OR REPLACE INTO device_ceilings (device, backend, gflops, gbps, method, measured_at) VALUES (?,?,?,?,?,?)");
    if (!s.ok()) return fail(s, "device ceilings", err);
    s.bind(1, device).bind(2, backend).bind(3, c.gflops).bind(4, c.gbps).bind(5, c.method).bind(6, isoNowUtc());
    s.step();
    return s.stepOk() || fail(s, "device ceilings", err);
}

}  // namespace archscope
