// Symbolic input dims of ONNX models (dim_param) become design sizes
// (interop/onnx_symbols.h). Fixtures from tests/fixtures/gen_onnx_symbolic.py
// (PyTorch 1.13, dynamic_axes batch and seq):
//   symbolic_block   imported at batch = seq = 1, then run at batch 2, seq 5 by
//                    changing only the sizes: matches PyTorch within 1e-4;
//   symbolic_causal  its causal mask is folded from seq, so seq stays fixed (the
//                    warning names the constant) while batch is still a size.
#include "interop/onnx_import.h"
#include "interop/safetensors.h"
#include "runtime/backend.h"

#include "onnx_test_util.h"

#include <QtTest>
#include <cmath>

using namespace archscope;

namespace {

const auto fixture = &test::onnxFixture;

const Node* inputNode(const Graph& g) {
    for (auto& n : g.nodes())
        if (n.op == "input") return &n;
    return nullptr;
}

// Runs `g` at `bindings` on the CPU with the fixture's input and compares with PyTorch's output.
std::string runMatches(const Graph& g, const TensorMap& weights, const std::string& model, const Bindings& bindings) {
    TensorMap io;
    std::string err;
    if (!readSafetensors(fixture(model + ".io.safetensors"), &io, &err)) return err;
    AnalyzeOptions opt;
    opt.bindings = bindings;
    Analysis a = analyze(g, opt);
    if (!a.ok()) return a.errorText();
    WeightStore w;
    w.all() = weights;
    if (!w.materialize(a, 0, &err)) return err;
    RunResult r = makeCpuBackend()->run({&g, &a, &w, {{inputNode(g)->id, io.at("in.x")}}, 0, false});
    if (!r.ok) return r.error;
    const Tensor& want = io.at("out.y");
    if (r.outputs.size() != 1) return "expected one output";
    const Tensor& got = r.outputs.begin()->second;
    if (got.shape() != want.shape()) return "output shape differs";
    for (int64_t i = 0; i < want.numel(); ++i)
        if (std::abs(got.f32()[i] - want.f32()[i]) > 1e-4 * std::abs(want.f32()[i]) + 1e-5) return "element " + std::to_string(i) + " differs";
    return "";
}

}  // namespace

class TestOnnxSymbolic : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!onnxAvailable()) QSKIP("built without libonnx-dev");
    }

    void batchAndSeqBecomeSizes() {
        Graph g;
        TensorMap w;
        OnnxImportReport rep;
        std::string err;
        QVERIFY2(importOnnxFile(fixture("symbolic_block.onnx"), {}, &g, &w, &rep, &err), err.c_str());
        QCOMPARE(int(g.symbols.size()), 2);
        QCOMPARE(g.symbols[0].name, std::string("batch"));
        QCOMPARE(g.symbols[1].name, std::string("seq"));
        QCOMPARE(g.symbols[0].value, int64_t(1));
        QCOMPARE(std::get<std::string>(inputNode(g)->attrs.at("shape")), std::string("batch, seq, 32"));
        bool said = false;
        for (auto& s : rep.warnings) said = said || s.find("imported as design size seq") != std::string::npos;
        QVERIFY(said);
        // Imported at 1 x 1; run at the fixture's 2 x 5 by changing the sizes only.
        const std::string why = runMatches(g, w, "symbolic_block", {{"batch", 2}, {"seq", 5}});
        QVERIFY2(why.empty(), why.c_str());
        // Shapes reflow to any other sizes too.
        AnalyzeOptions opt;
        opt.bindings = {{"batch", 3}, {"seq", 7}};
        Analysis a = analyze(g, opt);
        QVERIFY2(a.ok(), a.errorText().c_str());
        for (auto& n : g.nodes())
            if (n.op == "output") QCOMPARE(shapeValues(a.nodes.at(n.id).inputs[0]->shape), (std::vector<int64_t>{3, 7, 32}));
    }

    void foldedMaskKeepsSeqFixed() {
        Graph g;
        TensorMap w;
        OnnxImportReport rep;
        std::string err;
        OnnxImportOptions opt;
        opt.bindings = {{"seq", 5}};
        QVERIFY2(importOnnxFile(fixture("symbolic_causal.onnx"), opt, &g, &w, &rep, &err), err.c_str());
        QCOMPARE(int(g.symbols.size()), 1);
        QCOMPARE(g.symbols[0].name, std::string("batch"));
        QCOMPARE(std::get<std::string>(inputNode(g)->attrs.at("shape")), std::string("batch, 5, 32"));
        bool said = false;
        for (auto& s : rep.warnings) said = said || (s.find("\"seq\" stays fixed at 5") != std::string::npos && s.find("constant") != std::string::npos);
        QVERIFY2(said, rep.warnings.empty() ? "no warnings" : rep.warnings.back().c_str());
        const std::string why = runMatches(g, w, "symbolic_causal", {{"batch", 2}});
        QVERIFY2(why.empty(), why.c_str());
    }

    // A model without dim_params imports exactly as before: no sizes.
    void staticModelHasNoSizes() {
        Graph g;
        TensorMap w;
        std::string err;
        QVERIFY2(importOnnxFile(fixture("transformer.onnx"), {}, &g, &w, nullptr, &err), err.c_str());
        QVERIFY(g.symbols.empty());
    }
};

QTEST_MAIN(TestOnnxSymbolic)
#include "test_onnx_symbolic.moc"
