// RunController: the Run panel's model. Profiles the open design on a worker
// QThread and saves the session to the project's profile store.
//
// run() takes an immutable snapshot of the document's graph (a copy) and the
// panel's settings, gives it a run id and queues it to the worker; the UI
// thread never waits. The worker opens its own Database connection (one per
// thread), wraps the backend to report progress after each graph execution
// and to stop at the next one when cancel() is called; a cancelled run
// writes nothing. Results of a stale run id are dropped. On success the
// ProfileModel (if given) reloads and shows the new session. A sweep writes
// one session per value (linked by one sweep row); cancelling it keeps the
// sessions already written, like a killed `archscope profile --sweep`.
#pragma once

#include <QObject>
#include <QThread>
#include <QVariant>
#include <atomic>
#include <memory>
#include <optional>

namespace archscope::ui {

class GraphDocument;
class ProfileModel;

class RunController : public QObject {
    Q_OBJECT
    Q_PROPERTY(QStringList backends READ backends CONSTANT)
    Q_PROPERTY(QVariantList devices READ devices CONSTANT)  // [{index, name}] Vulkan devices
    Q_PROPERTY(QString backend MEMBER m_backend NOTIFY settingsChanged)
    Q_PROPERTY(int device MEMBER m_device NOTIFY settingsChanged)        // -1 = best
    Q_PROPERTY(int repeat MEMBER m_repeat NOTIFY settingsChanged)
    Q_PROPERTY(int warmup MEMBER m_warmup NOTIFY settingsChanged)
    Q_PROPERTY(QString probes MEMBER m_probes NOTIFY settingsChanged)    // "all", "none", "latency,attention"
    Q_PROPERTY(QVariantMap bindings MEMBER m_bindings NOTIFY settingsChanged)  // size overrides {"T": 64}
    Q_PROPERTY(QString dbPath MEMBER m_dbPath NOTIFY settingsChanged)   // "" = beside the design file
    // Sweep: "" = one session; a size ("T") or NODE.ATTR, over sweepValues ("128,256,512").
    Q_PROPERTY(QString sweepName MEMBER m_sweepName NOTIFY settingsChanged)
    Q_PROPERTY(QString sweepValues MEMBER m_sweepValues NOTIFY settingsChanged)
    // Token strings for token-id inputs: a file or "bytes"; "" = the design's metadata "vocabulary".
    Q_PROPERTY(QString vocabPath MEMBER m_vocabPath NOTIFY settingsChanged)
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)    // 0..1
    Q_PROPERTY(QString status READ status NOTIFY progressChanged)
    Q_PROPERTY(int lastSession READ lastSession NOTIFY finished)

public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Starts a run of `doc` (false with `status` saying why when the design or
    // settings are bad or a run is in progress). Results go to `profile`.
    Q_INVOKABLE bool run(GraphDocument* doc, ProfileModel* profile);
    Q_INVOKABLE void cancel();
    Q_INVOKABLE QString storePathFor(GraphDocument* doc) const;  // the DB a run of doc writes

    QStringList backends() const { return {"cpu", "vulkan"}; }
    QVariantList devices() const;
    bool running() const { return m_running; }
    double progress() const { return m_progress; }
    QString status() const { return m_status; }
    int lastSession() const { return m_lastSession; }

signals:
    void settingsChanged();
    void runningChanged();
    void progressChanged();
    void finished(int sessionId);  // 0 when cancelled or failed
    void cancelRequested();

private:
    QString m_backend = "cpu", m_probes = "all", m_dbPath, m_status, m_jobDb, m_sweepName, m_sweepValues, m_vocabPath;
    int m_device = -1, m_repeat = 10, m_warmup = 2, m_runId = 0, m_lastSession = 0, m_jobSweep = 0;
    QVariantMap m_bindings;
    mutable std::optional<QVariantList> m_devices;  // listed once, on first use
    bool m_running = false;
    double m_progress = 0;
    QThread m_thread;
    QObject* m_worker = nullptr;  // lives in m_thread
    std::shared_ptr<std::atomic<bool>> m_cancel;
    ProfileModel* m_profile = nullptr;

    void onProgress(int runId, double fraction, const QString& text);
    void onDone(int runId, int sessionId, const QString& error);
};

}  // namespace archscope::ui
