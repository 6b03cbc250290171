// ProfileModel: loading sessions and deriving the per-view data.
#include "profile_model.h"
#include "profile_util.h"

#include "graph/design_io.h"
#include "heatmap.h"
#include "probes/probes.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>

namespace archscope::ui {

using namespace profile_util;

ProfileModel::ProfileModel(QObject* parent) : QObject(parent) {}
ProfileModel::~ProfileModel() = default;

QString ProfileModel::topNode(const QString& flatId) { return flatId.section('/', 0, 0); }

bool ProfileModel::fail(const std::string& msg) {
    m_error = q(msg);
    emit errorChanged();
    return false;
}

bool ProfileModel::open(const QString& path) {
    auto db = std::make_unique<Database>();
    std::string err;
    if (!db->open(path.toStdString(), &err)) return fail(err);
    m_db = std::move(db);
    m_path = path == ":memory:" ? path : QFileInfo(path).absoluteFilePath();
    m_cur.reset();
    m_cmp.reset();
    reload();
    emit sessionChanged();
    emit compareChanged();
    return true;
}

bool ProfileModel::openIfExists(const QString& path) {
    if (!QFileInfo::exists(path)) return false;
    return open(path) && (m_sessions.isEmpty() || loadSession(0));
}

void ProfileModel::reload() {
    m_sessions.clear();
    if (!m_db) return;
    std::vector<SessionInfo> all;
    std::string err;
    if (!ProfileStore(*m_db).listSessions(&all, &err)) { fail(err); return; }
    for (auto& s : all)
        m_sessions << QVariantMap{{"id", qint64(s.id)}, {"design", q(s.designName)}, {"backend", q(s.backend)},
                                  {"device", q(s.device)}, {"date", q(s.startedAt).left(16).replace('T', ' ')},
                                  {"totalMs", s.totalMs}, {"bindings", bindingsText(s.bindings)}, {"status", q(s.status)},
                                  {"sweepId", qint64(s.sweepId)}, {"sweepValue", qint64(s.sweepValue)}, {"probes", q(s.probes)}};
    buildSweeps();
    emit dbChanged();
}

bool ProfileModel::loadSession(int id) {
    if (!m_db) return fail("no profile store is open");
    if (id <= 0) {
        if (m_sessions.isEmpty()) return fail("the store " + m_path.toStdString() + " has no sessions yet: run a profile first");
        id = m_sessions.first().toMap()["id"].toInt();
    }
    auto rec = std::make_unique<SessionRecord>();
    std::string err;
    if (!ProfileStore(*m_db).loadSession(id, rec.get(), &err)) return fail(err);
    if (m_cur) HeatmapCache::global().clearPrefix(m_keyPrefix + "/");
    static int loads = 0;
    m_keyPrefix = QString("s%1g%2").arg(id).arg(++loads);
    m_cur = std::move(rec);
    buildNodeStats();
    buildAttention();
    buildTensors();
    buildInputs();
    buildCompare();
    buildOverlay();
    emit sessionChanged();
    emit compareChanged();
    emit overlayChanged();
    return true;
}

bool ProfileModel::loadCompare(int id) {
    if (id <= 0) {
        m_cmp.reset();
    } else {
        if (!m_db) return fail("no profile store is open");
        auto rec = std::make_unique<SessionRecord>();
        std::string err;
        if (!ProfileStore(*m_db).loadSession(id, rec.get(), &err)) return fail(err);
        m_cmp = std::move(rec);
    }
    buildCompare();
    buildOverlay();
    emit compareChanged();
    emit overlayChanged();
    return true;
}

QVariantMap ProfileModel::info() const {
    if (!m_cur) return {};
    const SessionInfo& s = m_cur->info;
    const MemoryStats& m = m_cur->data.memory;
    double flops = 0, params = 0;
    for (auto& n : m_cur->data.nodes) { flops += double(n.flops); params += double(n.params); }
    return {{"flops", flops}, {"params", params}, {"id", qint64(s.id)}, {"design", q(s.designName)}, {"backend", q(s.backend)}, {"device", q(s.device)},
            {"date", q(s.startedAt).left(19).replace('T', ' ')}, {"totalMs", s.totalMs}, {"bindings", bindingsText(s.bindings)},
            {"repeat", s.repeat}, {"probes", q(s.probes)}, {"status", q(s.status)}, {"error", q(s.error)},
            {"peakActivation", m.measured ? bytesText(double(m.peakActivationBytes)) : QString()},
            {"weights", m.measured ? bytesText(double(m.weightsBytes)) : QString()},
            {"ceilingGflops", m_cur->data.ceilings.gflops}, {"ceilingGbps", m_cur->data.ceilings.gbps}};
}

QString ProfileModel::designJson() const { return m_cur ? q(m_cur->info.designJson) : QString(); }

void ProfileModel::buildNodeStats() {
    m_nodeStats.clear();
    double total = 0, start = 0;
    for (auto& n : m_cur->data.nodes) total += n.medianMs;
    for (auto& n : m_cur->data.nodes) {
        QString id = q(n.node);
        m_nodeStats << QVariantMap{{"node", id}, {"top", topNode(id)}, {"op", q(n.op)}, {"where", q(n.where)},
                                   {"shape", q(n.outputShape)}, {"ms", n.medianMs}, {"p95", n.p95Ms},
                                   {"share", total > 0 ? n.medianMs / total : 0.0}, {"start", start},
                                   {"gflops", n.gflops}, {"gbps", n.gbps}, {"flops", double(n.flops)},
                                   {"bytes", double(n.bytes)}, {"bound", q(n.bound)}};
        start += n.medianMs;
    }
}

QVariantMap ProfileModel::nodeStat(const QString& node) const {
    if (!m_cur) return {};
    auto all = rollup(m_cur->data);
    auto it = all.find(node);
    if (it == all.end()) return {};
    double total = 0;
    for (auto& [k, r] : all) total += r.ms;
    const Rollup& r = it->second;
    return {{"node", node}, {"op", r.op}, {"ms", r.ms}, {"share", total > 0 ? r.ms / total : 0.0}, {"flops", double(r.flops)},
            {"bytes", double(r.bytes)}, {"gflops", r.ms > 0 ? double(r.flops) / r.ms / 1e6 : 0.0}, {"count", r.count},
            {"bound", q(probes::boundVerdict(r.flops, r.bytes, m_cur->data.ceilings))}};
}

void ProfileModel::buildAttention() {
    m_layers.clear();
    std::map<int, QVariantMap> layers;
    for (auto& a : m_cur->data.attention) {
        QVariantMap& l = layers[a.layer];
        if (l.isEmpty())
            l = {{"layer", a.layer}, {"node", q(a.node)}, {"top", topNode(q(a.node))}, {"port", q(a.port)}, {"tq", qint64(a.tq)},
                 {"tk", qint64(a.tk)}, {"pool", a.pool}, {"rows", qint64(a.rows)}, {"cols", qint64(a.cols)}, {"heads", QVariantList()}};
        auto map = std::make_shared<HeatmapData>();
        map->rows = a.rows;
        map->cols = a.cols;
        map->values = a.data;
        map->vmax = a.data.empty() ? 0.f : *std::max_element(a.data.begin(), a.data.end());
        QString key = QString("%1/l%2/h%3").arg(m_keyPrefix).arg(a.layer).arg(a.head);
        HeatmapCache::global().put(key, map);
        QVariantList heads = l["heads"].toList();
        heads << QVariantMap{{"head", a.head}, {"key", key}, {"entropyMean", a.entropyMean}, {"entropyMin", a.entropyMin},
                             {"vmax", double(map->vmax)}, {"maxEntropy", std::log(double(std::max<int64_t>(a.tk, 1)))}};
        l["heads"] = heads;
    }
    for (auto& [k, l] : layers) m_layers << l;
}

QString ProfileModel::heatmapKey(int layer, int head) const {
    return m_cur ? QString("%1/l%2/h%3").arg(m_keyPrefix).arg(layer).arg(head) : QString();
}

double ProfileModel::heatValue(int layer, int head, int row, int col) const {
    if (!m_cur) return -1;
    for (auto& a : m_cur->data.attention)
        if (a.layer == layer && a.head == head) {
            if (row < 0 || col < 0 || row >= a.rows || col >= a.cols) return -1;
            return a.data[size_t(row * a.cols + col)];
        }
    return -1;
}

void ProfileModel::buildTensors() {
    m_tensors.clear();
    for (auto& t : m_cur->data.tensors) {
        QStringList dims;
        for (auto d : t.shape) dims << QString::number(d);
        m_tensors << QVariantMap{{"node", q(t.node)}, {"top", topNode(q(t.node))}, {"port", q(t.port)},
                                 {"shape", "[" + dims.join(", ") + "]"}, {"numel", qint64(t.numel)},
                                 {"hasSparsity", t.hasSparsity}, {"zero", t.zeroFrac}, {"nearZero", t.nearZeroFrac},
                                 {"eps", t.eps}, {"absmax", t.absmax}, {"hasChannels", t.hasChannels},
                                 {"outliers", int(t.outlierChannels.size())}};
    }
}

QVariantMap ProfileModel::tensorDetail(const QString& node) const {
    if (!m_cur) return {};
    for (auto& t : m_cur->data.tensors) {
        QString id = q(t.node);
        if (id != node && topNode(id) != node) continue;
        QVariantList bins, channels, outliers;
        for (auto c : t.histogram) bins << double(c);
        for (auto c : t.channelAbsmax) channels << double(c);
        for (auto c : t.outlierChannels) outliers << qint64(c);
        return {{"node", id}, {"port", q(t.port)}, {"bins", bins}, {"absmax", t.absmax}, {"zero", t.zeroFrac},
                {"nearZero", t.nearZeroFrac}, {"eps", t.eps}, {"hasSparsity", t.hasSparsity}, {"channelAbsmax", channels},
                {"outliers", outliers}, {"hasChannels", t.hasChannels}};
    }
    return {};
}

void ProfileModel::setOverlayMode(const QString& m) {
    if (m == m_mode) return;
    m_mode = m;
    if (m_cur) buildOverlay();
    emit overlayChanged();
}

}  // namespace archscope::ui
