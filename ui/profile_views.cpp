// ProfileModel: the derived data of the graph overlay, the A/B comparison
// and the sweep plot.
#include "graph/design_io.h"
#include "heatmap.h"
#include "probes/probes.h"
#include "profile_model.h"
#include "profile_util.h"

#include <algorithm>
#include <set>

namespace archscope::ui {

using namespace profile_util;

namespace {

// Value of one rolled-up node under an overlay mode.
double modeValue(const QString& mode, const Rollup& r, double total) {
    if (mode == "share") return total > 0 ? r.ms / total : 0;
    if (mode == "gflops") return r.ms > 0 ? double(r.flops) / r.ms / 1e6 : 0;
    if (mode == "memory") return double(r.bytes);
    return r.ms;
}

QString modeLabel(const QString& mode, double v) {
    if (mode == "share") return QString::number(v * 100, 'f', 1) + " %";
    if (mode == "gflops") return QString::number(v, 'g', 3) + " GFLOP/s";
    if (mode == "memory") return bytesText(v);
    return msText(v);
}

std::optional<Graph> parseSession(const SessionRecord& r) {
    Graph g;
    if (!parseDesign(r.info.designJson, "session " + std::to_string(r.info.id), &g).ok) return std::nullopt;
    return g;
}

QVariantMap entry(double value, const QString& label, QColor color, const QString& badge, double ms) {
    QColor ink(color.isValid() && color.lightnessF() > 0.55 ? "#111317" : "#f2f4f8");  // readable text on `color`
    return {{"value", value}, {"label", label}, {"color", color}, {"ink", ink}, {"badge", badge}, {"ms", ms}};
}

}  // namespace

void ProfileModel::buildOverlay() {
    m_overlay.clear();
    m_legend.clear();
    if (!m_cur) return;
    const auto all = rollup(m_cur->data);
    double total = 0;
    for (auto& [k, r] : all) total += r.ms;
    const bool speed = m_mode == "speedup" && m_cmp;
    const auto other = speed ? rollup(m_cmp->data) : std::map<QString, Rollup>{};
    double vmax = 0;
    for (auto& [k, r] : all) vmax = std::max(vmax, modeValue(m_mode, r, total));
    for (auto& [k, r] : all) {
        QString badge = q(probes::boundVerdict(r.flops, r.bytes, m_cur->data.ceilings));
        if (speed) {
            auto o = other.find(k);
            if (o == other.end()) {
                m_overlay[k] = entry(0, "only in A", QColor("#6e7681"), badge, r.ms);
                continue;
            }
            double ratio = o->second.ms > 0 ? r.ms / o->second.ms : 1;
            m_overlay[k] = entry(ratio, QString("×%1  %2 → %3").arg(ratio, 0, 'f', 2).arg(msText(r.ms), msText(o->second.ms)),
                                 speedColor(ratio), badge, r.ms);
            continue;
        }
        double v = modeValue(m_mode, r, total);
        QString label = modeLabel(m_mode, v);
        if (m_mode != "time") label += "  ·  " + msText(r.ms);
        m_overlay[k] = entry(v, label, QColor(heatColor(vmax > 0 ? v / vmax : 0)), badge, r.ms);
    }
    // Groups: the sum of their members (time, share of total).
    if (auto g = parseSession(*m_cur))
        for (auto& gr : g->groups) {
            double ms = 0;
            for (auto& id : gr.nodes)
                if (auto it = all.find(q(id)); it != all.end()) ms += it->second.ms;
            m_overlay["group:" + q(gr.id)] =
                entry(ms, QString("Σ %1 · %2 %").arg(msText(ms)).arg(total > 0 ? ms / total * 100 : 0, 0, 'f', 1), QColor(), "", ms);
        }
    QVariantList stops;
    if (speed) {
        for (double r : {0.25, 0.5, 1.0, 2.0, 4.0}) stops << QColor(speedColor(r));
        m_legend = {{"title", QString("speed-up of #%1 over #%2").arg(m_cmp->info.id).arg(m_cur->info.id)},
                    {"min", "×0.25 (slower)"}, {"max", "×4 (faster)"}, {"stops", stops}};
        return;
    }
    for (int i = 0; i <= 8; ++i) stops << QColor(heatColor(i / 8.0));
    const QString titles[] = {"time per node", "share of total time", "achieved GFLOP/s", "bytes moved"};
    int ti = m_mode == "share" ? 1 : m_mode == "gflops" ? 2 : m_mode == "memory" ? 3 : 0;
    m_legend = {{"title", titles[ti]}, {"min", modeLabel(m_mode, 0)}, {"max", modeLabel(m_mode, vmax)}, {"stops", stops},
                {"total", msText(total)}};
}

void ProfileModel::buildCompare() {
    m_compareRows.clear();
    m_diff.clear();
    if (!m_cur || !m_cmp) return;
    std::map<std::string, const NodeProfile*> b;
    for (auto& n : m_cmp->data.nodes) b[n.node] = &n;
    std::set<std::string> seen;
    for (auto& n : m_cur->data.nodes) {
        seen.insert(n.node);
        auto it = b.find(n.node);
        double msB = it != b.end() ? it->second->medianMs : 0;
        m_compareRows << QVariantMap{{"node", q(n.node)}, {"top", topNode(q(n.node))}, {"op", q(n.op)}, {"msA", n.medianMs},
                                     {"msB", msB}, {"delta", it != b.end() ? msB - n.medianMs : 0.0},
                                     {"ratio", it != b.end() && msB > 0 ? n.medianMs / msB : 0.0},
                                     {"status", it != b.end() ? "both" : "only A"}};
    }
    for (auto& n : m_cmp->data.nodes)
        if (!seen.count(n.node))
            m_compareRows << QVariantMap{{"node", q(n.node)}, {"top", topNode(q(n.node))}, {"op", q(n.op)}, {"msA", 0.0},
                                         {"msB", n.medianMs}, {"delta", 0.0}, {"ratio", 0.0}, {"status", "only B"}};
    // Structural diff of the two design snapshots.
    QStringList added, removed, changed, sizes;
    auto ga = parseSession(*m_cur), gb = parseSession(*m_cmp);
    if (ga && gb) {
        for (auto& n : gb->nodes())
            if (!ga->node(n.id)) added << q(n.id) + " (" + q(n.op) + ")";
        for (auto& n : ga->nodes()) {
            const Node* o = gb->node(n.id);
            if (!o) { removed << q(n.id) + " (" + q(n.op) + ")"; continue; }
            QStringList what;
            if (o->op != n.op) what << "op " + q(n.op) + " → " + q(o->op);
            std::set<std::string> names;
            for (auto& [k, v] : n.attrs) names.insert(k);
            for (auto& [k, v] : o->attrs) names.insert(k);
            for (auto& k : names) {
                auto x = n.attrs.find(k), y = o->attrs.find(k);
                QString xa = x != n.attrs.end() ? attrText(x->second) : "default", ya = y != o->attrs.end() ? attrText(y->second) : "default";
                if (xa != ya) what << q(k) + " " + xa + " → " + ya;
            }
            if (!what.isEmpty()) changed << q(n.id) + ": " + what.join(", ");
        }
        int edgesA = 0, edgesB = 0;
        for (auto& e : ga->edges()) edgesA += std::find(gb->edges().begin(), gb->edges().end(), e) == gb->edges().end();
        for (auto& e : gb->edges()) edgesB += std::find(ga->edges().begin(), ga->edges().end(), e) == ga->edges().end();
        if (edgesA || edgesB) changed << QString("edges: %1 only in A, %2 only in B").arg(edgesA).arg(edgesB);
    }
    for (auto& [k, v] : m_cmp->info.bindings) {
        auto it = m_cur->info.bindings.find(k);
        if (it == m_cur->info.bindings.end() || it->second != v)
            sizes << q(k) + " " + (it == m_cur->info.bindings.end() ? QString("-") : QString::number(it->second)) + " → " + QString::number(v);
    }
    m_diff = {{"sameDesign", m_cur->info.designHash == m_cmp->info.designHash}, {"added", added}, {"removed", removed},
              {"changed", changed}, {"sizes", sizes}, {"totalA", m_cur->info.totalMs}, {"totalB", m_cmp->info.totalMs},
              {"idA", qint64(m_cur->info.id)}, {"idB", qint64(m_cmp->info.id)},
              {"backendA", q(m_cur->info.backend)}, {"backendB", q(m_cmp->info.backend)}};
}

void ProfileModel::buildSweeps() {
    m_sweeps.clear();
    if (!m_db) return;
    Stmt st(*m_db,
            "SELECT w.id, w.name, s.design_name, s.backend, s.sweep_value, s.total_ms, s.peak_activation_bytes "
            "FROM sessions s JOIN sweeps w ON w.id = s.sweep_id WHERE s.status = 'ok' ORDER BY w.id, s.sweep_value");
    if (!st.ok()) { fail(st.error()); return; }
    std::map<int64_t, QVariantMap> series;
    while (st.step()) {
        QVariantMap& s = series[st.i64(0)];
        if (s.isEmpty())
            s = {{"sweepId", qint64(st.i64(0))}, {"name", q(st.text(1))},
                 {"label", q(st.text(2)) + " · " + q(st.text(3)) + " (" + q(st.text(1)) + ")"}, {"points", QVariantList()}};
        QVariantList pts = s["points"].toList();
        pts << QVariantMap{{"x", double(st.i64(4))}, {"ms", st.f64(5)}, {"mem", st.isNull(6) ? 0.0 : double(st.i64(6))}};
        s["points"] = pts;
    }
    for (auto& [k, s] : series) m_sweeps << s;
}

}  // namespace archscope::ui
