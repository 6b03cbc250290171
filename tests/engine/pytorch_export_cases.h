// Cases of the PyTorch export test (test_interop_export.cpp) for the ops of
// engine/interop/pytorch_export_more.cpp: the built-in templates at small
// sizes, and one design chaining every position, mask, window and selection op.
// Only test_interop_export.cpp includes it.
#pragma once

#include "graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace archscope::pytest {

struct TemplateCase {
    const char* name;  // row name
    const char* tmpl;  // template
    std::map<std::string, std::string> params;
};

// Small sizes (one layer or block per stage, short sequences) to keep the test fast under ASan.
inline std::vector<TemplateCase> templateCases() {
    return {
        {"gpt llama", "gpt", {{"layers", "1"}, {"d_model", "32"}, {"heads", "2"}, {"seq", "8"}, {"ctx", "16"}, {"vocab", "64"}, {"kv_heads", "1"}}},
        {"gpt gpt2", "gpt", {{"preset", "gpt2"}, {"layers", "1"}, {"d_model", "32"}, {"heads", "2"}, {"seq", "8"}, {"ctx", "16"}, {"vocab", "64"}}},
        {"vit", "vit", {{"image", "16"}, {"patch", "8"}, {"d_model", "32"}, {"layers", "1"}, {"heads", "2"}, {"classes", "4"}}},
        {"gtrxl", "gtrxl", {{"d_model", "32"}, {"layers", "1"}, {"heads", "2"}, {"hidden", "64"}, {"mem_len", "4"}, {"seq", "4"}}},
        {"swin", "swin", {{"image", "16"}, {"patch", "2"}, {"embed_dim", "16"}, {"depths", "2, 2"}, {"heads", "1, 2"}, {"window", "4"}, {"classes", "4"}}},
        {"crossvit", "crossvit",
         {{"image", "16"}, {"small_patch", "4"}, {"large_patch", "8"}, {"small_dim", "16"}, {"large_dim", "32"}, {"heads", "2"}, {"stages", "1"}, {"large_depth", "1"}}},
        {"block_transformer", "block_transformer",
         {{"vocab", "64"}, {"d_model", "32"}, {"heads", "2"}, {"block_len", "4"}, {"block_layers", "1"}, {"token_layers", "1"}, {"seq", "16"}}},
        {"convnet convnext_t", "convnet", {{"image", "32"}, {"dims", "8, 16, 16, 32"}, {"depths", "1, 1, 1, 1"}}},
        {"convnet mobilenet_v2", "convnet", {{"preset", "mobilenet_v2"}, {"image", "16"}}},
    };
}

// Every op of pytorch_export_more.cpp in one design; several outputs.
inline void opsChain(Graph& g) {
    auto node = [&g](const char* id, const char* op, std::map<std::string, AttrValue> a = {}) { g.addNode({id, op, std::move(a)}); };
    auto link = [&g](const char* from, const char* to, const char* port, const char* out = "y") { g.connect({from, out}, {to, port}); };
    g.metadata["name"] = "ops chain";
    // Sequence ops on x [2, 6, 16].
    node("x", "input", {{"shape", std::string("2, 6, 16")}});
    node("cls", "cls_token", {{"count", int64_t(2)}});
    node("pos", "pos_learned", {{"max_len", int64_t(10)}});
    node("sin", "pos_sinusoidal", {{"base", 100.0}, {"offset", int64_t(3)}});
    node("ls", "layer_scale", {{"init", 0.5}});
    node("elu", "elu1");
    node("cs", "cumsum", {{"axis", int64_t(1)}, {"exclusive", true}});
    node("csr", "cumsum", {{"axis", int64_t(-1)}, {"reverse", true}});
    node("keep", "keep_topk", {{"k", int64_t(5)}});
    node("top", "topk", {{"k", int64_t(3)}, {"axis", int64_t(1)}, {"largest", false}});
    node("heads", "unflatten", {{"axis", int64_t(-1)}, {"sizes", std::vector<int64_t>{4, -1}}});
    link("x", "cls", "x");
    link("cls", "pos", "x");
    link("pos", "sin", "x");
    link("sin", "ls", "x");
    link("ls", "elu", "x");
    link("elu", "cs", "x");
    link("elu", "csr", "x");
    link("ls", "keep", "x");
    link("ls", "top", "x");
    link("ls", "heads", "x");
    for (const char* o : {"cs", "csr", "keep", "heads"}) {
        const std::string out = std::string("out_") + o;
        g.addNode({out, "output"});
        g.connect({o, "y"}, {out, "x"});
    }
    node("out_top_v", "output");
    node("out_top_i", "output");
    link("top", "out_top_v", "x", "values");
    link("top", "out_top_i", "x", "indices");
    // Attention ops on q [1, 3, 5, 8] (3 heads: ALiBi's non-power-of-2 slopes), past [1, 3, 2, 8].
    node("q", "input", {{"shape", std::string("1, 3, 5, 8")}});
    node("past", "input", {{"shape", std::string("1, 3, 2, 8")}});
    node("rq", "rope", {{"rotary_dim", int64_t(4)}, {"offset", int64_t(1)}, {"base", 500.0}});
    node("rk", "rope");
    node("s", "matmul", {{"transpose_b", true}, {"alpha", 0.35}});
    node("causal", "causal_mask");
    node("slide", "sliding_window_mask", {{"window", int64_t(2)}, {"offset", int64_t(1)}});
    node("ali", "alibi");
    node("t5", "rel_bias", {{"num_buckets", int64_t(8)}, {"max_distance", int64_t(6)}});
    node("t5d", "rel_bias", {{"num_buckets", int64_t(6)}, {"max_distance", int64_t(5)}, {"bidirectional", false}});
    node("b1", "add");
    node("b2", "add");
    node("b3", "add");
    node("p1", "attn_softmax");
    node("p2", "attn_softmax");
    link("q", "rq", "x");
    link("q", "rk", "x");
    link("past", "rk", "past");
    link("rq", "s", "a");
    link("rk", "s", "b");
    link("s", "causal", "x");
    link("s", "slide", "x");
    link("s", "ali", "x");
    link("s", "t5", "x");
    link("s", "t5d", "x");
    link("past", "t5d", "past");
    link("s", "b1", "a");
    link("ali", "b1", "b");
    link("b1", "b2", "a");
    link("t5", "b2", "b");
    link("b2", "b3", "a");
    link("t5d", "b3", "b");
    link("b3", "p1", "x");
    link("causal", "p1", "mask");
    link("s", "p2", "x");
    link("slide", "p2", "mask");
    node("out_p1", "output");
    node("out_p2", "output");
    link("p1", "out_p1", "x");
    link("p2", "out_p2", "x");
    // Swin ops on m [2, 4, 4, 6], windows of 2 shifted by 1.
    node("m", "input", {{"shape", std::string("2, 4, 4, 6")}});
    node("wp", "window_partition", {{"window", int64_t(2)}, {"shift", int64_t(1)}});
    node("wm", "window_mask", {{"window", int64_t(2)}, {"shift", int64_t(1)}});
    node("ws", "matmul", {{"transpose_b", true}});
    node("wh", "unflatten", {{"axis", int64_t(0)}, {"sizes", std::vector<int64_t>{-1, 1}}});
    node("rpb", "rel_pos_bias", {{"window", int64_t(2)}});
    node("wsm", "attn_softmax");
    node("wr", "window_reverse", {{"window", int64_t(2)}, {"shift", int64_t(1)}});
    node("pm", "patch_merge");
    link("m", "wp", "x");
    link("m", "wm", "like");
    link("wp", "ws", "a");
    link("wp", "ws", "b");
    link("ws", "wh", "x");
    link("wh", "rpb", "x");
    link("rpb", "wsm", "x");
    link("wm", "wsm", "mask");
    link("wp", "wr", "x");
    link("m", "wr", "like");
    link("wr", "pm", "x");
    node("out_wsm", "output");
    node("out_pm", "output");
    link("wsm", "out_wsm", "x");
    link("pm", "out_pm", "x");
}

}  // namespace archscope::pytest
