// Profile store: session round trip, listing, sweeps, ceilings cache,
// one-transaction writes and one connection per thread.
#include "store/profile_store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace archscope;

namespace {

SessionRecord sampleSession(int seed) {
    SessionRecord r;
    SessionInfo& i = r.info;
    i.designHash = "abc123";
    i.designName = "Residual MLP";
    i.designJson = R"({"format":"archscope.design","version":1})";
    i.backend = "cpu";
    i.device = "Test CPU";
    i.driver = "Linux 6.1";
    i.appVersion = "0.1.0";
    i.bindings = {{"B", 2}, {"T", 16 + seed}};
    i.seed = uint64_t(seed);
    i.repeat = 10;
    i.warmup = 2;
    i.probes = "latency,attention,sparsity,outliers,memory";
    i.startedAt = "2026-11-22T07:53:52.123Z";
    i.endedAt = "2026-11-22T07:53:53.456Z";
    i.totalMs = 1.25 + seed;
    ProfileData& d = r.data;
    d.totalMedianMs = i.totalMs;
    d.ceilings = {88.5, 12.25, ""};
    for (int k = 0; k < 5; ++k)
        d.nodes.push_back({"n" + std::to_string(k), k % 2 ? "relu" : "linear", "cpu", "[2, 16, 64]", 1000 * k, 200 * k, 10 * k,
                           0.1 * k + seed, 0.2 * k + seed, 1.5 * k, 2.5 * k, k % 2 ? "memory" : "compute"});
    for (int h = 0; h < 3; ++h) {
        AttentionMap m{"attn", "y", 0, h, 4, 4, 1, 4, 4, {}, 1.0 + h, 0.5 * h};
        for (int e = 0; e < 16; ++e) m.data.push_back(float(e + h) / 64.0f);  // exact in fp16
        d.attention.push_back(m);
    }
    TensorStats t;
    t.node = "act";
    t.port = "y";
    t.shape = {2, 16, 64};
    t.numel = 2048;
    t.hasSparsity = true;
    t.zeroFrac = 0.5;
    t.nearZeroFrac = 0.625;
    t.eps = 1e-3;
    t.absmax = 3.75;
    for (int b = 0; b < 64; ++b) t.histogram.push_back(b % 7 == 0 ? 0 : b * 3);
    t.hasChannels = true;
    t.channelAbsmax = {1.5f, 2.25f, 90.0f};
    t.channelKurtosis = {-1.3f, 0.0f, 12.5f};
    t.outlierChannels = {2};
    d.tensors.push_back(t);
    TensorStats only;
    only.node = "fc1";
    only.port = "y";
    only.shape = {2, 16, 256};
    only.numel = 8192;
    only.hasSparsity = true;
    only.histogram.assign(64, 1);
    d.tensors.push_back(only);
    d.memory = {true, 123456, 789, 0};
    return r;
}

int64_t countRows(Database& db, const char* sql) {
    Stmt s(db, sql);
    return s.step() ? s.i64(0) : -1;
}

}  // namespace

class TestStoreSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void roundTrip() {
        Database db;
        std::string err;
        QVERIFY(db.open(m_dir.filePath("rt.db").toStdString(), &err));
        ProfileStore store(db);
        SessionRecord w = sampleSession(1);
        QVERIFY2(store.writeSession(w, &err), err.c_str());
        QVERIFY(w.info.id > 0);
        SessionRecord r;
        QVERIFY2(store.loadSession(w.info.id, &r, &err), err.c_str());
        QVERIFY(r.info == w.info);
        QVERIFY(r.data.nodes == w.data.nodes);
        QVERIFY(r.data.attention == w.data.attention);
        QCOMPARE(r.data.tensors.size(), size_t(2));
        QVERIFY(r.data.tensors[0] == w.data.tensors[0]);
        QVERIFY(r.data.tensors[1] == w.data.tensors[1]);
        QVERIFY(r.data.memory == w.data.memory);
        QCOMPARE(r.data.ceilings.gflops, 88.5);
        QCOMPARE(r.data.totalMedianMs, w.data.totalMedianMs);
        QVERIFY(!store.loadSession(w.info.id + 100, &r, &err));
        QVERIFY(QString::fromStdString(err).contains("no session"));
    }

    void memoryOffIsNull() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        SessionRecord w = sampleSession(0);
        w.data.memory = {};
        QVERIFY(store.writeSession(w, &err));
        SessionRecord r;
        QVERIFY(store.loadSession(w.info.id, &r, &err));
        QVERIFY(!r.data.memory.measured);
        QCOMPARE(countRows(db, "SELECT count(*) FROM sessions WHERE peak_activation_bytes IS NULL"), int64_t(1));
    }

    void listingNewestFirst() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        for (int k = 0; k < 4; ++k) {
            SessionRecord s = sampleSession(k);
            QVERIFY(store.writeSession(s, &err));
        }
        std::vector<SessionInfo> list;
        QVERIFY(store.listSessions(&list, &err));
        QCOMPARE(list.size(), size_t(4));
        QVERIFY(list[0].id > list[1].id && list[1].id > list[2].id);
        QCOMPARE(list[0].bindings.at("T"), int64_t(16 + 3));
        QCOMPARE(list[0].nodeCount, int64_t(5));
        QVERIFY(list[0].designJson.empty());
    }

    void sweepLinksSessions() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        SweepInfo sw{0, "T", {16, 32, 64}, "abc123", "", {}};
        QVERIFY(store.createSweep(sw, &err));
        QVERIFY(sw.id > 0);
        SessionRecord lone = sampleSession(9);
        QVERIFY(store.writeSession(lone, &err));
        std::vector<int64_t> ids;
        for (int64_t v : sw.values) {
            SessionRecord s = sampleSession(int(v));
            s.info.sweepId = sw.id;
            s.info.sweepValue = v;
            QVERIFY(store.writeSession(s, &err));
            ids.push_back(s.info.id);
        }
        SweepInfo back;
        QVERIFY2(store.loadSweep(sw.id, &back, &err), err.c_str());
        QCOMPARE(back.name, std::string("T"));
        QCOMPARE(back.values, sw.values);
        QCOMPARE(back.sessions, ids);
        SessionRecord r;
        QVERIFY(store.loadSession(ids[1], &r, &err));
        QCOMPARE(r.info.sweepId, sw.id);
        QCOMPARE(r.info.sweepValue, int64_t(32));
        QVERIFY(store.loadSession(lone.info.id, &r, &err));
        QCOMPARE(r.info.sweepId, int64_t(0));
    }

    void ceilingsCache() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        QVERIFY(!store.ceilings("Test CPU", "cpu", &err));
        QVERIFY(store.saveCeilings("Test CPU", "cpu", {55.5, 9.75, "bench"}, &err));
        QVERIFY(store.saveCeilings("Test CPU", "cpu", {60.0, 10.0, "bench2"}, &err));  // replaces
        auto c = store.ceilings("Test CPU", "cpu", &err);
        QVERIFY(c);
        QCOMPARE(c->gflops, 60.0);
        QCOMPARE(c->gbps, 10.0);
        QVERIFY(!store.ceilings("Test CPU", "vulkan", &err));
    }

    void failedWriteLeavesNothing() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        SessionRecord ok = sampleSession(0);
        QVERIFY(store.writeSession(ok, &err));
        SessionRecord bad = sampleSession(1);
        bad.data.tensors.push_back(bad.data.tensors[0]);  // duplicate key: the last insert fails
        QVERIFY(!store.writeSession(bad, &err));
        QVERIFY(QString::fromStdString(err).contains("tensor statistics"));
        QCOMPARE(countRows(db, "SELECT count(*) FROM sessions"), int64_t(1));
        QCOMPARE(countRows(db, "SELECT count(*) FROM node_stats"), int64_t(5));
        QCOMPARE(countRows(db, "SELECT count(*) FROM attention_maps"), int64_t(3));
    }

    void oneConnectionPerThread() {
        QString p = m_dir.filePath("threads.db");
        Database main;
        std::string err;
        QVERIFY(main.open(p.toStdString(), &err));
        // Using the main thread's connection from another thread is refused.
        bool refused = false;
        std::string threadErr;
        std::thread([&] {
            ProfileStore s(main);
            SessionRecord r = sampleSession(0);
            refused = !s.writeSession(r, &threadErr);
        }).join();
        QVERIFY(refused);
        QVERIFY(QString::fromStdString(threadErr).contains("one thread"));
        // Each thread with its own connection writes concurrently (WAL + busy timeout).
        std::vector<std::thread> workers;
        std::atomic<int> written{0};
        for (int t = 0; t < 3; ++t)
            workers.emplace_back([&, t] {
                Database db;
                std::string e;
                if (!db.open(p.toStdString(), &e)) return;
                ProfileStore s(db);
                for (int k = 0; k < 5; ++k) {
                    SessionRecord r = sampleSession(t * 10 + k);
                    if (s.writeSession(r, &e)) ++written;
                }
            });
        for (auto& w : workers) w.join();
        QCOMPARE(written.load(), 15);
        QCOMPARE(countRows(main, "SELECT count(*) FROM sessions"), int64_t(15));
        QCOMPARE(countRows(main, "SELECT count(*) FROM node_stats"), int64_t(75));
    }
};

QTEST_GUILESS_MAIN(TestStoreSession)
#include "test_store_session.moc"
