// Every registered template (engine/templates): the shipped design file is the
// builder's current output, it validates, runs on the CPU with finite outputs
// and on Vulkan (skipped without a device) within 1e-4 of the CPU. Then the
// closed-form parameter and FLOP counts of gpt and vit, and the looped ICL
// construction against gradient descent computed here with Eigen.
#include "graph/design_io.h"
#include "interop/safetensors.h"
#include "op_case.h"
#include "templates/template_def.h"
#include "vulkan_test_util.h"

#include <eigen3/Eigen/Dense>  // the engine keeps Eigen private
#include <QtTest>

#include <random>

using namespace archscope;

namespace {

std::string templatesDir() { return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR").toStdString() + "/resources/templates/"; }

struct Built {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    std::string error;
};

bool build(const std::string& name, const std::map<std::string, std::string>& over, Built* b) {
    std::map<std::string, Tensor> hand;
    if (!instantiateTemplate(*findTemplate(name), over, &b->g, &b->error, &hand)) return false;
    b->a = analyze(b->g, {});
    if (!b->a.ok()) { b->error = b->a.errorText(); return false; }
    for (auto& [k, t] : hand) {
        auto dot = k.find_last_of('.');
        b->w.set(k.substr(0, dot), k.substr(dot + 1), t);
    }
    if (!b->w.materialize(b->a, b->g.weights.seed, &b->error)) return false;
    for (auto& id : b->a.order)
        if (b->a.graph().node(id)->op == "input") b->inputs[id] = generateInput(id, b->a.nodes.at(id), 11);
    return true;
}

int64_t sumFlops(const Analysis& a, std::initializer_list<const char*> ops) {
    int64_t s = 0;
    for (auto& id : a.order)
        for (auto* op : ops)
            if (a.graph().node(id)->op == op) s += a.nodes.at(id).flops;
    return s;
}

double maxAbs(const Tensor& t) {
    double m = 0;
    for (int64_t i = 0; i < t.numel(); ++i) m = std::max(m, double(std::abs(t.f32()[i])));
    return m;
}

}  // namespace

class TestTemplates : public QObject {
    Q_OBJECT
private slots:
    void listsTheSeedTemplates() {
        QVERIFY(templates().size() >= 4);
        for (auto* n : {"gpt", "vit", "gtrxl", "looped_icl"}) QVERIFY2(findTemplate(n), n);
        for (auto* t : templates()) {
            QVERIFY2(!t->title.empty() && !t->paper.empty() && t->description.size() > 100, t->name.c_str());
            QVERIFY2(bool(t->build), t->name.c_str());
        }
    }

    void shippedFileIsCurrent_data() {
        QTest::addColumn<QString>("name");
        for (auto* t : templates()) QTest::newRow(t->name.c_str()) << QString::fromStdString(t->name);
    }
    void shippedFileIsCurrent() {
        QFETCH(QString, name);
        const TemplateDef* t = findTemplate(name.toStdString());
        Graph g;
        std::string err;
        std::map<std::string, Tensor> hand;
        QVERIFY2(instantiateTemplate(*t, {}, &g, &err, &hand), err.c_str());
        std::string shipped;
        const std::string path = templatesDir() + t->name + ".json";
        QVERIFY2(readFile(path, &shipped, &err), (err + " (write it with `archscope new " + t->name + " -o " + path + "`)").c_str());
        QVERIFY2(serializeDesign(g) == shipped, ("stale " + path + ": regenerate with `archscope new " + t->name + " -o " + path + "`").c_str());
        Graph loaded;
        QVERIFY(loadDesign(path, &loaded).ok);
        QVERIFY(loaded == g);
        if (t->weights) {
            TensorMap m;
            QVERIFY2(readSafetensors(templatesDir() + g.weights.file, &m, &err), err.c_str());
            QCOMPARE(m.size(), hand.size());
            for (auto& [k, v] : hand) {
                QVERIFY2(m.count(k), k.c_str());
                QCOMPARE(m.at(k).shape(), v.shape());
                QVERIFY(std::memcmp(m.at(k).raw(), v.raw(), v.byteSize()) == 0);
            }
        }
    }

    void runsOnCpu_data() { shippedFileIsCurrent_data(); }
    void runsOnCpu() {
        QFETCH(QString, name);
        Built b;
        QVERIFY2(build(name.toStdString(), {}, &b), b.error.c_str());
        QVERIFY(b.a.totalParams > 0 || name == "looped_icl");
        RunResult r = makeCpuBackend()->run({&b.g, &b.a, &b.w, b.inputs, 11, false});
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(!r.outputs.empty());
        for (auto& [id, t] : r.outputs) {
            QVERIFY2(t.numel() > 0, id.c_str());
            if (t.dtype() == DType::F32)
                for (int64_t i = 0; i < t.numel(); ++i) QVERIFY2(std::isfinite(t.f32()[i]), (name.toStdString() + " " + id).c_str());
        }
    }

    void vulkanMatchesCpu_data() { shippedFileIsCurrent_data(); }
    void vulkanMatchesCpu() {
        QFETCH(QString, name);
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        Built b;
        QVERIFY2(build(name.toStdString(), {}, &b), b.error.c_str());
        RunResult rc = makeCpuBackend()->run({&b.g, &b.a, &b.w, b.inputs, 11, false});
        RunResult rv = vkb->run({&b.g, &b.a, &b.w, b.inputs, 11, false});
        QVERIFY2(rc.ok, rc.error.c_str());
        QVERIFY2(rv.ok, rv.error.c_str());
        for (auto& [id, want] : rc.outputs) {
            std::string where;
            const double atol = want.dtype() == DType::F32 ? 1e-4 * std::max(1e-3, maxAbs(want)) : 0;
            QVERIFY2(test::worstViolation(rv.outputs.at(id), want, 1e-4, atol, &where) == 0, (name.toStdString() + " " + id + " " + where).c_str());
        }
    }

    void badParametersAreNamed() {
        Graph g;
        std::string err;
        QVERIFY(!instantiateTemplate(*findTemplate("gpt"), {{"d_modle", "32"}}, &g, &err));
        QVERIFY2(err.find("has no parameter \"d_modle\"") != std::string::npos && err.find("d_model (int, default 64)") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("gpt"), {{"layers", "two"}}, &g, &err));
        QVERIFY2(err.find("\"layers\" = \"two\" is not an integer") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("gpt"), {{"preset", "gpt3"}}, &g, &err));
        QVERIFY2(err.find("is not one of: llama, gpt2") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("vit"), {{"heads", "5"}}, &g, &err));
        QVERIFY2(err.find("not divisible by heads = 5") != std::string::npos, err.c_str());
        QVERIFY(!instantiateTemplate(*findTemplate("vit"), {{"layers", "0"}}, &g, &err));
        QVERIFY2(err.find("out of range") != std::string::npos, err.c_str());
    }

    // Closed forms from the architecture (LLaMA: RMSNorm, RoPE, SwiGLU, no biases; GQA).
    void gptLlamaCounts() {
        const int64_t V = 96, d = 48, L = 3, H = 4, Hkv = 2, hid = 80, T = 10, B = 2, dh = d / H;
        Built b;
        QVERIFY2(build("gpt", {{"vocab", "96"}, {"d_model", "48"}, {"layers", "3"}, {"heads", "4"}, {"kv_heads", "2"}, {"hidden", "80"},
                               {"seq", "10"}, {"batch", "2"}}, &b), b.error.c_str());
        const int64_t perLayer = d * H * dh + 2 * d * Hkv * dh + H * dh * d + 3 * d * hid + 2 * d;
        QCOMPARE(b.a.totalParams, V * d + L * perLayer + d + d * V);
        const int64_t rows = B * T;
        // GEMMs (2 per multiply-add): projections, scores (+ scaling), context, FFN, LM head.
        const int64_t proj = 2 * rows * d * (H * dh + 2 * Hkv * dh) + 2 * rows * H * dh * d;
        const int64_t attn = (2 * T * T * dh + T * T) * B * H + 2 * T * T * dh * B * H;
        const int64_t ffn = 2 * rows * d * hid * 3;
        const int64_t gemm = L * (proj + attn + ffn) + 2 * rows * d * V;
        QCOMPARE(sumFlops(b.a, {"linear", "matmul"}), gemm);
        // Elementwise terms with the per-element costs the ops document: RMSNorm 4, RoPE 3 per rotated
        // element, masked softmax 6, SiLU gate 6, residual add 1.
        const int64_t elem = L * (2 * 4 * rows * d + 3 * rows * (H + Hkv) * dh + 6 * B * H * T * T + 6 * rows * hid + 2 * rows * d) + 4 * rows * d;
        QCOMPARE(b.a.totalFlops, gemm + elem);
    }

    // GPT-2 small: 124,439,808 parameters with the LM head tied; untied here, so + V d.
    void gpt2SmallParams() {
        Built b;
        std::map<std::string, std::string> over{{"preset", "gpt2"}, {"vocab", "50257"}, {"ctx", "1024"}, {"d_model", "768"}, {"layers", "12"},
                                                {"heads", "12"}, {"seq", "4"}};
        Graph g;
        std::string err;
        QVERIFY2(instantiateTemplate(*findTemplate("gpt"), over, &g, &err), err.c_str());
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        const int64_t V = 50257, C = 1024, d = 768, L = 12;
        QCOMPARE(a.totalParams, V * d + C * d + L * (4 * (d * d + d) + 2 * d * 4 * d + 4 * d + d + 4 * d) + 2 * d + V * d);
        QCOMPARE(a.totalParams, int64_t(124439808) + V * d);
    }

    // GPT-2 small with its LM head tied to the token embedding: the published 124,439,808.
    void gpt2SmallTiedParams() {
        Graph g;
        std::string err;
        QVERIFY2(instantiateTemplate(*findTemplate("gpt"), {{"preset", "gpt2"}, {"vocab", "50257"}, {"ctx", "1024"}, {"d_model", "768"},
                                                            {"layers", "12"}, {"heads", "12"}, {"seq", "4"}, {"tie_embeddings", "true"}}, &g, &err),
                 err.c_str());
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.totalParams, int64_t(124439808));
    }

    // The tied head computes logits with the embedding table: the same design untied, with the
    // table copied into the head, gives the same logits; and the tied store holds no head weight.
    void tiedHeadUsesTheEmbedding() {
        Built t;
        QVERIFY2(build("gpt", {{"tie_embeddings", "true"}, {"seq", "6"}}, &t), t.error.c_str());
        QVERIFY(t.w.find("embed", "weight"));
        QVERIFY(!t.w.find("lm_head", "weight"));
        RunResult rt = makeCpuBackend()->run({&t.g, &t.a, &t.w, t.inputs, 11, false});
        QVERIFY2(rt.ok, rt.error.c_str());

        Built u;
        QVERIFY2(build("gpt", {{"tie_embeddings", "true"}, {"seq", "6"}}, &u), u.error.c_str());
        u.g.node("lm_head")->weightsOf.clear();
        u.a = analyze(u.g, {});
        QVERIFY2(u.a.ok(), u.a.errorText().c_str());
        QCOMPARE(u.a.totalParams, t.a.totalParams + 256 * 64);
        u.w.set("lm_head", "weight", *t.w.find("embed", "weight"));
        QVERIFY(u.w.materialize(u.a, u.g.weights.seed, &u.error));
        RunResult ru = makeCpuBackend()->run({&u.g, &u.a, &u.w, t.inputs, 11, false});
        QVERIFY2(ru.ok, ru.error.c_str());
        std::string where;
        QCOMPARE(test::worstViolation(ru.outputs.at("logits"), rt.outputs.at("logits"), 0, 0, &where), 0.0);
        // A different table in the untied head changes the logits (the comparison can fail).
        Tensor other = *t.w.find("embed", "weight");
        other.f32()[0] += 1.0f;
        u.w.set("lm_head", "weight", other);
        RunResult r2 = makeCpuBackend()->run({&u.g, &u.a, &u.w, t.inputs, 11, false});
        QVERIFY(test::worstViolation(r2.outputs.at("logits"), rt.outputs.at("logits"), 0, 0, &where) > 0);
    }

    // weights_of that names a missing node or a node with other shapes is an analysis error.
    void tiedWeightsErrors() {
        Built t;
        QVERIFY2(build("gpt", {{"tie_embeddings", "true"}}, &t), t.error.c_str());
        Graph g = t.g;
        g.node("lm_head")->weightsOf = "embedding";
        Analysis a = analyze(g, {});
        QVERIFY(!a.ok());
        QVERIFY2(a.errorText().find("weights_of names \"embedding\"") != std::string::npos, a.errorText().c_str());
        g.node("lm_head")->weightsOf = "embed";
        g.node("lm_head")->attrs["out_features"] = int64_t(100);
        a = analyze(g, {});
        QVERIFY(!a.ok());
        QVERIFY2(a.errorText().find("[100, 64] but \"embed\"'s is [256, 64]") != std::string::npos, a.errorText().c_str());
        // weights_of survives a save and load.
        Graph back;
        LoadResult lr = parseDesign(serializeDesign(t.g), "tied.json", &back);
        QVERIFY2(lr.ok, lr.error.c_str());
        QCOMPARE(back.node("lm_head")->weightsOf, std::string("embed"));
    }

    // Activator's lean variant drops each block's second MLP (LayerNorm 2c, ffn c->4c->c with biases).
    void metaformerActivatorLean() {
        Built full, lean;
        QVERIFY2(build("metaformer", {{"mixer", "activator"}}, &full), full.error.c_str());
        QVERIFY2(build("metaformer", {{"mixer", "activator"}, {"lean", "true"}}, &lean), lean.error.c_str());
        int64_t mlp = 0;
        const int64_t dims[] = {16, 32, 64, 128}, depths[] = {1, 1, 2, 1};
        for (int s = 0; s < 4; ++s) mlp += depths[s] * (2 * dims[s] + 4 * dims[s] * dims[s] + 4 * dims[s] + 4 * dims[s] * dims[s] + dims[s]);
        QCOMPARE(full.a.totalParams - lean.a.totalParams, mlp);
        RunResult r = makeCpuBackend()->run({&lean.g, &lean.a, &lean.w, lean.inputs, 11, false});
        QVERIFY2(r.ok, r.error.c_str());
    }

    // DeiT-Tiny: 5,717,416 parameters (timm deit_tiny_patch16_224).
    void vitCounts() {
        Graph g;
        std::string err;
        QVERIFY2(instantiateTemplate(*findTemplate("vit"), {{"image", "224"}, {"patch", "16"}, {"layers", "12"}, {"classes", "1000"}}, &g, &err),
                 err.c_str());
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(a.totalParams, int64_t(5717416));
        const int64_t d = 192, L = 12, N = 197, P = 196, hid = 768, H = 3, dh = 64, C = 1000;
        QCOMPARE(a.totalParams, 3 * 256 * d + d + d + N * d + L * (4 * (d * d + d) + 2 * d * hid + hid + d + 4 * d) + 2 * d + d * C + C);
        // FLOPs for one image: patch conv, then per layer q/k/v/o + MLP GEMMs with biases,
        // scaled scores and context, and the classifier on the class token.
        const int64_t conv = 2 * P * d * 3 * 256 + P * d;
        const int64_t lin = (2 * N * d * d + N * d) * 4 + (2 * N * d * hid + N * hid) + (2 * N * hid * d + N * d);
        const int64_t att = H * (2 * N * N * dh + N * N) + H * 2 * N * N * dh;
        const int64_t gemm = conv + L * (lin + att) + 2 * d * C + C;
        QCOMPARE(sumFlops(a, {"linear", "matmul", "conv2d"}), gemm);
        // Elementwise: positions 1, LayerNorm 8, softmax 5, GELU 6, residual add 1 (per element).
        const int64_t elem = N * d + L * (2 * 8 * N * d + 5 * H * N * N + 6 * N * hid + 2 * N * d) + 8 * N * d;
        QCOMPARE(a.totalFlops, gemm + elem);
    }

    // k loops of the hand-built layer = k gradient-descent steps on the prompt's least squares.
    void loopedIclEqualsGradientDescent() {
        const int d = 3, n = 20, B = 2;
        const double eta = 0.9;
        std::mt19937 rng(5);
        std::normal_distribution<double> N01;
        Eigen::MatrixXd X[B], Xq(B, d);
        Eigen::VectorXd y[B], yq(B);
        Tensor xs(DType::F32, {B, n + 1, d}), ys(DType::F32, {B, n, 1});
        for (int p = 0; p < B; ++p) {
            Eigen::VectorXd w = Eigen::VectorXd::NullaryExpr(d, [&] { return N01(rng); });
            X[p] = Eigen::MatrixXd::NullaryExpr(n, d, [&] { return N01(rng); });
            for (int j = 0; j < d; ++j) Xq(p, j) = N01(rng);
            y[p] = X[p] * w + 0.1 * Eigen::VectorXd::NullaryExpr(n, [&] { return N01(rng); });
            yq(p) = Xq.row(p).dot(w);
            for (int i = 0; i <= n; ++i)
                for (int j = 0; j < d; ++j) xs.f32()[(p * (n + 1) + i) * d + j] = float(i < n ? X[p](i, j) : Xq(p, j));
            for (int i = 0; i < n; ++i) ys.f32()[p * n + i] = float(y[p](i));
        }
        for (int k : {1, 2, 5, 60}) {
            Built b;
            QVERIFY2(build("looped_icl", {{"dim", "3"}, {"examples", "20"}, {"eta", "0.9"}, {"loops", std::to_string(k)}, {"batch", "2"}}, &b),
                     b.error.c_str());
            QCOMPARE(b.a.totalParams, int64_t(4 * (d + 1) * (d + 1)));  // one layer, whatever k
            RunResult r = makeCpuBackend()->run({&b.g, &b.a, &b.w, {{"xs", xs}, {"ys", ys}}, 0, false});
            QVERIFY2(r.ok, r.error.c_str());
            const Tensor& pred = r.outputs.at("pred");
            QCOMPARE(pred.shape(), (std::vector<int64_t>{B, 1, 1}));
            for (int p = 0; p < B; ++p) {
                Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
                for (int s = 0; s < k; ++s) w += eta / n * X[p].transpose() * (y[p] - X[p] * w);
                const double gd = Xq.row(p).dot(w), got = pred.f32()[p];
                const double errGd = std::abs(gd - yq(p)), errLoop = std::abs(got - yq(p));
                QVERIFY2(std::abs(got - gd) <= 1e-4 * (1 + std::abs(gd)), qPrintable(QString("k=%1 prompt %2: loop %3, GD %4").arg(k).arg(p).arg(got).arg(gd)));
                QVERIFY2(std::abs(errLoop - errGd) <= 1e-4 * (1 + errGd), qPrintable(QString("k=%1: error %2 vs GD %3").arg(k).arg(errLoop).arg(errGd)));
                if (k == 60) {  // converged: the least-squares prediction
                    Eigen::VectorXd ls = X[p].colPivHouseholderQr().solve(y[p]);
                    QVERIFY2(std::abs(got - Xq.row(p).dot(ls)) < 1e-3, qPrintable(QString("k=60: %1 vs least squares %2").arg(got).arg(Xq.row(p).dot(ls))));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestTemplates)
#include "test_templates.moc"
