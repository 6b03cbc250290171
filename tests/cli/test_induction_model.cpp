// The shipped trained model resources/models/induction.json (resources/models/train_induction.py):
// `archscope run` prints its task accuracy from the eval set named in the design's metadata,
// the accuracy is high, and its attention maps show a previous-token head in layer 0 and an
// induction head in layer 1 (absent with random weights). Also the --labels error paths.
#include "graph/analysis.h"
#include "graph/design_io.h"
#include "interop/npy.h"
#include "runtime/backend.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include "cli_process.h"

#include <QtTest>

#include <filesystem>

using namespace archscope;

namespace {


using Result = test::CliResult;

Result runCli(const QStringList& args) { return test::runArchscope(args); }

std::string modelDir() { return std::string(qgetenv("ARCHSCOPE_SOURCE_DIR").constData()) + "/resources/models"; }
QString designPath() { return QString::fromStdString(modelDir() + "/induction.json"); }

// Each eval sequence is a segment of L distinct tokens, the same segment again, then fillers;
// L (6..16, varying) is the first labelled position.
std::vector<int64_t> segmentLengths() {
    Tensor labels;
    std::string err;
    if (!readNpy(modelDir() + "/induction_eval_labels.npy", &labels, &err)) qFatal("%s", err.c_str());
    std::vector<int64_t> L;
    for (int64_t b = 0; b < labels.dim(0); ++b) {
        int64_t t = 0;
        while (labels.i64()[b * labels.dim(1) + t] < 0) ++t;
        L.push_back(t);
    }
    return L;
}

// Mean attention mass, over eval sequences and the repeat's queries t = L .. 2L-2, that the best
// head of `map` [B, H, T, T] puts on key t - back(L): 1 for a previous-token head, L - 1 for an
// induction head (the token after the previous occurrence of the current token).
double bestHeadMass(const Tensor& map, bool induction) {
    const std::vector<int64_t> L = segmentLengths();
    const int64_t B = map.dim(0), H = map.dim(1), T = map.dim(2);
    double best = 0;
    for (int64_t h = 0; h < H; ++h) {
        double sum = 0;
        int64_t n = 0;
        for (int64_t b = 0; b < B; ++b) {
            const int64_t back = induction ? L[size_t(b)] - 1 : 1;
            for (int64_t t = L[size_t(b)]; t < 2 * L[size_t(b)] - 1; ++t, ++n) sum += map.f32()[((b * H + h) * T + t) * T + (t - back)];
        }
        best = std::max(best, sum / double(n));
    }
    return best;
}

RunResult runModel(bool trained) {
    Graph g;
    LoadResult lr = loadDesign(modelDir() + "/induction.json", &g);
    if (!lr.ok) qFatal("%s", lr.error.c_str());
    Analysis a = analyze(g, {});
    if (!a.ok()) qFatal("%s", a.errorText().c_str());
    WeightStore w;
    std::string err;
    if (trained && !w.loadFile(modelDir() + "/induction.safetensors", &err)) qFatal("%s", err.c_str());
    if (!w.materialize(a, 7, &err)) qFatal("%s", err.c_str());
    if (trained && w.all().size() != 13) qFatal("the weights file should provide all 13 parameters, have %zu", w.all().size());
    Tensor ids;
    if (!readNpy(modelDir() + "/induction_eval_ids.npy", &ids, &err)) qFatal("%s", err.c_str());
    RunResult r = makeCpuBackend()->run({&g, &a, &w, {{"ids", ids}}, 0, false});
    if (!r.ok) qFatal("%s", r.error.c_str());
    return r;
}

}  // namespace

class TestInductionModel : public QObject {
    Q_OBJECT
private slots:
    void shippedFilesAreSmall() {
        std::uintmax_t total = 0;
        for (auto* f : {"induction.json", "induction.safetensors", "induction_eval_ids.npy", "induction_eval_labels.npy"}) {
            QVERIFY2(std::filesystem::exists(modelDir() + "/" + f), f);
            total += std::filesystem::file_size(modelDir() + "/" + f);
        }
        QVERIFY(total < 4u * 1024 * 1024);
    }

    void runPrintsHighAccuracy() {
        Result r = runCli({"run", designPath()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QRegularExpressionMatch m = QRegularExpression("accuracy ([0-9.]+) \\((\\d+)/(\\d+) labelled").match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QVERIFY2(m.captured(1).toDouble() > 0.9, qPrintable(r.out));
        int64_t scored = 0;
        for (int64_t l : segmentLengths()) scored += l - 1;  // positions L .. 2L-2 of each sequence
        QCOMPARE(m.captured(3).toLongLong(), (long long)scored);

        Result j = runCli({"run", designPath(), "--json"});
        QVERIFY2(j.code == 0, qPrintable(j.err));
        const QJsonObject acc = QJsonDocument::fromJson(j.out.toUtf8()).object().value("accuracy").toObject();
        QVERIFY(acc.value("value").toDouble() > 0.9);
        QCOMPARE(acc.value("output").toString(), QString("logits"));
    }

    void attentionShowsInductionStructure() {
        RunResult trained = runModel(true);
        const double prev = bestHeadMass(trained.outputs.at("attn0_map"), false);
        const double induction = bestHeadMass(trained.outputs.at("attn1_map"), true);
        qInfo("trained: layer 0 previous-token mass %.3f, layer 1 induction mass %.3f", prev, induction);
        // Causal attention spread evenly would put about 1/20 on any one key at these positions.
        QVERIFY(prev > 0.25);
        QVERIFY(induction > 0.8);
        // With random weights neither pattern exists (the structure comes from training).
        RunResult random = runModel(false);
        const double randomPrev = bestHeadMass(random.outputs.at("attn0_map"), false);
        const double randomInduction = bestHeadMass(random.outputs.at("attn1_map"), true);
        qInfo("random weights: layer 0 previous-token mass %.3f, layer 1 induction mass %.3f", randomPrev, randomInduction);
        QVERIFY(prev > 3 * randomPrev);
        QVERIFY(randomInduction < 0.3);
    }

    void labelsErrorsAreClear() {
        QTemporaryDir dir;
        const std::string bad = (dir.path() + "/bad.npy").toStdString();
        std::string err;
        QVERIFY(writeNpy(bad, Tensor::i64({3}, {1, 2, 3}), &err));
        Result r = runCli({"run", designPath(), "--labels", QString::fromStdString(bad), "--eval-output", "logits"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("expected int64 labels of shape [128, 32]"), qPrintable(r.err));
        r = runCli({"run", designPath(), "--labels", QString::fromStdString(modelDir() + "/induction_eval_labels.npy"), "--eval-output", "nope"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no output node \"nope\""), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestInductionModel)
#include "test_induction_model.moc"
