// Vulkan kernels against the CPU reference: every PyTorch op fixture whose op
// has a Vulkan kernel, and random one-op designs with odd sizes, in both
// kernel families (texel register-blocked; shared-memory tiled forced by
// forceGpuKernels). Without a Vulkan device every test is skipped.
#include "vulkan_test_util.h"

#include <QDir>

#include <set>

using namespace archscope;

namespace {
// Fixtures whose kernel is expected to decline (the node then runs on the CPU): none.
const std::set<std::string> kExpectedFallback = {};
}  // namespace

class TestVulkanOps : public QObject {
    Q_OBJECT

    void fixtures(bool gpuKernels) {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpuKernels);
        QDir dir(qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/tests/fixtures/ops");
        int checked = 0;
        for (auto& f : dir.entryList({"*.safetensors"}, QDir::Files, QDir::Name)) {
            test::OpCase c;
            std::string err;
            QVERIFY2(test::loadOpCase(dir.filePath(f).toStdString(), &c, &err), err.c_str());
            const std::string op = c.graph.node("op")->op;
            if (!vk::findKernel(op)) continue;
            RunResult r = vkb->run({&c.graph, &c.analysis, &c.weights, c.inputs, 0, false});
            QVERIFY2(r.ok, qPrintable(QString::fromStdString(c.name + ": " + r.error)));
            const std::string where = test::whereOf(r, "op");
            if (kExpectedFallback.count(c.name)) QCOMPARE(where, std::string("cpu-fallback"));
            else QVERIFY2(where == "vulkan", qPrintable(QString::fromStdString(c.name + " ran on " + where)));
            // Reference: the PyTorch values; rel tol 1e-4 (or the fixture's, if looser).
            for (auto& [name, want] : c.expected) {
                std::string at;
                double v = test::worstViolation(r.outputs.at(name), want, std::max(1e-4, c.rtol), std::max(1e-5, c.atol), &at);
                QVERIFY2(v == 0, qPrintable(QString::fromStdString(c.name + " " + name + " " + at)));
            }
            ++checked;
        }
        QVERIFY2(checked >= 20, qPrintable(QString("only %1 fixtures had a Vulkan kernel").arg(checked)));
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

    struct Case {
        std::string op;
        std::map<std::string, AttrValue> attrs;
        std::vector<std::tuple<std::string, std::string, std::string>> inputs;
        size_t outputs = 99;  // outputs to connect (split declares more than it may produce)
    };

    static std::vector<Case> randomCases() {
        using A = std::map<std::string, AttrValue>;
        return {
            {"linear", A{{"out_features", int64_t(29)}}, {{"x", "3, 37, 13", "f32"}}},
            {"linear", A{{"out_features", int64_t(32)}}, {{"x", "37, 64", "f32"}}},
            {"linear", A{{"out_features", int64_t(31)}, {"bias", false}}, {{"x", "5, 68", "f32"}}},
            {"matmul", A{}, {{"a", "2, 3, 33, 16", "f32"}, {"b", "3, 16, 20", "f32"}}},
            {"matmul", A{{"transpose_b", true}, {"alpha", 0.125}}, {{"a", "2, 7, 17", "f32"}, {"b", "2, 9, 17", "f32"}}},
            {"matmul", A{{"transpose_a", true}}, {{"a", "19, 5", "f32"}, {"b", "19, 11", "f32"}}},
            {"matmul", A{}, {{"a", "2, 1, 5, 8", "f32"}, {"b", "1, 3, 8, 4", "f32"}}},
            {"matmul", A{{"alpha", -0.5}}, {{"a", "37, 20", "f32"}, {"b", "20, 24", "f32"}}},  // nn8 with a row tail
            {"matmul", A{}, {{"a", "3, 9, 12", "f32"}, {"b", "12, 8", "f32"}}},
            {"add", A{}, {{"a", "3, 1, 7", "f32"}, {"b", "5, 1", "f32"}}},
            {"sub", A{}, {{"a", "1001", "f32"}, {"b", "1001", "f32"}}},
            {"mul", A{}, {{"a", "2, 3, 5, 7", "f32"}, {"b", "3, 1, 7", "f32"}}},
            {"div", A{}, {{"a", "4, 9", "f32"}, {"b", "9", "f32"}}},
            {"gate", A{{"act", std::string("silu")}}, {{"a", "3, 17", "f32"}, {"b", "3, 17", "f32"}}},
            {"gate", A{{"act", std::string("gelu")}}, {{"a", "3, 17", "f32"}, {"b", "17", "f32"}}},
            {"relu", A{}, {{"x", "1001", "f32"}}},
            {"gelu", A{}, {{"x", "3, 333", "f32"}}},
            {"gelu_tanh", A{}, {{"x", "999", "f32"}}},
            {"silu", A{}, {{"x", "7, 11", "f32"}}},
            {"sigmoid", A{}, {{"x", "5, 5", "f32"}}},
            {"tanh", A{}, {{"x", "77", "f32"}}},
            {"softplus", A{{"beta", 2.0}, {"threshold", 3.0}}, {{"x", "41", "f32"}}},
            {"clamp", A{{"min", -0.5}, {"max", 0.25}}, {{"x", "41", "f32"}}},
            {"scale", A{{"scale", -3.0}, {"bias", 0.5}}, {{"x", "41", "f32"}}},
            {"softmax", A{}, {{"x", "3, 5, 37", "f32"}}},
            {"softmax", A{{"axis", int64_t(1)}, {"temperature", 0.7}}, {{"x", "3, 5, 7", "f32"}}},
            {"softmax", A{}, {{"x", "2, 3, 9, 9", "f32"}, {"mask", "9, 9", "f32"}}},
            {"layernorm", A{}, {{"x", "7, 33", "f32"}}},
            {"rmsnorm", A{{"affine", false}}, {{"x", "5, 3, 31", "f32"}}},
            {"embedding", A{{"num_embeddings", int64_t(10)}, {"dim", int64_t(13)}}, {{"ids", "3, 7", "i64"}}},
            {"permute", A{{"perm", std::vector<int64_t>{2, 0, 1}}}, {{"x", "3, 5, 7", "f32"}}},
            {"permute", A{{"perm", std::vector<int64_t>{0, 2, 1, 3}}}, {{"x", "2, 3, 5, 7", "i64"}}},
            {"reshape", A{{"shape", std::string("5, 21")}}, {{"x", "3, 5, 7", "f32"}}},
            {"flatten", A{}, {{"x", "3, 5, 7", "f32"}}},
            {"slice", A{{"axis", int64_t(1)}, {"start", int64_t(-4)}, {"step", int64_t(2)}}, {{"x", "3, 9, 5", "f32"}}},
            {"split", A{{"axis", int64_t(1)}, {"sizes", std::vector<int64_t>{2, 5}}}, {{"x", "3, 7, 5", "i64"}}, 2},
            {"concat", A{{"axis", int64_t(1)}}, {{"a", "3, 2, 5", "f32"}, {"b", "3, 7, 5", "f32"}, {"d", "3, 1, 5", "f32"}}},
            // Every remaining core op, odd sizes.
            {"linear", A{{"out_features", int64_t(29)}, {"rank", int64_t(5)}}, {{"x", "3, 37, 13", "f32"}}},
            {"linear", A{{"out_features", int64_t(24)}, {"rank", int64_t(8)}, {"bias", false}}, {{"x", "7, 20", "f32"}}},
            {"conv1d", A{{"out_channels", int64_t(6)}, {"kernel", int64_t(3)}, {"dilation", int64_t(2)}, {"groups", int64_t(3)}, {"causal", true}},
             {{"x", "2, 9, 17", "f32"}}},
            {"conv1d", A{{"out_channels", int64_t(5)}, {"kernel", int64_t(4)}, {"stride", int64_t(2)}, {"padding", int64_t(1)}},
             {{"x", "2, 3, 19", "f32"}}},
            {"conv1d", A{{"out_channels", int64_t(7)}, {"kernel", int64_t(4)}, {"groups", int64_t(7)}, {"causal", true}, {"bias", false}},
             {{"x", "1, 7, 11", "f32"}}},
            {"conv2d", A{{"out_channels", int64_t(7)}, {"kernel", std::vector<int64_t>{3, 2}}, {"stride", std::vector<int64_t>{2, 1}},
                         {"padding", std::vector<int64_t>{1, 1}}, {"dilation", std::vector<int64_t>{1, 2}}},
             {{"x", "2, 3, 11, 9", "f32"}}},
            {"conv2d", A{{"out_channels", int64_t(6)}, {"groups", int64_t(3)}, {"kernel", std::vector<int64_t>{3}}, {"padding", std::vector<int64_t>{1}}},
             {{"x", "1, 3, 7, 8", "f32"}}},
            {"avgpool1d", A{{"kernel", int64_t(3)}, {"stride", int64_t(2)}, {"padding", int64_t(1)}}, {{"x", "2, 3, 17", "f32"}}},
            {"avgpool2d", A{{"kernel", std::vector<int64_t>{3, 3}}, {"stride", std::vector<int64_t>{2, 2}}, {"padding", std::vector<int64_t>{1, 1}},
                            {"count_include_pad", false}},
             {{"x", "2, 3, 9, 11", "f32"}}},
            {"maxpool1d", A{{"kernel", int64_t(3)}, {"padding", int64_t(1)}}, {{"x", "2, 5, 13", "f32"}}},
            {"maxpool2d", A{{"kernel", std::vector<int64_t>{2, 3}}, {"padding", std::vector<int64_t>{1, 1}}}, {{"x", "1, 3, 7, 9", "f32"}}},
            {"globalpool", A{}, {{"x", "2, 3, 5, 7", "f32"}}},
            {"globalpool", A{{"mode", std::string("max")}, {"keepdims", true}}, {{"x", "3, 5, 9", "f32"}}},
            {"batchnorm", A{}, {{"x", "3, 5, 7", "f32"}}},
            {"batchnorm", A{{"affine", false}, {"eps", 0.01}}, {{"x", "2, 3, 5, 3", "f32"}}},
            {"cumsum", A{{"axis", int64_t(1)}, {"exclusive", true}}, {{"x", "3, 37, 5", "f32"}}},
            {"cumsum", A{{"reverse", true}}, {{"x", "4, 33", "f32"}}},
            {"topk", A{{"k", int64_t(5)}}, {{"x", "3, 4, 17", "f32"}}},
            {"topk", A{{"k", int64_t(3)}, {"axis", int64_t(1)}, {"largest", false}}, {{"x", "2, 9, 5", "f32"}}},
            {"rope", A{{"rotary_dim", int64_t(6)}}, {{"x", "2, 3, 5, 10", "f32"}}},
            {"rope", A{{"base", 500000.0}, {"offset", int64_t(7)}}, {{"x", "1, 2, 9, 8", "f32"}}},
            {"alibi", A{{"offset", int64_t(2)}}, {{"x", "2, 6, 5, 7", "f32"}}},
            {"causal_mask", A{{"offset", int64_t(2)}}, {{"x", "2, 3, 5, 7", "f32"}}},
            {"sliding_window_mask", A{{"window", int64_t(3)}}, {{"x", "5, 9", "f32"}}},
            {"pos_learned", A{{"max_len", int64_t(40)}}, {{"x", "3, 11, 13", "f32"}}},
            {"pos_sinusoidal", A{{"offset", int64_t(3)}}, {{"x", "2, 7, 9", "f32"}}},
            {"window_partition", A{{"window", int64_t(3)}, {"shift", int64_t(1)}}, {{"x", "2, 6, 9, 5", "f32"}}},
            {"window_reverse", A{{"window", int64_t(3)}, {"shift", int64_t(2)}}, {{"x", "12, 9, 5", "f32"}, {"like", "2, 6, 9, 4", "f32"}}},
            {"patch_merge", A{}, {{"x", "2, 6, 10, 3", "f32"}}},
        };
    }

    void random(bool gpuKernels) {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpuKernels);
        for (auto& c : randomCases()) {
            test::OneOp d;
            QVERIFY2(d.build(c.op, c.attrs, c.inputs, c.outputs), d.error.c_str());
            test::randomizeParams(d);
            std::string msg, where;
            QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, {}, 1e-4, 1e-5, &msg, &where), qPrintable(QString::fromStdString(c.op + ": " + msg)));
            QVERIFY2(where == "vulkan", qPrintable(QString::fromStdString(c.op + " ran on " + where)));
        }
        ARCHSCOPE_VALIDATION_CLEAN(vkb);
    }

private slots:
    // Every op of the engine core sections of ops/op_list.cpp has a Vulkan kernel
    // (input/output are host steps). Ops added later by other sections are listed
    // when they lack one, so that the gap is visible.
    void everyCoreOpHasAKernel() {
        const std::set<std::string> core = {
            "linear", "add", "relu", "sub", "mul", "div", "scale", "clamp", "gate", "relu6", "gelu", "gelu_tanh", "silu",
            "sigmoid", "tanh", "softplus", "exp", "elu1", "softmax", "layernorm", "rmsnorm", "batchnorm", "embedding", "matmul",
            "topk", "cumsum", "scan", "conv1d", "conv2d", "avgpool1d", "avgpool2d", "maxpool1d", "maxpool2d", "globalpool",
            "reshape", "permute", "split", "concat", "slice", "flatten", "pos_learned", "pos_sinusoidal", "rope", "alibi",
            "causal_mask", "sliding_window_mask", "window_partition", "window_reverse", "patch_merge"};
        std::string missing, others;
        for (auto& id : core)
            if (!vk::findKernel(id)) missing += " " + id;
        for (const OpDef* d : OpRegistry::global().all())
            if (d->plugin.empty() && !d->isComposite() && d->id != "input" && d->id != "output" && !core.count(d->id) && !vk::findKernel(d->id))
                others += " " + d->id;
        if (!others.empty()) qInfo("ops outside the engine core without a Vulkan kernel (CPU fallback):%s", others.c_str());
        QVERIFY2(missing.empty(), qPrintable(QString::fromStdString("no Vulkan kernel for:" + missing)));
    }

    // scan in its three modes against the CPU recurrence, chunked (many chunks, a
    // partial last one) and unchunked; inputs in the ranges the modes expect.
    void scanChunked() {
        for (const char* chunk : {"7", "0"}) {
            qputenv("ARCHSCOPE_VK_SCAN_CHUNK", chunk);
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
            auto uni = [](std::vector<int64_t> shape, float lo, float hi, uint64_t seed) {
                Tensor t(DType::F32, shape);
                fillRandom(t, Init::Uniform, 1.0f, seed);
                for (int64_t i = 0; i < t.numel(); ++i) t.f32()[i] = lo + (hi - lo) * 0.5f * (t.f32()[i] + 1.0f);
                return t;
            };
            const int64_t B = 2, T = 45, D = 5, N = 4, H = 3, dk = 6, dv = 7;
            struct S { std::string mode; std::vector<std::tuple<std::string, std::string, std::string>> in; std::map<std::string, Tensor> data; };
            std::vector<S> cases = {
                {"diag", {{"x", "2, 45, 5", "f32"}, {"dt", "2, 45, 5", "f32"}, {"Bm", "2, 45, 4", "f32"}, {"Cm", "2, 45, 4", "f32"}},
                 {{"in_x", uni({B, T, D}, -1, 1, 1)}, {"in_dt", uni({B, T, D}, 0.01f, 0.2f, 2)}, {"in_Bm", uni({B, T, N}, -1, 1, 3)},
                  {"in_Cm", uni({B, T, N}, -1, 1, 4)}}},
                {"decay", {{"q", "2, 3, 45, 6", "f32"}, {"k", "2, 3, 45, 6", "f32"}, {"v", "2, 3, 45, 7", "f32"}},
                 {{"in_q", uni({B, H, T, dk}, -1, 1, 5)}, {"in_k", uni({B, H, T, dk}, -0.4f, 0.4f, 6)}, {"in_v", uni({B, H, T, dv}, -1, 1, 7)}}},
                {"decay", {{"q", "2, 3, 45, 6", "f32"}, {"k", "2, 3, 45, 6", "f32"}, {"v", "2, 3, 45, 7", "f32"}, {"g", "2, 3, 45, 6", "f32"}},
                 {{"in_q", uni({B, H, T, dk}, -1, 1, 8)}, {"in_k", uni({B, H, T, dk}, -0.4f, 0.4f, 9)}, {"in_v", uni({B, H, T, dv}, -1, 1, 10)},
                  {"in_g", uni({B, H, T, dk}, -0.3f, -0.01f, 11)}}},
                {"delta", {{"q", "2, 3, 45, 6", "f32"}, {"k", "2, 3, 45, 6", "f32"}, {"v", "2, 3, 45, 7", "f32"}, {"beta", "2, 3, 45", "f32"}},
                 {{"in_q", uni({B, H, T, dk}, -1, 1, 12)}, {"in_k", uni({B, H, T, dk}, -0.4f, 0.4f, 13)}, {"in_v", uni({B, H, T, dv}, -1, 1, 14)},
                  {"in_beta", uni({B, H, T}, 0.1f, 0.9f, 15)}}},
            };
            for (auto& c : cases) {
                test::OneOp d;
                QVERIFY2(d.build("scan", {{"mode", c.mode}}, c.in), d.error.c_str());
                test::randomizeParams(d);
                std::string msg, where;
                QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, c.data, 1e-4, 1e-5, &msg, &where),
                         qPrintable(QString::fromStdString("scan " + c.mode + " chunk " + chunk + ": " + msg)));
                QCOMPARE(where, std::string("vulkan"));
                QCOMPARE(vkb->lastStats()->dispatches, std::string(chunk) == "7" ? 3 : 1);
            }
            ARCHSCOPE_VALIDATION_CLEAN(vkb);
        }
        qunsetenv("ARCHSCOPE_VK_SCAN_CHUNK");
    }

    // An out-of-range embedding id fails the run with the node and the id named (never clamped).
    void embeddingIdOutOfRange() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        test::OneOp d;
        QVERIFY2(d.build("embedding", {{"num_embeddings", int64_t(10)}, {"dim", int64_t(3)}}, {{"ids", "2, 4", "i64"}}), d.error.c_str());
        Tensor ids(DType::I64, {2, 4});
        for (int64_t i = 0; i < 8; ++i) ids.i64()[i] = i;
        ids.i64()[5] = 12;
        RunResult r = vkb->run({&d.g, &d.a, &d.w, {{"in_ids", ids}}, 0, false});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("\"op\"") != std::string::npos && r.error.find("id 12") != std::string::npos &&
                     r.error.find("out of range") != std::string::npos,
                 r.error.c_str());
        ids.i64()[5] = -3;
        r = vkb->run({&d.g, &d.a, &d.w, {{"in_ids", ids}}, 0, false});
        QVERIFY2(!r.ok && r.error.find("id -3") != std::string::npos, r.error.c_str());
        ids.i64()[5] = 9;  // valid again: the status word is cleared per run
        r = vkb->run({&d.g, &d.a, &d.w, {{"in_ids", ids}}, 0, false});
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.outputs.at("out_y").f32()[5 * 3], d.w.find("op", "weight")->f32()[9 * 3]);
    }

    void fixturesTexel() { fixtures(false); }
    void fixturesTiled() { fixtures(true); }
    void randomTexel() { random(false); }
    void randomTiled() { random(true); }

    // A broadcast that needs five index levels is declined by the kernel: the
    // node runs on the CPU, is marked so, and the result is still right.
    void declinedKernelFallsBack() {
        ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
        test::OneOp d;
        QVERIFY2(d.build("mul", {}, {{"a", "2, 3, 5, 7, 3", "f32"}, {"b", "3, 1, 7, 1", "f32"}}), d.error.c_str());
        std::string msg, where;
        QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, {}, 0, 0, &msg, &where), msg.c_str());
        QCOMPARE(where, std::string("cpu-fallback"));
    }

    // Every texel SGEMM variant (ARCHSCOPE_VK_GEMM_SG: 0 plain register blocks, 1 rows
    // shared by subgroup shuffles with the 8-wide block / nt for linear, 2 the 4-wide block) against the CPU.
    void sgemmVariantsAgree() {
        for (const char* mode : {"0", "1", "2"}) {
            qputenv("ARCHSCOPE_VK_GEMM_SG", mode);
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, false);
            using A = std::map<std::string, AttrValue>;
            const std::vector<Case> cases = {
                {"matmul", A{{"alpha", 0.5}}, {{"a", "37, 20", "f32"}, {"b", "20, 24", "f32"}}},
                {"matmul", A{}, {{"a", "2, 3, 33, 16", "f32"}, {"b", "3, 16, 20", "f32"}}},
                {"matmul", A{}, {{"a", "5, 12", "f32"}, {"b", "12, 40", "f32"}}},
                {"linear", A{{"out_features", int64_t(31)}}, {{"x", "5, 68", "f32"}}},   // nt, ragged N and M
                {"linear", A{{"out_features", int64_t(32)}}, {{"x", "37, 64", "f32"}}},
            };
            for (auto& c : cases) {
                test::OneOp d;
                QVERIFY2(d.build(c.op, c.attrs, c.inputs, c.outputs), d.error.c_str());
                std::string msg, where;
                QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, {}, 1e-4, 1e-5, &msg, &where), qPrintable(QString("SG=%1: %2").arg(mode).arg(msg.c_str())));
            }
            ARCHSCOPE_VALIDATION_CLEAN(vkb);
        }
        qunsetenv("ARCHSCOPE_VK_GEMM_SG");
    }

    void sgemmLargeOddSizes() {
        for (bool gpu : {false, true}) {
            ARCHSCOPE_VULKAN_OR_SKIP(vkb, gpu);
            test::OneOp d;
            QVERIFY2(d.build("linear", {{"out_features", int64_t(131)}}, {{"x", "97, 260", "f32"}}), d.error.c_str());
            std::string msg, where;
            QVERIFY2(test::sameAsCpu(*vkb, d.g, d.a, d.w, {}, 1e-4, 1e-4, &msg, &where), msg.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestVulkanOps)
#include "test_vulkan_ops.moc"
