// ProfileModel: what the profiling views show, read from a profile store
// (engine/store, docs/profile-store.md). The GUI, `archscope render` and the
// tests create one; QML reaches it as the `profile` property of the views.
//
// It owns its own Database connection (opened on the GUI thread; the run
// worker opens another). open() lists the sessions; loadSession() loads one
// session and derives the per-view data: node stats in execution order with
// start offsets (timeline), the overlay of the graph (per top-level node and
// group, rolled up over composite blocks), attention maps (put in the
// HeatmapCache under "s<id>/l<layer>/h<head>"), sparsity and channel
// statistics. loadCompare() adds a second session for the A/B view.
// All values are plain QVariant maps and lists; nothing points into the graph.
#pragma once

#include "store/profile_store.h"

#include <QObject>
#include <QVariant>
#include <memory>
#include <optional>

namespace archscope::ui {

class ProfileModel : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString dbPath READ dbPath NOTIFY dbChanged)
    Q_PROPERTY(QVariantList sessions READ sessions NOTIFY dbChanged)
    Q_PROPERTY(int sessionId READ sessionId NOTIFY sessionChanged)
    Q_PROPERTY(QVariantMap info READ info NOTIFY sessionChanged)
    Q_PROPERTY(QVariantList nodeStats READ nodeStats NOTIFY sessionChanged)
    Q_PROPERTY(QVariantList attentionLayers READ attentionLayers NOTIFY sessionChanged)
    Q_PROPERTY(QVariantList tensors READ tensors NOTIFY sessionChanged)
    // MoE router loads: [{node, top, port, tokens, experts, counts: [..], fractions: [..]}]
    Q_PROPERTY(QVariantList routers READ routers NOTIFY sessionChanged)
    // Vocabulary strings of the session's token input (batch element 0), [] without a vocabulary.
    Q_PROPERTY(QStringList tokenLabels READ tokenLabels NOTIFY sessionChanged)
    // "image://heatmap/" key of the session's input image thumbnail, "" when none.
    Q_PROPERTY(QString inputImageKey READ inputImageKey NOTIFY sessionChanged)
    // True when the session's input was token ids (a language model): no patch grid then.
    Q_PROPERTY(bool tokenInput READ tokenInput NOTIFY sessionChanged)
    Q_PROPERTY(QString overlayMode READ overlayMode WRITE setOverlayMode NOTIFY overlayChanged)
    Q_PROPERTY(QVariantMap overlay READ overlay NOTIFY overlayChanged)
    Q_PROPERTY(QVariantMap legend READ legend NOTIFY overlayChanged)
    Q_PROPERTY(int compareId READ compareId NOTIFY compareChanged)
    Q_PROPERTY(QVariantList compareRows READ compareRows NOTIFY compareChanged)
    Q_PROPERTY(QVariantMap structuralDiff READ structuralDiff NOTIFY compareChanged)
    Q_PROPERTY(QVariantList sweepSeries READ sweepSeries NOTIFY dbChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit ProfileModel(QObject* parent = nullptr);
    ~ProfileModel() override;

    Q_INVOKABLE bool open(const QString& path);  // creates the store when missing
    Q_INVOKABLE bool openIfExists(const QString& path);  // false, quietly, when there is no such file
    Q_INVOKABLE void reload();                   // re-reads the list (after a run)
    Q_INVOKABLE bool loadSession(int id);        // 0 or -1 = newest
    // Opens the store at `storePath` (when it exists) and loads the newest
    // session of THIS design: same content hash as `document`'s graph, else
    // same design file path; none (an empty view) when the store only holds
    // other designs. False, quietly, when there is no store file.
    Q_INVOKABLE bool openForDesign(const QString& storePath, QObject* document);
    Q_INVOKABLE bool loadCompare(int id);        // 0 clears the comparison
    // Sparsity detail of a node ("blk" matches "blk/inner" too): the first
    // f32 output's {node, port, bins: [counts], absmax, zero, nearZero,
    // channelAbsmax: [..], outliers: [..]}; empty when not measured.
    Q_INVOKABLE QVariantMap tensorDetail(const QString& node) const;
    Q_INVOKABLE QString heatmapKey(int layer, int head) const;  // for "image://heatmap/" + key
    Q_INVOKABLE double heatValue(int layer, int head, int row, int col) const;  // -1 outside
    Q_INVOKABLE QVariantMap nodeStat(const QString& node) const;  // rolled-up stats of a top-level node
    Q_INVOKABLE QString designJson() const;
    static QString topNode(const QString& flatId);  // "blk/inner" -> "blk"

    QString dbPath() const { return m_path; }
    QVariantList sessions() const { return m_sessions; }
    int sessionId() const { return m_cur ? int(m_cur->info.id) : 0; }
    QVariantMap info() const;
    QVariantList nodeStats() const { return m_nodeStats; }
    QVariantList attentionLayers() const { return m_layers; }
    QVariantList tensors() const { return m_tensors; }
    QVariantList routers() const { return m_routers; }
    QStringList tokenLabels() const { return m_tokenLabels; }
    QString inputImageKey() const { return m_inputImage; }
    bool tokenInput() const { return m_tokenInput; }
    QString overlayMode() const { return m_mode; }
    void setOverlayMode(const QString& m);
    QVariantMap overlay() const { return m_overlay; }
    QVariantMap legend() const { return m_legend; }
    int compareId() const { return m_cmp ? int(m_cmp->info.id) : 0; }
    QVariantList compareRows() const { return m_compareRows; }
    QVariantMap structuralDiff() const { return m_diff; }
    QVariantList sweepSeries() const { return m_sweeps; }
    QString error() const { return m_error; }
    const SessionRecord* current() const { return m_cur.get(); }

signals:
    void dbChanged();
    void sessionChanged();
    void overlayChanged();
    void compareChanged();
    void errorChanged();

private:
    std::unique_ptr<Database> m_db;
    QString m_path, m_mode = "time", m_error;
    std::unique_ptr<SessionRecord> m_cur, m_cmp;
    // Prefix of this load's heat-map cache keys and image URLs: "s<session>g<load>", unique per
    // load so that another store's session with the same id never shows a cached image.
    QString m_keyPrefix;
    QVariantList m_sessions, m_nodeStats, m_layers, m_tensors, m_compareRows, m_sweeps, m_routers;
    QStringList m_tokenLabels;
    QString m_inputImage;
    bool m_tokenInput = false;
    QVariantMap m_overlay, m_legend, m_diff;

    bool fail(const std::string& msg);
    void buildNodeStats();
    void buildAttention();
    void buildTensors();
    void buildInputs();  // routers, token labels, input image (profile_inputs.cpp)
    void buildOverlay();
    void buildCompare();
    void buildSweeps();
};

}  // namespace archscope::ui
