// ONNX import speed: builds a transformer-style ONNX model of about 100 MB in
// memory (PyTorch-exporter layout: MatMul + Add, LayerNormalization, the
// exact-GELU decomposition, scaled-dot-product attention with reshapes),
// writes it to a file, then times `importOnnxFile` (read, parse, check,
// fold, convert, lift, validate) and the weights sidecar write.
//   archscope_bench_onnx_import [--layers N] [--width D] [--repeats R] [--keep PATH]
#include "graph/design_io.h"
#include "interop/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace archscope;
using TP = onnx::TensorProto;

namespace {

struct Builder {
    onnx::GraphProto* g;
    std::mt19937 rng{7};
    int n = 0;

    std::string weight(const std::string& name, std::vector<int64_t> dims, float scale) {
        TP* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(TP::FLOAT);
        int64_t count = 1;
        for (auto d : dims) { t->add_dims(d); count *= d; }
        std::vector<float> v(static_cast<size_t>(count));
        std::uniform_real_distribution<float> u(-scale, scale);
        for (auto& x : v) x = u(rng);
        t->set_raw_data(v.data(), v.size() * sizeof(float));
        return name;
    }
    std::string ints(const std::string& name, std::vector<int64_t> v) {
        TP* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(TP::INT64);
        t->add_dims(int64_t(v.size()));
        t->set_raw_data(v.data(), v.size() * sizeof(int64_t));
        return name;
    }
    std::string scalar(const std::string& name, float v) {
        TP* t = g->add_initializer();
        t->set_name(name);
        t->set_data_type(TP::FLOAT);
        t->set_raw_data(&v, sizeof v);
        return name;
    }
    onnx::NodeProto* node(const std::string& op, const std::string& scope, std::vector<std::string> ins, std::string* out) {
        auto* p = g->add_node();
        p->set_op_type(op);
        p->set_name(scope + "/" + op + "_" + std::to_string(n));
        *out = scope + "/" + op + "_" + std::to_string(n++) + "_output_0";
        for (auto& i : ins) p->add_input(i);
        p->add_output(*out);
        return p;
    }
    std::string op(const std::string& o, const std::string& scope, std::vector<std::string> ins) {
        std::string out;
        node(o, scope, std::move(ins), &out);
        return out;
    }
    std::string linear(const std::string& scope, const std::string& x, int64_t in, int64_t out) {
        std::string y = op("MatMul", scope, {x, weight(scope + ".weight", {in, out}, 0.02f)});
        return op("Add", scope, {weight(scope + ".bias", {out}, 0.02f), y});
    }
    std::string layerNorm(const std::string& scope, const std::string& x, int64_t d) {
        std::string y;
        auto* p = node("LayerNormalization", scope, {x, weight(scope + ".weight", {d}, 1.0f), weight(scope + ".bias", {d}, 0.1f)}, &y);
        auto* a = p->add_attribute();
        a->set_name("axis"); a->set_type(onnx::AttributeProto::INT); a->set_i(-1);
        return y;
    }
    std::string perm(const std::string& scope, const std::string& x, std::vector<int64_t> p) {
        std::string y;
        auto* t = node("Transpose", scope, {x}, &y);
        auto* a = t->add_attribute();
        a->set_name("perm"); a->set_type(onnx::AttributeProto::INTS);
        for (auto v : p) a->add_ints(v);
        return y;
    }
};

std::string buildModel(int layers, int64_t d, int64_t t, int64_t heads) {
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.set_producer_name("archscope_bench_onnx_import");
    m.add_opset_import()->set_version(17);
    Builder b{m.mutable_graph()};
    b.g->set_name("bench_transformer");
    auto* in = b.g->add_input();
    in->set_name("x");
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(TP::FLOAT);
    for (auto dim : {int64_t(1), t, d}) tt->mutable_shape()->add_dim()->set_dim_value(dim);
    const int64_t dh = d / heads;
    const std::string heads4 = b.ints("heads_shape", {1, t, heads, dh}), flat3 = b.ints("flat_shape", {1, t, d});
    const std::string sqrt2 = b.scalar("sqrt2", 1.41421356f), one = b.scalar("one", 1.0f), half = b.scalar("half", 0.5f);
    const std::string scale = b.scalar("scale", float(std::sqrt(double(dh))));
    std::string x = "x";
    for (int l = 0; l < layers; ++l) {
        const std::string s = "/layers." + std::to_string(l);
        std::string h = b.layerNorm(s + "/ln1", x, d);
        auto split = [&](const std::string& name) {
            return b.perm(s + "/attn", b.op("Reshape", s + "/attn", {b.linear(s + "/attn/" + name, h, d, d), heads4}), {0, 2, 1, 3});
        };
        std::string q = split("q"), k = split("k"), v = split("v");
        std::string sc = b.op("Div", s + "/attn", {b.op("MatMul", s + "/attn", {q, b.perm(s + "/attn", k, {0, 1, 3, 2})}), scale});
        std::string p = b.op("Softmax", s + "/attn", {sc});
        std::string o = b.op("Reshape", s + "/attn", {b.perm(s + "/attn", b.op("MatMul", s + "/attn", {p, v}), {0, 2, 1, 3}), flat3});
        x = b.op("Add", s, {x, b.linear(s + "/attn/o", o, d, d)});
        h = b.linear(s + "/mlp/fc1", b.layerNorm(s + "/ln2", x, d), d, 2 * d);
        std::string gl = b.op("Mul", s + "/mlp/act",
                              {b.op("Mul", s + "/mlp/act", {h, b.op("Add", s + "/mlp/act", {b.op("Erf", s + "/mlp/act", {b.op("Div", s + "/mlp/act", {h, sqrt2})}), one})}), half});
        x = b.op("Add", s, {x, b.linear(s + "/mlp/fc2", gl, 2 * d, d)});
    }
    auto* out = b.g->add_output();
    out->set_name(x);
    auto* ot = out->mutable_type()->mutable_tensor_type();
    ot->set_elem_type(TP::FLOAT);
    for (auto dim : {int64_t(1), t, d}) ot->mutable_shape()->add_dim()->set_dim_value(dim);
    std::string bytes;
    m.SerializeToString(&bytes);
    return bytes;
}

double ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
    int layers = 3, repeats = 5;
    int64_t width = 1024;
    std::string keep;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--layers") layers = std::atoi(argv[i + 1]);
        else if (a == "--width") width = std::atoll(argv[i + 1]);
        else if (a == "--repeats") repeats = std::atoi(argv[i + 1]);
        else if (a == "--keep") keep = argv[i + 1];
    }
    const std::string bytes = buildModel(layers, width, 16, 16);
    const std::string path = keep.empty() ? (std::filesystem::temp_directory_path() / "archscope_bench_import.onnx").string() : keep;
    std::string err;
    if (!writeFileAtomic(path, bytes, &err)) { std::fprintf(stderr, "%s\n", err.c_str()); return 1; }
    std::printf("model: %d layers, width %lld, %.1f MB, %s\n", layers, static_cast<long long>(width), double(bytes.size()) / 1e6, path.c_str());
    std::vector<double> imp, sidecar;
    OnnxImportReport rep;
    for (int r = 0; r < repeats; ++r) {
        Graph g;
        TensorMap w;
        auto t0 = std::chrono::steady_clock::now();
        if (!importOnnxFile(path, {}, &g, &w, &rep, &err)) { std::fprintf(stderr, "%s\n", err.c_str()); return 1; }
        auto t1 = std::chrono::steady_clock::now();
        const std::string side = path + ".safetensors";
        if (!writeSafetensors(side, w, &err)) { std::fprintf(stderr, "%s\n", err.c_str()); return 1; }
        auto t2 = std::chrono::steady_clock::now();
        imp.push_back(ms(t0, t1));
        sidecar.push_back(ms(t1, t2));
        std::filesystem::remove(side);
    }
    std::sort(imp.begin(), imp.end());
    std::sort(sidecar.begin(), sidecar.end());
    std::printf("onnx nodes %d -> design nodes %d (%d folded", rep.onnxNodes, rep.designNodes, rep.foldedNodes);
    for (auto& [k, v] : rep.lifted) std::printf(", %d %s", v, k.c_str());
    std::printf(")\nimport (read + parse + check + convert + validate): median %.0f ms, min %.0f ms over %d runs\n", imp[imp.size() / 2],
                imp.front(), repeats);
    std::printf("weights sidecar write: median %.0f ms\n", sidecar[sidecar.size() / 2]);
    if (keep.empty()) std::filesystem::remove(path);
    return 0;
}
