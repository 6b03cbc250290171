// Design exports: ONNX export passes the checker and re-imports to the same
// outputs; the PyTorch export, run by Debian's python3-torch, reproduces the
// engine's outputs (QSKIP without /usr/bin/python3 + torch); safetensors of
// the state dict; unsupported ops are named.
#include "core/registry.h"
#include "graph/design_io.h"
#include "interop/export.h"
#include "interop/onnx_import.h"
#include "op_case.h"
#include "ops/common.h"
#include "pytorch_export_cases.h"
#include "templates/template_def.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include "onnx_test_util.h"

#include <QtTest>
#include <limits>

using namespace archscope;

namespace {

const auto fixture = &test::onnxFixture;

// A design with its weights and inputs, run on the CPU.
struct Design {
    Graph g;
    Analysis a;
    WeightStore w;
    std::map<std::string, Tensor> inputs;
    RunResult r;
    std::string error;

    bool finish(uint64_t seed = 1) {
        a = analyze(g, {});
        if (!a.ok()) { error = a.errorText(); return false; }
        if (!w.materialize(a, seed, &error)) return false;
        for (auto& id : a.order) {
            const NodeInfo& info = a.nodes.at(id);
            if (info.def->id == "input" && !inputs.count(id)) inputs[id] = generateInput(id, info, seed);
        }
        r = makeCpuBackend()->run({&g, &a, &w, inputs, seed, false});
        if (!r.ok) error = r.error;
        return r.ok;
    }
    bool fromOnnx(const std::string& model) {
        TensorMap weights;
        if (!importOnnxFile(fixture(model + ".onnx"), {}, &g, &weights, nullptr, &error)) return false;
        w.all() = weights;
        TensorMap io;
        if (!readSafetensors(fixture(model + ".io.safetensors"), &io, &error)) return false;
        for (auto& n : g.nodes())
            if (n.op == "input") inputs[n.id] = io.at("in." + n.label);
        return finish();
    }
};

bool sameOutputs(const RunResult& a, const RunResult& b, double rtol, std::string* why) {
    if (a.outputs.size() != b.outputs.size()) { *why = "output count differs"; return false; }
    for (auto& [id, t] : a.outputs) {
        auto it = b.outputs.find(id);
        if (it == b.outputs.end()) { *why = "missing output " + id; return false; }
        std::string where;
        if (test::worstViolation(it->second, t, rtol, 1e-5, &where) > 0) { *why = id + ": " + where; return false; }
    }
    return true;
}

bool havePyTorch() {
    QProcess p;
    p.start("/usr/bin/python3", {"-c", "import torch"});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

const char* kModels[] = {"transformer", "vit", "mixer", "convnext", "mobilenetv2", "llama"};

// Low-rank linears into clipped softmaxes: attn_softmax over keys with a given mask [6, 6]
// (causal; row 2 all -inf and row 3 all -1e9: fully masked rows give zeros, not gamma), softmax along axis 1.
void lowRankClipped(Design& d) {
    d.g.metadata["name"] = "low rank clipped";
    d.g.addNode({"x", "input", {{"shape", std::string("2, 2, 6, 16")}}});
    d.g.addNode({"mask", "input", {{"shape", std::string("6, 6")}}});
    d.g.addNode({"lr", "linear", {{"out_features", int64_t(6)}, {"rank", int64_t(3)}}});
    d.g.addNode({"lr2", "linear", {{"out_features", int64_t(6)}, {"rank", int64_t(4)}, {"bias", false}}});
    d.g.addNode({"attn", "attn_softmax", {{"zeta", 1.1}, {"gamma", 0.02}, {"temperature", 0.5}}});  // gamma > 0: kept rows >= 0.02
    d.g.addNode({"sm", "softmax", {{"zeta", 1.2}, {"gamma", -0.05}, {"axis", int64_t(1)}}});
    d.g.addNode({"y", "output"});
    d.g.addNode({"y2", "output"});
    d.g.connect({"x", "y"}, {"lr", "x"});
    d.g.connect({"x", "y"}, {"lr2", "x"});
    d.g.connect({"lr", "y"}, {"attn", "x"});
    d.g.connect({"mask", "y"}, {"attn", "mask"});
    d.g.connect({"lr2", "y"}, {"sm", "x"});
    d.g.connect({"attn", "y"}, {"y", "x"});
    d.g.connect({"sm", "y"}, {"y2", "x"});
    Tensor m(DType::F32, {6, 6});
    for (int64_t i = 0; i < 6; ++i)
        for (int64_t j = 0; j < 6; ++j)
            m.f32()[i * 6 + j] = i == 3 ? -1e9f : (j > i || i == 2) ? -std::numeric_limits<float>::infinity() : 0.0f;
    d.inputs["mask"] = m;
}

// ---- Recurrences and mixture of experts (pytorch_export_seq.cpp): template rows of
// pytorchReproducesOutputs, named "seq <template> ...". Small sizes (one or two layers, seq 8);
// "seq moe_route ties" is a designed graph (moeRouteTies).
struct SeqCase {
    std::string name, tmpl;
    std::map<std::string, std::string> params;
    std::string call;  // expected in the generated code
};

std::vector<SeqCase> seqCases() {
    std::vector<SeqCase> v = {{"seq mamba_lm", "mamba_lm", {{"layers", "1"}, {"seq", "8"}, {"batch", "2"}}, "SelectiveScan("}};
    for (std::string kind : {"gla", "retnet", "deltanet", "linear"})
        for (std::string mode : {"recurrent", "chunked", "parallel"}) {
            if (mode == "parallel" && kind != "retnet" && kind != "deltanet") continue;  // the fixed-decay and delta paths
            const bool delta = kind == "deltanet";
            const std::string call = mode == "recurrent" ? (delta ? "delta_rule_scan(" : "decay_scan(")
                                                         : std::string(delta ? "delta_rule_attention(" : "decay_attention(");
            v.push_back({"seq linear_lm " + kind + " " + mode, "linear_lm",
                         {{"kind", kind}, {"mode", mode}, {"chunk", "3"}, {"layers", "1"}, {"hybrid_ratio", "0"}, {"seq", "8"}, {"batch", "2"}},
                         mode == "recurrent" ? call : call + "*" + (mode == "chunked" ? "chunk=3)" : "chunk=None)")});
        }
    // Capacity factor 0.5, 8 experts, 16 tokens: top-1 admits at most 8 x ceil(0.5*16*1/8) = 8 of 16
    // assignments, top-2 at most 8 x 2 = 16 of 32, so tokens are dropped in every layer.
    // shared: top-2 and a shared expert, capacity unlimited.
    for (std::string preset : {"switch", "top2", "shared"}) {
        const std::string cf = preset == "shared" ? "0" : "0.5";
        v.push_back({"seq moe_lm " + preset, "moe_lm",
                     {{"preset", preset}, {"layers", "2"}, {"seq", "8"}, {"batch", "2"}, {"capacity_factor", cf}, {"d_model", "32"}, {"hidden", "32"}},
                     "MoEExperts(8, 32, 32, act=\"gelu\")*moe_route(*k=" + std::string(preset == "switch" ? "1" : "2") +
                         ", capacity_factor=" + (cf == "0" ? "0.0" : cf) + ", normalize=" + (preset == "switch" ? "False" : "True") + ")"});
    }
    v.push_back({"seq moe_route ties", "", {}, "moe_route(probs, k=2, capacity_factor=0.75, normalize=True)"});
    return v;
}

// moe_route alone on probabilities full of ties (the lower expert wins) with a capacity that drops:
// 16 tokens, 4 experts, k = 2, capacity ceil(0.75 * 16 * 2 / 4) = 6, so 24 of 32 assignments at most.
void moeRouteTies(Design& d) {
    d.g.addNode({"probs", "input", {{"shape", std::string("2, 8, 4")}}});
    d.g.addNode({"route", "moe_route", {{"k", int64_t(2)}, {"capacity_factor", 0.75}, {"normalize", true}}});
    d.g.connect({"probs", "y"}, {"route", "probs"});
    for (const char* o : {"gates", "load", "kept"}) {
        d.g.addNode({o, "output"});
        d.g.connect({"route", o}, {o, "x"});
    }
    const float rows[4][4] = {{0.25f, 0.25f, 0.25f, 0.25f}, {0.1f, 0.4f, 0.1f, 0.4f}, {0.1f, 0.3f, 0.3f, 0.3f}, {0.5f, 0.2f, 0.2f, 0.1f}};
    Tensor p(DType::F32, {2, 8, 4});
    for (int64_t n = 0; n < 16; ++n)
        for (int64_t e = 0; e < 4; ++e) p.f32()[n * 4 + e] = rows[(n * 3) % 4][e];
    d.inputs["probs"] = p;
}

}  // namespace

class TestInteropExport : public QObject {
    Q_OBJECT

    // Runs the generated file with /usr/bin/python3 on d.inputs; every output must
    // match the CPU backend's (d.r) in dtype and within 1e-4.
    void runInPyTorch(const Design& d, const std::string& code, const TensorMap& state) {
        std::string err;
        if (!havePyTorch()) QSKIP("/usr/bin/python3 with torch is not available");
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        QVERIFY(writeFileAtomic(base + "/model.py", code, &err));
        QVERIFY(writeSafetensors(base + "/model.safetensors", state, &err));
        QVERIFY(writeSafetensors(base + "/in.safetensors", d.inputs, &err));
        QProcess p;
        p.start("/usr/bin/python3", {QString::fromStdString(base + "/model.py"), "--inputs", QString::fromStdString(base + "/in.safetensors"),
                                     "--outputs", QString::fromStdString(base + "/out.safetensors")});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        TensorMap outs;
        QVERIFY2(readSafetensors(base + "/out.safetensors", &outs, &err), err.c_str());
        QCOMPARE(outs.size(), d.r.outputs.size());
        for (auto& [id, want] : d.r.outputs) {
            std::string where;
            QVERIFY2(outs.count(id), id.c_str());
            QVERIFY2(outs.at(id).dtype() == want.dtype(), id.c_str());
            QVERIFY2(test::worstViolation(outs.at(id), want, 1e-4, 1e-5, &where) == 0, (id + ": " + where).c_str());
        }
    }

private slots:
    void onnxRoundTrip_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
    }
    void onnxRoundTrip() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        QFETCH(QString, model);
        Design d;
        QVERIFY2(d.fromOnnx(model.toStdString()), d.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(d.g, d.a, d.w, &bytes, &err), err.c_str());  // includes onnx::checker
        Design back;
        TensorMap weights;
        OnnxImportReport rep;
        QVERIFY2(importOnnxBytes(bytes, "exported.onnx", ".", {}, &back.g, &weights, &rep, &err), err.c_str());
        back.w.all() = weights;
        back.inputs = d.inputs;  // input node ids survive the round trip
        QVERIFY2(back.finish(), back.error.c_str());
        std::string why;
        QVERIFY2(sameOutputs(d.r, back.r, 1e-5, &why), why.c_str());
        // Lifted ops come back as themselves.
        std::map<std::string, int> before, after;
        for (auto& n : d.g.nodes()) ++before[n.op];
        for (auto& n : back.g.nodes()) ++after[n.op];
        for (const char* op : {"layernorm", "rmsnorm", "gelu", "attn_softmax", "linear", "conv2d", "embedding"})
            QVERIFY2(before[op] == after[op], (std::string(op) + " count changed in the round trip").c_str());
    }

    // A designed (not imported) graph with a composite block, exported and re-imported.
    void onnxExportOfCompositeDesign() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        if (!OpRegistry::global().find("ffn")) QSKIP("no ffn block in this build");
        Design d;
        d.g.addNode({"x", "input", {{"shape", std::string("2, 5, 16")}}});
        d.g.addNode({"mlp", "ffn", {{"d_model", int64_t(16)}, {"hidden", int64_t(32)}, {"act", std::string("gelu")}}});
        d.g.addNode({"y", "output"});
        d.g.connect({"x", "y"}, {"mlp", "x"});
        d.g.connect({"mlp", "y"}, {"y", "x"});
        QVERIFY2(d.finish(), d.error.c_str());
        std::string bytes, err;
        QVERIFY2(exportOnnx(d.g, d.a, d.w, &bytes, &err), err.c_str());
        Design back;
        TensorMap weights;
        QVERIFY2(importOnnxBytes(bytes, "ffn.onnx", ".", {}, &back.g, &weights, nullptr, &err), err.c_str());
        back.w.all() = weights;
        back.inputs = d.inputs;
        QVERIFY2(back.finish(), back.error.c_str());
        std::string why;
        QVERIFY2(sameOutputs(d.r, back.r, 1e-5, &why), why.c_str());
    }

    // Every primitive op has an ONNX form (low-rank linear and clipped softmax included); what
    // fails is a node beyond the export's limits: moe_route's admission counts are floats in ONNX,
    // exact only below 2^24 (token, expert) choices. Below the limit the same node exports (to
    // PyTorch as well). A plugin op has no PyTorch form.
    void exportNamesUnsupportedOps() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
        auto route = [](const std::string& shape, int64_t k) {
            Design d;
            d.g.addNode({"x", "input", {{"shape", shape}}});
            d.g.addNode({"r", "moe_route", {{"k", k}}});
            d.g.addNode({"y", "output"});
            d.g.connect({"x", "y"}, {"r", "probs"});
            d.g.connect({"r", "gates"}, {"y", "x"});
            d.a = analyze(d.g, {});  // not run: no tensor of 2^24 elements is made
            return d;
        };
        Design big = route("1, 262144, 64", 64);  // 262144 tokens x 64 choices = 2^24
        QVERIFY2(big.a.ok(), big.a.errorText().c_str());
        std::string bytes, err;
        QVERIFY(!exportOnnx(big.g, big.a, big.w, &bytes, &err));
        QVERIFY2(err.rfind("no ONNX export for 1 node(s):", 0) == 0, err.c_str());
        QVERIFY2(err.find("node \"r\" (op \"moe_route\"): more than 2^24") != std::string::npos, err.c_str());
        QVERIFY(bytes.empty());
        Design small = route("1, 2, 4, 8", 2);
        QVERIFY2(small.a.ok(), small.a.errorText().c_str());
        QVERIFY2(exportOnnx(small.g, small.a, small.w, &bytes, &err), err.c_str());
        std::string code;
        TensorMap state;
        QVERIFY2(exportPyTorch(small.g, small.a, small.w, "w.safetensors", &code, &state, &err), err.c_str());  // moe_route has a PyTorch form
        QVERIFY(code.find("r_gates, r_load, r_kept = moe_route(x_, k=2, capacity_factor=0.0, normalize=False)") != std::string::npos);
        // A plugin op has no PyTorch form (the plugin ABI carries no Python): named with its plugin, nothing written.
        if (!OpRegistry::global().find("test_cube")) {
            auto cube = std::make_shared<OpDef>(ops::unaryOp("test_cube", "Cube", "Elementwise", "y = x^3.", [](float x) { return x * x * x; }, 2));
            cube->plugin = "test_plugin";
            QVERIFY2(OpRegistry::global().add(cube, &err), err.c_str());
        }
        Design plug;
        plug.g.addNode({"x", "input", {{"shape", std::string("2, 3")}}});
        plug.g.addNode({"c", "test_cube"});
        plug.g.addNode({"y", "output"});
        plug.g.connect({"x", "y"}, {"c", "x"});
        plug.g.connect({"c", "y"}, {"y", "x"});
        QVERIFY2(plug.finish(), plug.error.c_str());
        code.clear();
        QVERIFY(!exportPyTorch(plug.g, plug.a, plug.w, "w.safetensors", &code, &state, &err));
        QVERIFY2(err.rfind("no PyTorch export for:", 0) == 0, err.c_str());
        QVERIFY2(err.find("node \"c\" (plugin op \"test_cube\" of plugin \"test_plugin\"") != std::string::npos, err.c_str());
        QVERIFY(code.empty());
    }

    // ---- PyTorch export of the templates and of the position, mask, window and selection ops
    // (pytorch_export_more.cpp; cases in pytorch_export_cases.h) --------------------------------
    void pytorchTemplatesReproduceOutputs_data() {
        QTest::addColumn<QString>("name");
        for (auto& c : pytest::templateCases()) QTest::newRow(c.name) << QString(c.name);
        QTest::newRow("ops chain") << QString("ops chain");
    }
    void pytorchTemplatesReproduceOutputs() {
        QFETCH(QString, name);
        Design d;
        std::string err;
        if (name == "ops chain") {
            pytest::opsChain(d.g);
        } else {
            for (auto& c : pytest::templateCases())
                if (name == c.name) {
                    const TemplateDef* t = findTemplate(c.tmpl);
                    QVERIFY2(t, c.tmpl);
                    QVERIFY2(instantiateTemplate(*t, c.params, &d.g, &err), err.c_str());
                }
        }
        QVERIFY2(d.finish(), d.error.c_str());
        std::string code;
        TensorMap state;
        QVERIFY2(exportPyTorch(d.g, d.a, d.w, "model.safetensors", &code, &state, &err), err.c_str());
        for (auto& g : d.g.nodes()) {  // one class per composite block, named after the node
            const OpDef* def = OpRegistry::global().find(g.op);
            if (def && def->isComposite()) {
                const std::string cls = "(nn.Module):\n    \"\"\"Composite block " + g.id + ".\"\"\"";
                QVERIFY2(code.find(cls) != std::string::npos, ("no class for block " + g.id).c_str());
            }
        }
        runInPyTorch(d, code, state);
    }

    void pytorchReproducesOutputs_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : kModels) QTest::newRow(m) << QString(m);
        QTest::newRow("ffn-block") << QString("ffn-block");
        QTest::newRow("low-rank-clipped") << QString("low-rank-clipped");
        for (auto& c : seqCases()) QTest::newRow(c.name.c_str()) << QString::fromStdString(c.name);  // recurrences, MoE
    }
    void pytorchReproducesOutputs() {
        QFETCH(QString, model);
        Design d;
        if (model == "ffn-block") {
            if (!OpRegistry::global().find("ffn")) QSKIP("no ffn block in this build");
            d.g.metadata["name"] = "tiny mlp";
            d.g.addNode({"x", "input", {{"shape", std::string("2, 5, 16")}}});
            d.g.addNode({"mlp", "ffn", {{"d_model", int64_t(16)}, {"hidden", int64_t(32)}, {"act", std::string("swiglu")}}});
            d.g.addNode({"y", "output"});
            d.g.connect({"x", "y"}, {"mlp", "x"});
            d.g.connect({"mlp", "y"}, {"y", "x"});
            QVERIFY2(d.finish(), d.error.c_str());
        } else if (model == "low-rank-clipped") {
            lowRankClipped(d);
            QVERIFY2(d.finish(), d.error.c_str());
            const Tensor& y = d.r.outputs.at("y");  // [2, 2, 6, 6]: row 0 is 1.1 clipped to 1, rows 2 and 3 zeros
            QCOMPARE(y.f32()[0], 1.0f);
            for (int64_t j = 12; j < 24; ++j) QCOMPARE(y.f32()[j], 0.0f);
        } else if (model.startsWith("seq ")) {  // recurrences and MoE (seqCases)
            for (auto& c : seqCases())
                if (model.toStdString() == c.name) {
                    std::string err, code;
                    if (c.tmpl.empty()) moeRouteTies(d);
                    else QVERIFY2(instantiateTemplate(*findTemplate(c.tmpl), c.params, &d.g, &err), err.c_str());
                    QVERIFY2(d.finish(), d.error.c_str());
                    TensorMap state;
                    QVERIFY2(exportPyTorch(d.g, d.a, d.w, "model.safetensors", &code, &state, &err), err.c_str());
                    for (auto& n : d.g.nodes())  // every output listed (a MoE layer's load comes from inside its block)
                        if (n.op == "output")
                            QVERIFY2(code.find("\"" + n.id + "\", ") != std::string::npos,
                                     ("output " + n.id + " missing from Model.OUTPUTS: pytorch_export.cpp must list outputs after the block calls").c_str());
                    size_t at = 0;  // the op's readable helper, with its arguments ("*": anything between)
                    for (size_t b = 0, e; b <= c.call.size(); b = e + 1) {
                        e = std::min(c.call.find('*', b), c.call.size());
                        at = code.find(c.call.substr(b, e - b), at);
                        QVERIFY2(at != std::string::npos, (c.call + " not in the generated code").c_str());
                    }
                    for (auto& n : d.g.nodes())  // one class per composite block, named after the node
                        if (const OpDef* def = OpRegistry::global().find(n.op); def && def->isComposite())
                            QVERIFY2(code.find("    \"\"\"Composite block " + n.id + ".\"\"\"") != std::string::npos, n.id.c_str());
                }
            QVERIFY2(!d.g.nodes().empty(), "no seqCases row of this name");
        } else {
            if (!onnxAvailable()) QSKIP("built without libonnx-dev");
            QVERIFY2(d.fromOnnx(model.toStdString()), d.error.c_str());
        }
        std::string code, err;
        TensorMap state;
        QVERIFY2(exportPyTorch(d.g, d.a, d.w, "model.safetensors", &code, &state, &err), err.c_str());
        QVERIFY(code.find("(nn.Module):") != std::string::npos);
        if (model == "ffn-block") QVERIFY2(code.find("class Mlp(nn.Module):") != std::string::npos, "no class for the composite block");
        runInPyTorch(d, code, state);
    }
};

QTEST_GUILESS_MAIN(TestInteropExport)
#include "test_interop_export.moc"
