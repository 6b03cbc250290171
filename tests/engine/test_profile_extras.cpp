// Profiler and store extras of schema version 2: MoE router loads (checked
// against counts taken independently from the router's softmax output),
// input samples (token labels from a vocabulary, image thumbnails),
// vocabularies, sweep targets, the newest session of one design, and the
// migration of a version-1 store.
#include "graph/design_io.h"
#include "probes/inputs.h"
#include "probes/profiler.h"
#include "probes/sweep.h"
#include "store/profile_store.h"
#include "templates/template_def.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace archscope;

namespace {

struct Built {
    Graph g;
    Analysis a;
    WeightStore w;
};

std::unique_ptr<Built> build(const std::string& name, const std::map<std::string, std::string>& params) {
    auto b = std::make_unique<Built>();
    std::string err;
    if (!instantiateTemplate(*findTemplate(name), params, &b->g, &err)) qFatal("%s", err.c_str());
    b->a = analyze(b->g, {});
    if (!b->a.ok() || !b->w.materialize(b->a, 3, &err)) qFatal("%s: %s", name.c_str(), b->a.errorText().c_str());
    return b;
}

SessionRecord session(const std::string& hash, const std::string& path) {
    SessionRecord r;
    r.info.designHash = hash;
    r.info.designPath = path;
    r.info.designName = "d";
    r.info.designJson = "{}";
    r.info.backend = "cpu";
    return r;
}

}  // namespace

class TestProfileExtras : public QObject {
    Q_OBJECT
private slots:
    void routerLoadMatchesArgmaxOfTheRouterSoftmax() {
        // Switch routing (top-1) with capacity 1.25: 2 x 24 tokens over 4 experts.
        auto b = build("moe_lm", {{"layers", "2"}, {"experts", "4"}, {"d_model", "32"}, {"heads", "2"}, {"hidden", "32"},
                                  {"seq", "24"}, {"batch", "2"}, {"vocab", "64"}});
        auto cpu = makeCpuBackend();
        ProfileRequest req{&b->g, &b->a, &b->w, cpu.get(), 3, {}, {}};
        req.options.probes.sparsity = true;
        req.options.repeat = 1;
        req.options.warmup = 0;
        ProfileData d;
        std::string err;
        QVERIFY2(runProfile(req, &d, &err), err.c_str());
        QCOMPARE(int(d.routers.size()), 4);  // 2 layers x (load, kept)
        // Independent: argmax of each token's router probabilities (ties: lower expert).
        RunResult r = cpu->run({&b->g, &b->a, &b->w, {}, 3, true});
        QVERIFY(r.ok);
        for (int l = 0; l < 2; ++l) {
            const std::string blk = "layer" + std::to_string(l) + "_moe";
            const Tensor& p = r.intermediates.at(blk + "/router_softmax.y");
            const int64_t E = p.dim(-1), N = p.numel() / E;
            std::vector<int64_t> want(size_t(E), 0);
            for (int64_t n = 0; n < N; ++n) {
                const float* row = p.f32() + n * E;
                ++want[size_t(std::max_element(row, row + E) - row)];
            }
            const RouterLoad* load = nullptr;
            const RouterLoad* kept = nullptr;
            for (auto& x : d.routers)
                if (x.node == blk + "/route") (x.port == "load" ? load : kept) = &x;
            QVERIFY(load && kept);
            QCOMPARE(load->tokens, int64_t(48));
            QCOMPARE(load->counts, want);
            const int64_t cap = int64_t(std::ceil(1.25 * 48 / 4));
            int64_t keptSum = 0;
            for (size_t e = 0; e < want.size(); ++e) {
                QCOMPARE(kept->counts[e], std::min(want[e], cap));
                QVERIFY(std::abs(load->fractions[e] - double(want[e]) / 48) < 1e-12);
                keptSum += kept->counts[e];
            }
            QVERIFY(keptSum <= 48);
        }
        // Stored and read back unchanged.
        Database db;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        SessionRecord rec = session("h", "/x/moe.json");
        rec.data = d;
        QVERIFY2(store.writeSession(rec, &err), err.c_str());
        SessionRecord back;
        QVERIFY2(store.loadSession(rec.info.id, &back, &err), err.c_str());
        QCOMPARE(back.data.routers, d.routers);
        QCOMPARE(back.info.designPath, std::string("/x/moe.json"));
    }

    void noRouterLoadsWithoutTheSparsityProbe() {
        auto b = build("moe_lm", {{"layers", "1"}, {"experts", "4"}, {"d_model", "16"}, {"heads", "2"}, {"hidden", "16"}, {"seq", "8"}});
        auto cpu = makeCpuBackend();
        ProfileRequest req{&b->g, &b->a, &b->w, cpu.get(), 3, {}, {}};
        req.options.probes.outliers = true;
        req.options.repeat = 1;
        ProfileData d;
        std::string err;
        QVERIFY2(runProfile(req, &d, &err), err.c_str());
        QVERIFY(d.routers.empty());
    }

    void tokenLabelsFromAVocabulary() {
        auto b = build("gpt", {{"layers", "1"}, {"seq", "12"}, {"vocab", "256"}, {"d_model", "32"}, {"heads", "2"}});
        std::vector<std::string> vocab;
        std::string err;
        QVERIFY(probes::loadVocabulary("bytes", &vocab, &err));
        QCOMPARE(vocab[size_t('a')], std::string("a"));
        QCOMPARE(vocab[10], std::string("<0x0A>"));
        // Generated ids (the backends' generateInput) and given ids.
        auto gen = probes::inputSamples(b->a, {}, 9, vocab);
        QCOMPARE(int(gen.size()), 1);
        QCOMPARE(gen[0].kind, std::string("tokens"));
        const Tensor ids = generateInput("ids", b->a.nodes.at("ids"), 9);
        QCOMPARE(int(gen[0].tokens.size()), 12);
        for (int t = 0; t < 12; ++t) {
            QCOMPARE(gen[0].tokens[size_t(t)], ids.i64()[t]);
            QCOMPARE(gen[0].labels[size_t(t)], vocab[size_t(ids.i64()[t])]);
        }
        Tensor given(DType::I64, {1, 12});
        const std::string text = "Hello world!";
        for (int t = 0; t < 12; ++t) given.i64()[t] = uint8_t(text[size_t(t)]);
        auto s = probes::inputSamples(b->a, {{"ids", given}}, 9, vocab);
        std::string joined;
        for (auto& l : s[0].labels) joined += l == "▁" ? " " : l;
        QCOMPARE(joined, text);
        QVERIFY(probes::inputSamples(b->a, {}, 9, {})[0].labels.empty());  // no vocabulary: ids only
    }

    void vocabularyFiles() {
        QTemporaryDir dir;
        const std::string txt = dir.filePath("v.txt").toStdString(), arr = dir.filePath("a.json").toStdString(),
                          obj = dir.filePath("o.json").toStdString(), bad = dir.filePath("b.json").toStdString();
        std::ofstream(txt) << "<pad>\r\nthe\ncat\n";
        std::ofstream(arr) << R"(["x", "y"])";
        std::ofstream(obj) << R"({"b": 1, "a": 0, "c": 2})";
        std::ofstream(bad) << R"({"a": "zero"})";
        std::vector<std::string> v;
        std::string err;
        QVERIFY(probes::loadVocabulary(txt, &v, &err));
        QCOMPARE(v, (std::vector<std::string>{"<pad>", "the", "cat"}));
        QVERIFY(probes::loadVocabulary(arr, &v, &err));
        QCOMPARE(v, (std::vector<std::string>{"x", "y"}));
        QVERIFY(probes::loadVocabulary(obj, &v, &err));
        QCOMPARE(v, (std::vector<std::string>{"a", "b", "c"}));
        QVERIFY(!probes::loadVocabulary(bad, &v, &err));
        QVERIFY2(err.find("b.json") != std::string::npos && err.find("\"a\"") != std::string::npos, err.c_str());
        QVERIFY(!probes::loadVocabulary(dir.filePath("missing.txt").toStdString(), &v, &err));
        QVERIFY2(err.find("missing.txt") != std::string::npos, err.c_str());
    }

    void imageThumbnail() {
        auto b = build("vit", {{"layers", "1"}, {"image", "32"}, {"patch", "8"}, {"d_model", "24"}, {"heads", "2"}});
        auto s = probes::inputSamples(b->a, {}, 4, {});
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0].kind, std::string("image"));
        QCOMPARE(s[0].width, 32);
        QCOMPARE(s[0].height, 32);
        QCOMPARE(int(s[0].rgb.size()), 32 * 32 * 3);
        // Independent: min-max scaling of the generated image, channel c at (y, x).
        const Tensor x = generateInput("image", b->a.nodes.at("image"), 4);
        const float* v = x.f32();
        auto [lo, hi] = std::minmax_element(v, v + 3 * 32 * 32);
        for (int c = 0; c < 3; ++c)
            for (int y : {0, 13, 31}) {
                const int xx = 7 + y % 5;
                const long want = std::lround((v[(c * 32 + y) * 32 + xx] - *lo) / (*hi - *lo) * 255.0);
                QCOMPARE(long(s[0].rgb[size_t((y * 32 + xx) * 3 + c)]), want);
            }
        // Larger images are box-averaged down to at most 64 a side.
        Tensor big(DType::F32, {1, 1, 200, 100});
        for (int64_t i = 0; i < big.numel(); ++i) big.f32()[i] = float(i / 100);  // row index
        InputSample t = probes::imageThumbnail("img", big, 64);
        QCOMPARE(t.width, 25);
        QCOMPARE(t.height, 50);
        QVERIFY(t.rgb[0] == 0 && t.rgb.back() == 255);
        QCOMPARE(t.rgb[3 * 25 * 10], t.rgb[3 * 25 * 10 + 5]);  // grey: channels equal
    }

    void sweepTargets() {
        auto b = build("gpt", {{"layers", "1"}});
        SweepTarget t;
        std::string err;
        QVERIFY(parseSweepTarget(b->g, "T", &t, &err));
        QVERIFY(!t.isAttribute());
        QVERIFY(parseSweepTarget(b->g, "layer0.heads", &t, &err));
        QCOMPARE(t.node, std::string("layer0"));
        Graph g = b->g;
        AnalyzeOptions o;
        applySweepValue(t, 8, &g, &o);
        QCOMPARE(std::get<int64_t>(g.node("layer0")->attrs.at("heads")), int64_t(8));
        QVERIFY(!parseSweepTarget(b->g, "Q", &t, &err));
        QVERIFY2(err.find("sizes: B, T") != std::string::npos, err.c_str());
        QVERIFY(!parseSweepTarget(b->g, "nope.heads", &t, &err));
        QVERIFY2(err.find("no node \"nope\"") != std::string::npos, err.c_str());
        QVERIFY(!parseSweepTarget(b->g, "layer0.norm", &t, &err));  // an enum, not an integer
        QVERIFY2(err.find("integer attributes:") != std::string::npos && err.find("heads") != std::string::npos, err.c_str());
    }

    void newestSessionOfADesign() {
        Database db;
        std::string err;
        QVERIFY(db.open(":memory:", &err));
        ProfileStore store(db);
        std::vector<int64_t> ids;
        for (auto [h, p] : std::vector<std::pair<std::string, std::string>>{{"A", "/a.json"}, {"B", "/b.json"}, {"A", "/a.json"}, {"C", "/b.json"}}) {
            SessionRecord r = session(h, p);
            QVERIFY(store.writeSession(r, &err));
            ids.push_back(r.info.id);
        }
        QCOMPARE(store.newestSessionOf("A", "/a.json", &err), ids[2]);
        QCOMPARE(store.newestSessionOf("B", "/b.json", &err), ids[1]);  // the hash wins over the path
        QCOMPARE(store.newestSessionOf("Z", "/b.json", &err), ids[3]);  // edited since: by path
        QCOMPARE(store.newestSessionOf("Z", "/z.json", &err), int64_t(0));
        QCOMPARE(store.newestSessionOf("Z", "", &err), int64_t(0));
    }

    void versionOneStoreIsMigrated() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("v1.db").toStdString();
        std::string err;
        int64_t id = 0;
        {
            Database db;  // a version-1 file: undo migration 1 -> 2 by hand, keeping one session
            QVERIFY2(db.open(path, &err), err.c_str());
            ProfileStore store(db);
            SessionRecord r = session("A", "");
            QVERIFY(store.writeSession(r, &err));
            id = r.info.id;
            QVERIFY2(db.exec("DROP TABLE router_loads; DROP TABLE session_inputs; DROP INDEX sessions_by_path;"
                             "ALTER TABLE sessions DROP COLUMN design_path; PRAGMA user_version = 1;", &err), err.c_str());
        }
        Database db;
        QVERIFY2(db.open(path, &err), err.c_str());
        QCOMPARE(db.userVersion(&err), Database::latestVersion());
        QCOMPARE(Database::latestVersion(), 2);
        SessionRecord back;
        QVERIFY2(ProfileStore(db).loadSession(id, &back, &err), err.c_str());
        QCOMPARE(back.info.designHash, std::string("A"));
        QCOMPARE(back.info.designPath, std::string());
        QVERIFY(back.data.routers.empty() && back.data.inputs.empty());
    }
};

QTEST_GUILESS_MAIN(TestProfileExtras)
#include "test_profile_extras.moc"
