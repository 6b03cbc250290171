// KV-cache decoding with the mha block: a prompt pass (cache = false) followed by
// one-token steps (cache = true, past_k/past_v fed back from present_k/present_v)
// gives, token by token, the output of one causal pass over the whole sequence
// (itself checked against PyTorch in test_blocks_a). Same weights: the graphs share
// the node id "attn" and one WeightStore. CPU and Vulkan (skipped without a device).
#include "core/registry.h"
#include "graph/analysis.h"
#include "op_case.h"
#include "probes/probes.h"
#include "runtime/backend.h"
#include "runtime/weights.h"
#include "vulkan_test_util.h"

#include <QtTest>

using namespace archscope;

namespace {

constexpr int64_t B = 2, D = 32, H = 4, HKV = 2, DH = D / H, T = 7, PROMPT = 4;

using AttrMap = std::map<std::string, AttrValue>;

// x [B, t, D] (and past_k/past_v [B, HKV, p, DH] when p > 0) -> attn -> y, present_k, present_v
Graph stepGraph(const AttrMap& attn, int64_t t, int64_t p) {
    Graph g;
    auto shape = [](std::vector<int64_t> s) {
        std::string r;
        for (auto v : s) r += (r.empty() ? "" : ", ") + std::to_string(v);
        return r;
    };
    g.addNode({"x", "input", {{"shape", shape({B, t, D})}}});
    AttrMap a = attn;
    a["cache"] = p > 0;
    g.addNode({"attn", "mha", a});
    g.connect({"x", "y"}, {"attn", "x"});
    if (p > 0) {
        g.addNode({"past_k", "input", {{"shape", shape({B, HKV, p, DH})}}});
        g.addNode({"past_v", "input", {{"shape", shape({B, HKV, p, DH})}}});
        g.connect({"past_k", "y"}, {"attn", "past_k"});
        g.connect({"past_v", "y"}, {"attn", "past_v"});
    }
    for (auto* o : {"y", "present_k", "present_v"}) {
        g.addNode({std::string("out_") + o, "output"});
        g.connect({"attn", o}, {std::string("out_") + o, "x"});
    }
    return g;
}

Tensor sliceT(const Tensor& x, int64_t from, int64_t len) {  // [B, T, D] -> [B, len, D]
    Tensor y(DType::F32, {x.dim(0), len, x.dim(2)});
    for (int64_t b = 0; b < x.dim(0); ++b)
        std::copy_n(x.f32() + (b * x.dim(1) + from) * x.dim(2), len * x.dim(2), y.f32() + b * len * x.dim(2));
    return y;
}

struct Runner {
    Backend* backend;
    WeightStore w;
    std::string error;
    bool run(const Graph& g, std::map<std::string, Tensor> in, RunResult* r) {
        Analysis a = analyze(g, {});
        if (!a.ok()) return error = a.errorText(), false;
        if (!w.materialize(a, 5, &error)) return false;
        *r = backend->run({&g, &a, &w, std::move(in), 5, false});
        if (!r->ok) error = r->error;
        return r->ok;
    }
};

// Decodes token by token and compares with the full pass; returns the worst violation.
double decodeMatchesFullPass(Backend* backend, const AttrMap& attn, std::string* where) {
    Runner run{backend, {}, {}};
    Tensor x(DType::F32, {B, T, D});
    fillRandom(x, Init::Normal, 1.0f, 77);
    RunResult full;
    if (!run.run(stepGraph(attn, T, 0), {{"x", x}}, &full)) return *where = run.error, 1e9;
    RunResult step;
    if (!run.run(stepGraph(attn, PROMPT, 0), {{"x", sliceT(x, 0, PROMPT)}}, &step)) return *where = run.error, 1e9;
    double worst = test::worstViolation(step.outputs.at("out_y"), sliceT(full.outputs.at("out_y"), 0, PROMPT), 1e-5, 1e-5, where);
    for (int64_t t = PROMPT; t < T && worst == 0; ++t) {
        Tensor pk = step.outputs.at("out_present_k"), pv = step.outputs.at("out_present_v");
        if (pk.dim(2) != t) return *where = "present_k has " + std::to_string(pk.dim(2)) + " positions, expected " + std::to_string(t), 1e9;
        if (!run.run(stepGraph(attn, 1, t), {{"x", sliceT(x, t, 1)}, {"past_k", pk}, {"past_v", pv}}, &step)) return *where = run.error, 1e9;
        worst = test::worstViolation(step.outputs.at("out_y"), sliceT(full.outputs.at("out_y"), t, 1), 1e-5, 1e-5, where);
        if (worst) *where = "step " + std::to_string(t) + ": " + *where;
    }
    // The final cache is the full pass's keys and values.
    if (worst == 0) worst = test::worstViolation(step.outputs.at("out_present_k"), full.outputs.at("out_present_k"), 1e-5, 1e-5, where);
    return worst;
}

void addCases() {
    QTest::addColumn<QString>("pos");
    QTest::addColumn<int>("window");
    QTest::newRow("rope-causal") << "rope" << 0;
    QTest::newRow("alibi-causal") << "alibi" << 0;
    QTest::newRow("none-window3") << "none" << 3;
    QTest::newRow("relative-causal") << "relative" << 0;
}

AttrMap attrsFor(const QString& pos, int window) {
    return {{"d_model", D}, {"heads", H}, {"kv_heads", HKV}, {"causal", true}, {"pos", pos.toStdString()}, {"window", int64_t(window)}};
}

}  // namespace

class TestKvCache : public QObject {
    Q_OBJECT
private slots:
    void cpuDecodeMatchesFullPass_data() { addCases(); }
    void cpuDecodeMatchesFullPass() {
        QFETCH(QString, pos);
        QFETCH(int, window);
        auto cpu = makeCpuBackend();
        std::string where;
        QVERIFY2(decodeMatchesFullPass(cpu.get(), attrsFor(pos, window), &where) == 0, where.c_str());
    }

    void vulkanDecodeMatchesFullPass_data() { addCases(); }
    void vulkanDecodeMatchesFullPass() {
        QFETCH(QString, pos);
        QFETCH(int, window);
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        std::string where;
        QVERIFY2(decodeMatchesFullPass(vkb.get(), attrsFor(pos, window), &where) == 0, where.c_str());
    }

    // A stale cache (wrong offset) must change the result: the check above can fail.
    void wrongOffsetDiffers() {
        auto cpu = makeCpuBackend();
        AttrMap a = attrsFor("rope", 0);
        a["offset"] = int64_t(1);
        std::string where;
        QVERIFY(decodeMatchesFullPass(cpu.get(), a, &where) > 0);
    }

    void cacheWithoutPastIsAClearError() {
        Graph g = stepGraph(attrsFor("rope", 0), 1, 0);
        g.node("attn")->attrs["cache"] = true;
        Analysis a = analyze(g, {});
        QVERIFY(!a.ok());
        QVERIFY2(a.errorText().find("node \"attn\" input \"past_k\": not connected") != std::string::npos, a.errorText().c_str());
    }

    // KV-cache bytes of the memory probe: present_k + present_v of decoder attention.
    void kvCacheBytes() {
        Graph g = stepGraph(attrsFor("rope", 0), 1, 5);
        Analysis a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(probes::memoryStats(a).kvCacheBytes, int64_t(2 * B * HKV * 6 * DH * 4));
        g.node("attn")->attrs["causal"] = false;  // an encoder with no cache keeps nothing
        g.node("attn")->attrs["cache"] = false;
        g.removeNode("past_k");
        g.removeNode("past_v");
        a = analyze(g, {});
        QVERIFY2(a.ok(), a.errorText().c_str());
        QCOMPARE(probes::memoryStats(a).kvCacheBytes, int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestKvCache)
#include "test_kv_cache.moc"
