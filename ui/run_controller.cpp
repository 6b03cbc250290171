#include "run_controller.h"

#include "graph/design_io.h"
#include "graph_document.h"
#include "probes/profiler.h"
#include "profile_model.h"
#include "runtime/vulkan/vk_context.h"
#include "store/profile_store.h"
#include "store/sha256.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <filesystem>
#include <functional>

namespace archscope::ui {

namespace {

using Cancel = std::shared_ptr<std::atomic<bool>>;

// Everything one run needs, copied from the UI thread: no pointers into the document.
struct RunJob {
    int runId = 0;
    Graph graph;
    std::string designPath, dbPath;
    AnalyzeOptions analyze;
    BackendOptions backend;
    ProbeOptions options;
    Cancel cancel;
};

// Forwards to the real backend, counting executions for the progress bar and
// refusing the next one once the run is cancelled.
class ProgressBackend : public Backend {
public:
    ProgressBackend(Backend& inner, Cancel cancel, std::function<void()> tick)
        : m_inner(inner), m_cancel(std::move(cancel)), m_tick(std::move(tick)) {}
    std::string name() const override { return m_inner.name(); }
    RunResult run(const RunRequest& r) override {
        if (*m_cancel) {
            RunResult res;
            res.error = "cancelled";
            return res;
        }
        RunResult res = m_inner.run(r);
        m_tick();
        return res;
    }

private:
    Backend& m_inner;
    Cancel m_cancel;
    std::function<void()> m_tick;
};

using Report = std::function<void(double, const QString&)>;

bool ceilingsFor(Backend& backend, const DeviceInfo& dev, const RunJob& job, ProfileStore& store, Ceilings* c, std::string* err) {
    if (!job.options.probes.latency) return true;
    if (auto cached = store.ceilings(dev.name, backend.name(), err)) { *c = *cached; return true; }
    return measureCeilings(backend, c, err) && store.saveCeilings(dev.name, backend.name(), *c, err);
}

// Runs one job on the worker thread; returns the new session id, or 0 with `err`.
int64_t profileJob(const RunJob& job, const Report& report, std::string* err) {
    Database db;
    if (!db.open(job.dbPath, err)) return 0;
    ProfileStore store(db);
    Analysis a = analyze(job.graph, job.analyze);
    if (!a.ok()) { *err = a.errors.front().message; return 0; }
    std::string notice;
    auto backend = makeBackend(job.backend, &notice, err);
    if (!backend) return 0;
    report(0.02, notice.empty() ? QString("measuring device ceilings") : QString::fromStdString(notice));
    DeviceInfo dev = describeDevice(*backend);
    Ceilings c;
    if (!ceilingsFor(*backend, dev, job, store, &c, err)) return 0;
    SessionRecord rec;
    SessionInfo& i = rec.info;
    i.designJson = serializeDesign(job.graph);
    i.designHash = sha256Hex(i.designJson);
    auto name = job.graph.metadata.find("name");
    i.designName = name != job.graph.metadata.end() && !name->second.empty() ? name->second
                                                                            : std::filesystem::path(job.designPath).stem().string();
    i.backend = backend->name();
    i.device = dev.name;
    i.driver = dev.driver;
    i.appVersion = ARCHSCOPE_VERSION;
    i.bindings = a.bindings;
    i.seed = job.graph.weights.seed;
    i.repeat = job.options.repeat;
    i.warmup = job.options.warmup;
    i.probes = job.options.probes.str();
    i.startedAt = isoNowUtc();
    WeightStore weights;
    if (!job.graph.weights.file.empty() &&
        !weights.loadFile((std::filesystem::path(job.designPath).parent_path() / job.graph.weights.file).string(), err))
        return 0;
    if (!weights.materialize(a, i.seed, err)) return 0;
    const bool tensors = job.options.probes.attention || job.options.probes.sparsity || job.options.probes.outliers;
    const int total = job.options.warmup + job.options.repeat + (tensors ? 1 : 0);
    int done = 0;
    ProgressBackend pb(*backend, job.cancel, [&] {
        ++done;
        report(0.05 + 0.9 * std::min(1.0, double(done) / total), QString("run %1 of %2").arg(done).arg(total));
    });
    bool ok = runProfile({&job.graph, &a, &weights, &pb, i.seed, job.options, c}, &rec.data, err);
    if (*job.cancel) { *err = "cancelled"; return 0; }
    i.status = ok ? "ok" : "failed";
    i.error = ok ? "" : *err;
    i.totalMs = rec.data.totalMedianMs;
    i.endedAt = isoNowUtc();
    report(0.97, "saving the session");
    if (!store.writeSession(rec, err)) return 0;
    if (!ok) return 0;
    return rec.info.id;
}

}  // namespace

RunController::RunController(QObject* parent) : QObject(parent) {
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

RunController::~RunController() {
    if (m_cancel) *m_cancel = true;
    m_thread.quit();
    m_thread.wait();
}

QVariantList RunController::devices() const {
    if (m_devices) return *m_devices;
    std::vector<vk::DeviceInfo> list;
    std::string err;
    QVariantList l;
    if (vk::VkContext::listDevices(&list, &err))
        for (auto& d : list) l << QVariantMap{{"index", d.index}, {"name", QString::fromStdString(d.name)}};
    m_devices = l;
    return l;
}

QString RunController::storePathFor(GraphDocument* doc) const {
    if (!m_dbPath.isEmpty()) return m_dbPath;
    if (doc && !doc->filePath().isEmpty()) {
        QFileInfo f(doc->filePath());
        return f.absolutePath() + "/" + f.completeBaseName() + ".profile.db";
    }
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + "/untitled.profile.db";
}

bool RunController::run(GraphDocument* doc, ProfileModel* profile) {
    auto refuse = [&](const QString& why) {
        m_status = why;
        emit progressChanged();
        return false;
    };
    if (m_running) return refuse("a run is already in progress");
    if (!doc) return refuse("no design is open");
    RunJob job;
    job.graph = doc->graph();
    job.designPath = doc->filePath().toStdString();
    m_jobDb = storePathFor(doc);
    job.dbPath = m_jobDb.toStdString();
    for (auto it = m_bindings.begin(); it != m_bindings.end(); ++it) job.analyze.bindings[it.key().toStdString()] = it.value().toLongLong();
    Analysis a = analyze(job.graph, job.analyze);
    if (!a.ok()) return refuse("cannot run: " + QString::fromStdString(a.errors.front().message));
    job.backend.name = m_backend.toStdString();
    job.backend.device = m_device;
    std::string err;
    if (!ProbeSet::parse(m_probes.toStdString(), &job.options.probes, &err)) return refuse(QString::fromStdString(err));
    if (m_repeat < 1 || m_warmup < 0) return refuse("repeat must be at least 1 and warmup at least 0");
    job.options.repeat = m_repeat;
    job.options.warmup = m_warmup;
    job.runId = ++m_runId;
    job.cancel = m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_profile = profile;
    m_running = true;
    m_progress = 0;
    m_status = "starting";
    emit runningChanged();
    emit progressChanged();
    const int id = job.runId;
    QMetaObject::invokeMethod(m_worker, [this, job = std::move(job), id] {
        Report report = [this, id](double f, const QString& text) {
            QMetaObject::invokeMethod(this, [this, id, f, text] { onProgress(id, f, text); }, Qt::QueuedConnection);
        };
        std::string err;
        int64_t session = profileJob(job, report, &err);
        QString e = QString::fromStdString(err);
        QMetaObject::invokeMethod(this, [this, id, session, e] { onDone(id, int(session), e); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    return true;
}

void RunController::cancel() {
    if (!m_running || !m_cancel) return;
    *m_cancel = true;
    m_status = "cancelling";
    emit progressChanged();
    emit cancelRequested();
}

void RunController::onProgress(int runId, double fraction, const QString& text) {
    if (runId != m_runId || !m_running) return;  // stale
    m_progress = fraction;
    if (!*m_cancel) m_status = text;
    emit progressChanged();
}

void RunController::onDone(int runId, int sessionId, const QString& error) {
    if (runId != m_runId) return;  // stale
    m_running = false;
    m_progress = sessionId ? 1 : 0;
    m_status = sessionId ? QString("session %1 saved").arg(sessionId) : error == "cancelled" ? QString("cancelled: nothing saved")
                                                                                              : "run failed: " + error;
    m_lastSession = sessionId;
    if (sessionId && m_profile) {
        if (m_profile->dbPath() != QFileInfo(m_jobDb).absoluteFilePath()) m_profile->open(m_jobDb);
        else m_profile->reload();
        m_profile->loadSession(sessionId);
    }
    emit runningChanged();
    emit progressChanged();
    emit finished(sessionId);
}

}  // namespace archscope::ui
