#include "run_controller.h"

#include "graph/design_io.h"
#include "graph_document.h"
#include "probes/inputs.h"
#include "probes/profiler.h"
#include "probes/sweep.h"
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
    SweepTarget sweep;
    std::vector<int64_t> sweepValues;  // empty: one session
    std::vector<std::string> vocab;
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

// One session of `g` under `opts`; returns its id (0 with `err` when it could not be written).
int64_t profileOne(const RunJob& job, const Graph& g, const AnalyzeOptions& opts, Backend& pb, const DeviceInfo& dev,
                   const Ceilings& c, ProfileStore& store, int64_t sweepId, int64_t sweepValue, std::string* err) {
    Analysis a = analyze(g, opts);
    if (!a.ok()) { *err = a.errors.front().message; return 0; }
    SessionRecord rec;
    SessionInfo& i = rec.info;
    i.designJson = serializeDesign(g);
    i.designHash = sha256Hex(i.designJson);
    auto name = g.metadata.find("name");
    i.designName = name != g.metadata.end() && !name->second.empty() ? name->second : std::filesystem::path(job.designPath).stem().string();
    i.designPath = job.designPath;
    i.backend = pb.name();
    i.device = dev.name;
    i.driver = dev.driver;
    i.appVersion = ARCHSCOPE_VERSION;
    i.bindings = a.bindings;
    i.seed = g.weights.seed;
    i.repeat = job.options.repeat;
    i.warmup = job.options.warmup;
    i.probes = job.options.probes.str();
    i.startedAt = isoNowUtc();
    i.sweepId = sweepId;
    i.sweepValue = sweepValue;
    WeightStore weights;
    if (!g.weights.file.empty() && !weights.loadFile((std::filesystem::path(job.designPath).parent_path() / g.weights.file).string(), err))
        return 0;
    if (!weights.materialize(a, i.seed, err)) return 0;
    bool ok = runProfile({&g, &a, &weights, &pb, i.seed, job.options, c, {}, job.vocab}, &rec.data, err);
    if (*job.cancel) { *err = "cancelled"; return 0; }
    i.status = ok ? "ok" : "failed";
    i.error = ok ? "" : *err;
    i.totalMs = rec.data.totalMedianMs;
    i.endedAt = isoNowUtc();
    if (!store.writeSession(rec, err)) return 0;
    return ok ? rec.info.id : 0;
}

// Runs one job on the worker thread: one session, or one per sweep value.
// Returns the last session id, or 0 with `err`.
int64_t profileJob(const RunJob& job, const Report& report, std::string* err) {
    Database db;
    if (!db.open(job.dbPath, err)) return 0;
    ProfileStore store(db);
    std::string notice;
    auto backend = makeBackend(job.backend, &notice, err);
    if (!backend) return 0;
    report(0.02, notice.empty() ? QString("measuring device ceilings") : QString::fromStdString(notice));
    DeviceInfo dev = describeDevice(*backend);
    Ceilings c;
    if (!ceilingsFor(*backend, dev, job, store, &c, err)) return 0;
    const bool tensors = job.options.probes.attention || job.options.probes.sparsity || job.options.probes.outliers;
    const size_t sessions = std::max<size_t>(1, job.sweepValues.size());
    const int total = int(sessions) * (job.options.warmup + job.options.repeat + (tensors ? 1 : 0));
    int done = 0;
    ProgressBackend pb(*backend, job.cancel, [&] {
        ++done;
        report(0.05 + 0.9 * std::min(1.0, double(done) / total), QString("run %1 of %2").arg(done).arg(total));
    });
    SweepInfo sweep{0, job.sweep.name, job.sweepValues, sha256Hex(serializeDesign(job.graph)), "", {}};
    if (!job.sweepValues.empty() && !store.createSweep(sweep, err)) return 0;
    int64_t last = 0;
    for (size_t k = 0; k < sessions; ++k) {
        Graph g = job.graph;
        AnalyzeOptions opts = job.analyze;
        const int64_t value = job.sweepValues.empty() ? 0 : job.sweepValues[k];
        if (!job.sweepValues.empty()) applySweepValue(job.sweep, value, &g, &opts);
        last = profileOne(job, g, opts, pb, dev, c, store, sweep.id, value, err);
        if (!last) {
            if (!job.sweepValues.empty() && *err != "cancelled") *err = job.sweep.name + "=" + std::to_string(value) + ": " + *err;
            return 0;
        }
    }
    report(0.97, "saved");
    return last;
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
    job.designPath = doc->filePath().isEmpty() ? std::string() : QFileInfo(doc->filePath()).absoluteFilePath().toStdString();
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
    if (!m_sweepName.trimmed().isEmpty()) {
        if (!parseSweepTarget(job.graph, m_sweepName.trimmed().toStdString(), &job.sweep, &err)) return refuse(QString::fromStdString(err));
        for (const QString& v : m_sweepValues.split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const qlonglong x = v.trimmed().toLongLong(&ok);
            if (!ok || x < 1) return refuse("sweep " + m_sweepName + ": \"" + v.trimmed() + "\" is not a positive integer");
            job.sweepValues.push_back(x);
        }
        if (job.sweepValues.empty()) return refuse("sweep " + m_sweepName + ": give the values, e.g. 128,256,512");
        for (int64_t v : job.sweepValues) {  // every value must make a valid design before anything runs
            Graph g = job.graph;
            AnalyzeOptions o = job.analyze;
            applySweepValue(job.sweep, v, &g, &o);
            Analysis av = analyze(g, o);
            if (!av.ok()) return refuse(m_sweepName + "=" + QString::number(v) + ": " + QString::fromStdString(av.errors.front().message));
        }
    }
    std::string vocab = m_vocabPath.trimmed().toStdString();
    if (vocab.empty()) {
        auto it = job.graph.metadata.find("vocabulary");
        if (it != job.graph.metadata.end() && !it->second.empty())
            vocab = it->second == "bytes" || job.designPath.empty() ? it->second
                                                                      : (std::filesystem::path(job.designPath).parent_path() / it->second).string();
    }
    if (!vocab.empty() && !probes::loadVocabulary(vocab, &job.vocab, &err)) return refuse(QString::fromStdString(err));
    m_jobSweep = int(job.sweepValues.size());
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
    if (sessionId) m_status = m_jobSweep ? QString("sweep saved, %1 sessions (last #%2)").arg(m_jobSweep).arg(sessionId) : QString("session %1 saved").arg(sessionId);
    else if (error == "cancelled") m_status = m_jobSweep ? "cancelled: the sweep keeps its finished sessions" : "cancelled: nothing saved";
    else m_status = "run failed: " + error;
    m_lastSession = sessionId;
    if (!sessionId && m_jobSweep && m_profile && m_profile->dbPath() == QFileInfo(m_jobDb).absoluteFilePath()) m_profile->reload();
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
