// Templates mamba_lm, linear_lm, moe_lm: they build, validate and run; the linear-attention
// modes give the same logits; parameter and FLOP counts of mamba_lm and moe_lm match the
// closed forms written out below from the papers' layer structure and the ops' cost rules.
#include "graph/analysis.h"
#include "runtime/backend.h"
#include "templates/template_def.h"

#include <QtTest>

#include <chrono>
#include <cmath>

using namespace archscope;

namespace {

// Resolves defaults plus `over` and calls the builder directly (independent of the CLI path).
Graph build(const std::string& name, std::map<std::string, AttrValue> over = {}) {
    const TemplateDef* t = findTemplate(name);
    if (!t) qFatal("template %s is not registered", name.c_str());
    Attrs p;
    for (auto& a : t->params) p.set(a.name, a.def);
    for (auto& [k, v] : over) p.set(k, v);
    Graph g;
    std::string err;
    if (!t->build(p, &g, &err)) qFatal("%s: %s", name.c_str(), err.c_str());
    return g;
}

struct Ran {
    Analysis a;
    RunResult r;
};

Ran run(const Graph& g) {
    Ran out;
    out.a = analyze(g, {});
    if (!out.a.ok()) qFatal("%s", out.a.errorText().c_str());
    WeightStore w;
    std::string err;
    if (!w.materialize(out.a, 0, &err)) qFatal("%s", err.c_str());
    out.r = makeCpuBackend()->run({&g, &out.a, &w, {}, 0, false});
    if (!out.r.ok) qFatal("%s", out.r.error.c_str());
    return out;
}

bool allFinite(const Tensor& t) {
    for (int64_t i = 0; i < t.numel(); ++i)
        if (!std::isfinite(t.f32()[i])) return false;
    return true;
}

double maxAbsDiff(const Tensor& a, const Tensor& b) {
    double m = 0;
    for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, double(std::abs(a.f32()[i] - b.f32()[i])));
    return m;
}

}  // namespace

class TestTemplatesC : public QObject {
    Q_OBJECT
private slots:
    void templatesBuildAndRun_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("mamba") << "mamba_lm" << "preset" << "mamba";
        QTest::newRow("mamba hybrid") << "mamba_lm" << "preset" << "hybrid";
        QTest::newRow("gla") << "linear_lm" << "kind" << "gla";
        QTest::newRow("retnet") << "linear_lm" << "kind" << "retnet";
        QTest::newRow("deltanet") << "linear_lm" << "kind" << "deltanet";
        QTest::newRow("linear elu1") << "linear_lm" << "kind" << "linear";
        QTest::newRow("switch") << "moe_lm" << "preset" << "switch";
        QTest::newRow("top2") << "moe_lm" << "preset" << "top2";
        QTest::newRow("shared") << "moe_lm" << "preset" << "shared";
    }
    void templatesBuildAndRun() {
        QFETCH(QString, name);
        QFETCH(QString, key);
        QFETCH(QString, value);
        const TemplateDef* t = findTemplate(name.toStdString());
        QVERIFY(t);
        QVERIFY(t->description.size() > 100);
        const auto t0 = std::chrono::steady_clock::now();
        Ran r = run(build(name.toStdString(), {{key.toStdString(), value.toStdString()}}));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const Tensor& y = r.r.outputs.at("logits");
        QCOMPARE(y.shape(), (std::vector<int64_t>{1, 32, 256}));
        QVERIFY(allFinite(y));
        double spread = 0;
        for (int64_t i = 0; i < y.numel(); ++i) spread = std::max(spread, double(std::abs(y.f32()[i])));
        QVERIFY2(spread > 1e-3, "logits are all ~0: the model computes nothing");
        qInfo("%s %s: %.3f s on CPU, %lld params", qPrintable(name), qPrintable(value), s, (long long)r.a.totalParams);
    }

    void hybridPresetsMixInAttention() {
        Analysis a = analyze(build("mamba_lm", {{"preset", std::string("hybrid")}, {"layers", int64_t(8)}}), {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QVERIFY(a.composites.count("layer3_attn") && a.composites.count("layer7_attn"));
        QVERIFY(a.composites.count("layer0_mamba") && !a.composites.count("layer3_mamba"));
        Analysis l = analyze(build("linear_lm", {{"hybrid_ratio", int64_t(1)}}), {});
        QVERIFY2(l.ok(), l.errorText().c_str());
        QVERIFY(l.composites.count("layer0_linear_attn") && l.composites.count("layer1_attn") && l.composites.count("layer3_attn"));
    }

    void linearLmModesAgree_data() {
        QTest::addColumn<QString>("kind");
        for (const char* k : {"gla", "retnet", "deltanet", "linear"}) QTest::newRow(k) << k;
    }
    void linearLmModesAgree() {
        QFETCH(QString, kind);
        std::map<std::string, Tensor> y;
        for (const char* mode : {"parallel", "chunked", "recurrent"})
            y[mode] = run(build("linear_lm", {{"kind", kind.toStdString()}, {"mode", std::string(mode)}, {"chunk", int64_t(7)}})).r.outputs.at("logits");
        QVERIFY2(maxAbsDiff(y["parallel"], y["recurrent"]) < 1e-4, std::to_string(maxAbsDiff(y["parallel"], y["recurrent"])).c_str());
        QVERIFY2(maxAbsDiff(y["chunked"], y["recurrent"]) < 1e-4, std::to_string(maxAbsDiff(y["chunked"], y["recurrent"])).c_str());
    }

    // Mamba LM (Gu & Dao 2023): per layer RMSNorm, in_proj D->2E, depthwise causal conv (K taps,
    // bias), x_proj E->R+2N, dt_proj R->E (bias), A_log [E, N], D [E], out_proj E->D.
    void mambaLmClosedForm() {
        const int64_t V = 256, D = 64, L = 4, N = 16, K = 4, E = 2 * D, R = (D + 15) / 16, B = 1, T = 32, M = B * T;
        Analysis a = analyze(build("mamba_lm"), {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        const int64_t layerParams = D + D * 2 * E + (E * K + E) + E * (R + 2 * N) + (R * E + E) + E * N + E + E * D;
        QCOMPARE(a.totalParams, V * D + L * layerParams + D + D * V);
        // FLOPs, counting as the ops do: GEMM 2*M*in*out (+M*out bias); RMSNorm 4 per element;
        // SiLU 5, softplus 4, SiLU gate 6, add 1 per element; conv 2*K per output (+1 bias);
        // selective scan (8N + 2) per (token, channel); embedding and layout ops 0.
        const int64_t layerFlops = 4 * M * D + 2 * M * D * 2 * E + (2 * M * E * K + M * E) + 5 * M * E + 2 * M * E * (R + 2 * N) +
                                   (2 * M * R * E + M * E) + 4 * M * E + M * E * (8 * N + 2) + 6 * M * E + 2 * M * E * D + M * D;
        QCOMPARE(a.totalFlops, L * layerFlops + 4 * M * D + 2 * M * D * V);
    }

    // MoE Transformer, Switch preset (Fedus et al. 2021): per layer RMSNorm, causal RoPE MHA
    // without biases, RMSNorm, router D->E, E experts of D->H->D (with biases), top-1.
    void moeLmClosedForm() {
        const int64_t V = 256, D = 64, L = 2, Hh = 4, dh = D / Hh, E = 8, Hd = 128, k = 1, B = 1, T = 32, M = B * T;
        Analysis a = analyze(build("moe_lm"), {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        const int64_t layerParams = D + 4 * D * D + D + D * E + E * (2 * D * Hd + Hd + D);
        QCOMPARE(a.totalParams, V * D + L * layerParams + D + D * V);
        const int64_t S = B * Hh * T * T;  // attention score elements
        const int64_t attn = 3 * 2 * M * D * D   // q, k, v projections
                             + 2 * 3 * M * D     // RoPE on q and k: 3 per rotated element
                             + 2 * S * dh + S    // q k^T and its 1/sqrt(dh) scale
                             + 6 * S             // masked softmax
                             + 2 * S * dh        // probabilities x v
                             + 2 * M * D * D;    // output projection
        const int64_t lgE = 3;                   // ceil(log2 E) comparisons per expert in the ranking
        const int64_t moe = 2 * M * D * E + 5 * M * E + M * (E * lgE + k) + M * k * (4 * D * Hd + 5 * Hd + 3 * D);
        const int64_t layerFlops = 4 * M * D + attn + M * D + 4 * M * D + moe + M * D;
        QCOMPARE(a.totalFlops, L * layerFlops + 4 * M * D + 2 * M * D * V);
    }

    void moeLmReportsRouterLoad() {
        Ran r = run(build("moe_lm", {{"preset", std::string("top2")}}));
        const Tensor& load = r.r.outputs.at("layer0_load");
        QCOMPARE(load.shape(), (std::vector<int64_t>{8}));
        double sum = 0;
        for (int64_t e = 0; e < 8; ++e) sum += load.f32()[e];
        QVERIFY(std::abs(sum - 2.0) < 1e-5);  // every token picks two experts
    }

    void badParameterNamesTheProblem() {
        const TemplateDef* t = findTemplate("moe_lm");
        Attrs p;
        for (auto& a : t->params) p.set(a.name, a.def);
        p.set("heads", int64_t(5));
        Graph g;
        std::string err;
        QVERIFY(!t->build(p, &g, &err));
        QVERIFY2(QString::fromStdString(err).contains("heads"), err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTemplatesC)
#include "test_templates_c.moc"
