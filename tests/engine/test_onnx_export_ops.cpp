// ONNX export of the ops outside the core table (onnx_export_more.cpp): rope,
// alibi, T5 relative bias, causal / sliding-window / shifted-window masks,
// window partition/reverse and patch merging (Swin), cumsum, topk, keep_topk,
// cls_token, learned positions, layer scale, GELU-tanh, ELU+1, and the linear
// recurrences (scan diag/decay/delta, linear_mix) as ONNX Scan. Each design is
// run on the CPU, exported (onnx::checker inside the export; python3-onnx's
// full checker too where installed), then
//   - re-imported and run again, when the importer reads every emitted op;
//   - run by ONNX Runtime's CPU provider (scripts/ort_run.js with the npm
//     package onnxruntime-node, found through $ARCHSCOPE_ORT_NODE_PATH or
//     $NODE_PATH; QSKIP of that part without it),
// and both must match the explorer's outputs within 1e-4 relative. The MoE ops
// (moe_route with k = 1, 2, 3, ties and capacity drops; moe_experts written
// densely), avgpool1d/maxpool1d, low-rank linear, clipped softmax (softmax and
// attn_softmax, with a causal mask) and every built-in template (moe_lm presets
// included) go through ONNX Runtime the same way.
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"
#include "templates/template_def.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include "onnx_test_util.h"

#include <QtTest>
#include <cmath>
#include <functional>

using namespace archscope;

namespace {

struct Run {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    RunResult r;
    std::string error;
    bool go(bool generate = true) {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        if (!w.materialize(a, 3, &error)) return false;
        for (auto& id : a.order)
            if (generate && a.nodes.at(id).def->id == "input" && !inputs.count(id)) inputs[id] = generateInput(id, a.nodes.at(id), 5);
        r = makeCpuBackend()->run({&g, &a, &w, inputs, 5, false});
        if (!r.ok) error = r.error;
        return r.ok;
    }
};

const auto compare = &test::compareTensors;

using test::ortNodePath;

Graph fromTemplate(const std::string& name, const std::map<std::string, std::string>& over) {
    Graph g;
    std::string err;
    if (!findTemplate(name) || !instantiateTemplate(*findTemplate(name), over, &g, &err)) qWarning("%s: %s", name.c_str(), err.c_str());
    return g;
}

// x [2, 6, 16] through the element-wise and selection ops, several outputs.
Graph opsChain() {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 6, 16")}}});
    auto chain = [&](const std::string& id, const std::string& op, std::map<std::string, AttrValue> attrs, const std::string& from) {
        g.addNode({id, op, attrs});
        g.connect({from, "y"}, {id, "x"});
    };
    chain("gt", "gelu_tanh", {}, "x");
    chain("e1", "elu1", {}, "gt");
    chain("ls", "layer_scale", {{"init", 0.5}}, "e1");
    chain("cs", "cumsum", {{"axis", int64_t(1)}, {"reverse", true}}, "ls");
    chain("kt", "keep_topk", {{"k", int64_t(5)}}, "cs");
    chain("cls", "cls_token", {{"count", int64_t(2)}}, "kt");
    chain("pl", "pos_learned", {{"max_len", int64_t(16)}}, "cls");
    chain("ps", "pos_sinusoidal", {{"offset", int64_t(3)}}, "pl");
    g.addNode({"tk", "topk", {{"k", int64_t(3)}, {"axis", int64_t(-1)}}});
    g.connect({"ps", "y"}, {"tk", "x"});
    g.addNode({"values", "output"});
    g.addNode({"indices", "output"});
    g.addNode({"y", "output"});
    g.connect({"tk", "values"}, {"values", "x"});
    g.connect({"tk", "indices"}, {"indices", "x"});
    g.connect({"ps", "y"}, {"y", "x"});
    return g;
}

// x [2, 9, E] -> softmax (or relu: many tied zeros) -> moe_route; gates, load and kept are outputs.
Graph router(int64_t experts, int64_t k, double capacityFactor, bool normalize, bool ties) {
    Graph g;
    g.addNode({"x", "input", {{"shape", "2, 9, " + std::to_string(experts)}}});
    g.addNode({"p", ties ? "relu" : "softmax"});
    g.addNode({"route", "moe_route", {{"k", k}, {"capacity_factor", capacityFactor}, {"normalize", normalize}}});
    g.connect({"x", "y"}, {"p", "x"});
    g.connect({"p", "y"}, {"route", "probs"});
    for (const char* port : {"gates", "load", "kept"}) {
        g.addNode({port, "output"});
        g.connect({"route", port}, {port, "x"});
    }
    return g;
}

// x [2, 5, 8] -> linear router (6 experts) -> softmax -> moe_route (k 2, capacity 1) -> moe_experts.
Graph experts(const std::string& act) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 5, 8")}}});
    g.addNode({"router", "linear", {{"out_features", int64_t(6)}, {"bias", false}}});
    g.addNode({"p", "softmax"});
    g.addNode({"route", "moe_route", {{"k", int64_t(2)}, {"capacity_factor", 1.0}, {"normalize", true}}});
    g.addNode({"experts", "moe_experts", {{"hidden", int64_t(12)}, {"act", act}, {"k", int64_t(2)}}});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"router", "x"});
    g.connect({"router", "y"}, {"p", "x"});
    g.connect({"p", "y"}, {"route", "probs"});
    g.connect({"x", "y"}, {"experts", "x"});
    g.connect({"route", "gates"}, {"experts", "gates"});
    g.connect({"experts", "y"}, {"y", "x"});
    return g;
}

// x [2, 3, 11] -> one 1-d pooling op.
Graph pool1d(const std::string& op, int64_t kernel, int64_t stride, int64_t padding, bool countPad) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 3, 11")}}});
    std::map<std::string, AttrValue> a{{"kernel", kernel}, {"stride", stride}, {"padding", padding}};
    if (op == "avgpool1d") a["count_include_pad"] = countPad;
    g.addNode({"pool", op, a});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"pool", "x"});
    g.connect({"pool", "y"}, {"y", "x"});
    return g;
}

// Sum of a [E] share output.
double total(const RunResult& r, const std::string& id) {
    double s = 0;
    const Tensor& t = r.outputs.at(id);
    for (int64_t i = 0; i < t.numel(); ++i) s += t.f32()[i];
    return s;
}

// Self-attention block with an attention position scheme ("alibi", "relative") or a sliding window.
Graph attention(const std::string& pos, int64_t window) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 7, 32")}}});
    std::map<std::string, AttrValue> a{{"d_model", int64_t(32)}, {"heads", int64_t(4)}, {"causal", true}, {"pos", pos}};
    if (window) a["window"] = window;
    g.addNode({"attn", "mha", a});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"attn", "x"});
    g.connect({"attn", "y"}, {"y", "x"});
    return g;
}

// x [2, 5, 16] -> low-rank linear (rank 3, 12 outputs) -> low-rank linear (rank 7 > 5 outputs) -> y.
Graph lowRankLinear(bool bias) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 5, 16")}}});
    g.addNode({"lr1", "linear", {{"out_features", int64_t(12)}, {"rank", int64_t(3)}, {"bias", bias}}});
    g.addNode({"lr2", "linear", {{"out_features", int64_t(5)}, {"rank", int64_t(7)}, {"bias", bias}}});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"lr1", "x"});
    g.connect({"lr1", "y"}, {"lr2", "x"});
    g.connect({"lr2", "y"}, {"y", "x"});
    return g;
}

// x [2, 2, 6, 6] (scaled by 3: peaked rows) -> clipped softmax (`op`, zeta 1.1, gamma -0.1, temperature 1.5),
// masked by a causal mask when `causal` (row 0 then has one visible key: 1.1 clipped to 1), else along `axis`.
Graph clippedSoftmax(const std::string& op, bool causal, int64_t axis) {
    Graph g;
    g.addNode({"x", "input", {{"shape", std::string("2, 2, 6, 6")}}});
    g.addNode({"s", "scale", {{"scale", 3.0}}});
    g.addNode({"sm", op, {{"zeta", 1.1}, {"gamma", -0.1}, {"temperature", 1.5}, {"axis", axis}}});
    g.addNode({"y", "output"});
    g.connect({"x", "y"}, {"s", "x"});
    g.connect({"s", "y"}, {"sm", "x"});
    if (causal) {
        g.addNode({"m", "causal_mask"});
        g.connect({"s", "y"}, {"m", "x"});
        g.connect({"m", "y"}, {"sm", "mask"});
    }
    g.connect({"sm", "y"}, {"y", "x"});
    return g;
}

// Counts of output elements exactly 0 and exactly 1.
std::pair<int, int> zerosAndOnes(const Tensor& t) {
    std::pair<int, int> n{0, 0};
    for (int64_t i = 0; i < t.numel(); ++i) {
        n.first += t.f32()[i] == 0.0f;
        n.second += t.f32()[i] == 1.0f;
    }
    return n;
}

}  // namespace

class TestOnnxExportOps : public QObject {
    Q_OBJECT

    // `check` sees the CPU run before the export (e.g. that capacity dropped tokens).
    void roundTrip(Graph g, bool reimport, const std::function<void(const RunResult&)>& check = {}) {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QVERIFY2(!g.nodes().empty(), "the design was not built (see the warning)");
        Run ref;
        ref.g = std::move(g);
        QVERIFY2(ref.go(), ref.error.c_str());
        if (check) {
            check(ref.r);
            if (QTest::currentTestFailed()) return;
        }
        std::string bytes, err;
        QVERIFY2(exportOnnx(ref.g, ref.a, ref.w, &bytes, &err), err.c_str());
        QTemporaryDir tmp;
        const QString model = tmp.filePath("m.onnx");
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.data(), qint64(bytes.size()));
        }
        QProcess py;
        py.start("/usr/bin/python3", {"-c", "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", model});
        QVERIFY(py.waitForFinished(120000));
        const QByteArray pyErr = py.readAllStandardError();
        if (py.exitCode() != 0 && !pyErr.contains("No module named")) QFAIL(qPrintable("onnx.checker: " + pyErr));
        if (reimport) {
            Run back;
            TensorMap weights;
            QVERIFY2(importOnnxBytes(bytes, "m.onnx", ".", {}, &back.g, &weights, nullptr, &err), err.c_str());
            back.w.all() = weights;
            back.inputs = ref.inputs;
            QVERIFY2(back.go(false), back.error.c_str());
            for (auto& [id, t] : ref.r.outputs) {
                QVERIFY2(back.r.outputs.count(id), id.c_str());
                const std::string why = compare("re-import " + id, t, back.r.outputs.at(id), 1e-4);
                QVERIFY2(why.empty(), why.c_str());
            }
        }
        const QString nodePath = ortNodePath();
        if (nodePath.isEmpty()) QSKIP("ONNX Runtime part skipped: set ARCHSCOPE_ORT_NODE_PATH to a node_modules with onnxruntime-node");
        TensorMap out;
        QVERIFY2(test::runOrt(nodePath, model, ref.inputs, tmp.path(), &out, &err), err.c_str());
        for (auto& [id, t] : ref.r.outputs) {
            QVERIFY2(out.count("out." + id), id.c_str());
            const std::string why = compare("onnxruntime " + id, t, out.at("out." + id), 1e-4);
            QVERIFY2(why.empty(), why.c_str());
        }
    }

private slots:
    void gptRope() { roundTrip(fromTemplate("gpt", {{"layers", "1"}, {"seq", "12"}}), true); }
    void gpt2LearnedPositions() { roundTrip(fromTemplate("gpt", {{"preset", "gpt2"}, {"layers", "1"}, {"seq", "12"}}), true); }
    void alibi() { roundTrip(attention("alibi", 0), true); }
    void t5RelativeBias() { roundTrip(attention("relative", 0), true); }
    void slidingWindow() { roundTrip(attention("rope", 3), true); }
    // The window ops are archscope.fn calls (a Gather with a constant index map inside): re-imported as the same ops.
    void swinWindows() { roundTrip(fromTemplate("swin", {{"image", "32"}, {"depths", "2,2"}, {"heads", "2,4"}}), true); }
    // CumSum, TopK, ScatterElements and Elu are re-imported too (TopK, CumSum, Elu by the importer; keep_topk as a function call).
    void elementwiseAndSelection() { roundTrip(opsChain(), true); }

    // Linear recurrences as ONNX Scan nodes (archscope.fn calls wrapping ONNX Scan; re-imported as the same ops).
    void mambaSelectiveScan() { roundTrip(fromTemplate("mamba_lm", {{"layers", "1"}, {"seq", "8"}}), true); }
    void linearRecurrences_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("mode");
        for (const char* k : {"gla", "retnet", "deltanet"})
            for (const char* m : {"recurrent", "chunked"}) QTest::newRow((std::string(k) + "-" + m).c_str()) << QString(k) << QString(m);
    }
    void linearRecurrences() {
        QFETCH(QString, kind);
        QFETCH(QString, mode);
        roundTrip(fromTemplate("linear_lm", {{"kind", kind.toStdString()}, {"mode", mode.toStdString()}, {"layers", "1"}, {"seq", "12"},
                                             {"chunk", "4"}, {"hybrid_ratio", "0"}}),
                  true);
    }

    // moe_route: TopK, one-hot choices, CumSum admission in the kernel's order (re-imported as
    // one archscope.fn call; ONNX Runtime checks the body). `drops`: the capacity must drop some assignments.
    void moeRoute_data() {
        QTest::addColumn<qint64>("experts");
        QTest::addColumn<qint64>("k");
        QTest::addColumn<double>("cf");
        QTest::addColumn<bool>("normalize");
        QTest::addColumn<bool>("ties");
        QTest::addColumn<bool>("drops");
        QTest::newRow("k1-unlimited") << qint64(5) << qint64(1) << 0.0 << false << false << false;
        QTest::newRow("k1-capacity") << qint64(5) << qint64(1) << 0.6 << false << false << true;
        QTest::newRow("k2-capacity-normalize") << qint64(5) << qint64(2) << 0.75 << true << false << true;
        QTest::newRow("k2-unlimited-normalize") << qint64(4) << qint64(2) << 0.0 << true << false << false;
        QTest::newRow("k2-ties-capacity") << qint64(4) << qint64(2) << 0.5 << true << true << true;
        QTest::newRow("k3-capacity") << qint64(6) << qint64(3) << 0.5 << false << false << true;
    }
    void moeRoute() {
        QFETCH(qint64, experts);
        QFETCH(qint64, k);
        QFETCH(double, cf);
        QFETCH(bool, normalize);
        QFETCH(bool, ties);
        QFETCH(bool, drops);
        roundTrip(router(experts, k, cf, normalize, ties), true, [&](const RunResult& r) {
            QVERIFY(std::abs(total(r, "load") - double(k)) < 1e-5);
            if (drops) QVERIFY2(total(r, "kept") < double(k) - 0.05, "the capacity drops nothing: the case tests nothing");
            else QVERIFY(std::abs(total(r, "kept") - double(k)) < 1e-5);
        });
    }

    // moe_experts written densely (every expert on every token, gated sum).
    void moeExperts_data() {
        QTest::addColumn<QString>("act");
        for (const char* a : {"gelu", "relu", "silu"}) QTest::newRow(a) << QString(a);
    }
    void moeExperts() {
        QFETCH(QString, act);
        roundTrip(experts(act.toStdString()), true);
    }

    // AveragePool / MaxPool with a 1-d window: re-imported into the same ops, and run by ONNX Runtime.
    void pool1d_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<qint64>("kernel");
        QTest::addColumn<qint64>("stride");
        QTest::addColumn<qint64>("padding");
        QTest::addColumn<bool>("countPad");
        QTest::newRow("avg-k2-default-stride") << QString("avgpool1d") << qint64(2) << qint64(0) << qint64(0) << true;
        QTest::newRow("avg-k3-s2-p1-count-pad") << QString("avgpool1d") << qint64(3) << qint64(2) << qint64(1) << true;
        QTest::newRow("avg-k3-s2-p1-no-count-pad") << QString("avgpool1d") << qint64(3) << qint64(2) << qint64(1) << false;
        QTest::newRow("avg-k4-s1-p2-no-count-pad") << QString("avgpool1d") << qint64(4) << qint64(1) << qint64(2) << false;
        QTest::newRow("max-k2-default-stride") << QString("maxpool1d") << qint64(2) << qint64(0) << qint64(0) << false;
        QTest::newRow("max-k3-s1-p1") << QString("maxpool1d") << qint64(3) << qint64(1) << qint64(1) << false;
        QTest::newRow("max-k4-s3-p2") << QString("maxpool1d") << qint64(4) << qint64(3) << qint64(2) << false;
    }
    void pool1d() {
        QFETCH(QString, op);
        QFETCH(qint64, kernel);
        QFETCH(qint64, stride);
        QFETCH(qint64, padding);
        QFETCH(bool, countPad);
        roundTrip(::pool1d(op.toStdString(), kernel, stride, padding, countPad), true);
    }

    // Low-rank linear: two MatMuls with the transposed factors (+ Add); re-imported as two linears.
    void lowRankLinear_data() {
        QTest::addColumn<bool>("bias");
        QTest::newRow("bias") << true;
        QTest::newRow("no-bias") << false;
    }
    void lowRankLinear() {
        QFETCH(bool, bias);
        roundTrip(::lowRankLinear(bias), true);
    }

    // Clipped softmax: Softmax, Mul (zeta - gamma), Add gamma, Clip [0, 1]. The reference must
    // clip at both ends, or the case would not test the clipping.
    void clippedSoftmax_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<qint64>("axis");
        QTest::newRow("softmax-last-axis") << QString("softmax") << false << qint64(-1);
        QTest::newRow("softmax-axis1") << QString("softmax") << false << qint64(1);
        QTest::newRow("softmax-causal-mask") << QString("softmax") << true << qint64(-1);
        QTest::newRow("attn_softmax-causal-mask") << QString("attn_softmax") << true << qint64(-1);
    }
    void clippedSoftmax() {
        QFETCH(QString, op);
        QFETCH(bool, causal);
        QFETCH(qint64, axis);
        roundTrip(::clippedSoftmax(op.toStdString(), causal, axis), true, [&](const RunResult& r) {
            auto [zeros, ones] = zerosAndOnes(r.outputs.at("y"));
            QVERIFY2(zeros > 0, "nothing clipped to 0");
            if (causal) QVERIFY2(ones > 0, "nothing clipped to 1");
        });
    }

    // An mha block with clipped softmax (Bondarenko et al.: gamma -0.03), causal: its attn_softmax
    // is exported clipped; re-imported as primitives (the attention lift needs the plain softmax).
    void clippedAttentionBlock() {
        Graph g = attention("rope", 0);
        Node* n = g.node("attn");
        QVERIFY(n);
        n->attrs["zeta"] = 1.0;
        n->attrs["gamma"] = -0.03;
        roundTrip(std::move(g), true);
    }

    // Every built-in template at a small size exports, passes the checker and runs in ONNX Runtime.
    void everyTemplate_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("preset");
        for (const TemplateDef* t : templates()) {
            if (!t->plugin.empty()) continue;
            QTest::newRow(t->name.c_str()) << QString::fromStdString(t->name) << QString();
        }
        QTest::newRow("moe_lm-top2") << QString("moe_lm") << QString("top2");
        QTest::newRow("moe_lm-shared") << QString("moe_lm") << QString("shared");
    }
    void everyTemplate() {
        QFETCH(QString, name);
        QFETCH(QString, preset);
        const TemplateDef* t = findTemplate(name.toStdString());
        QVERIFY(t);
        std::map<std::string, std::string> over;
        auto has = [&](const char* p) {
            for (auto& a : t->params)
                if (a.name == p) return true;
            return false;
        };
        if (has("layers")) over["layers"] = "1";
        if (has("seq")) over["seq"] = "8";
        if (!preset.isEmpty()) over["preset"] = preset.toStdString();
        if (name == "moe_lm") over["capacity_factor"] = "0.5";  // some tokens are dropped
        roundTrip(fromTemplate(name.toStdString(), over), true);
    }
};

QTEST_MAIN(TestOnnxExportOps)
#include "test_onnx_export_ops.moc"
