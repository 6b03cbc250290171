// block_transformer: global-to-local Block Transformer LM (Ho et al. 2024).
//   ids [B, T] -> token embedding x [B, T, D]
//   embedder:       e = block_aggregate(x): every L tokens concatenated and projected  [B, T/L, D]
//   block decoder:  c = block_layers x causal Transformer layers over the T/L blocks (RoPE)
//   token decoder:  s = block_broadcast(c, x): block i's local sequence [P prefix tokens from
//                   the context of block i-1; its L tokens]                          [B*T/L, P+L, D]
//                   token_layers x causal Transformer layers inside each local sequence (RoPE)
//   logits = LM head over the token positions, reshaped back to [B, T, vocab].
// Only the block decoder attends across the whole context (over T/L positions); the token
// decoder's attention and KV cache stay within one block.
#include "blocks/body_builder.h"
#include "templates/lm_parts.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

PortRef causalLayers(BodyBuilder& b, const std::string& prefix, PortRef x, int64_t n, int64_t d, int64_t heads) {
    for (int64_t i = 0; i < n; ++i)
        x = b.add(prefix + std::to_string(i), "transformer_layer",
                  {{"d_model", I(d)}, {"heads", I(heads)}, {"hidden", I(4 * d)}, {"act", S("gelu")}, {"causal", B(true)},
                   {"pos", S("rope")}}, {{"x", x}});
    return x;
}

bool buildBlockTransformer(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), len = p.i("block_len"), prefix = p.i("prefix"), heads = p.i("heads"), vocab = p.i("vocab");
    if (d % heads != 0) return *err = "d_model " + std::to_string(d) + " is not divisible by heads " + std::to_string(heads), false;
    if (p.i("seq") % len != 0)
        return *err = "seq " + std::to_string(p.i("seq")) + " must be a multiple of block_len " + std::to_string(len), false;
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "sequence length, a multiple of block_len"}};
    BodyBuilder b(g);
    PortRef x = tokenEmbedding(b, vocab, d);
    PortRef e = b.add("embedder", "block_aggregate", {{"block_len", I(len)}, {"mode", S("concat")}, {"out_dim", I(d)}}, {{"x", x}});
    PortRef c = causalLayers(b, "block_decoder", e, p.i("block_layers"), d, heads);
    c = b.add("block_norm", "layernorm", {}, {{"x", c}});
    PortRef s = b.add("broadcast", "block_broadcast", {{"block_len", I(len)}, {"prefix", I(prefix)}, {"dim", I(d)}}, {{"ctx", c}, {"x", x}});
    s = causalLayers(b, "token_decoder", s, p.i("token_layers"), d, heads);
    s = b.add("drop_prefix", "slice", {{"axis", I(1)}, {"start", I(prefix)}}, {{"x", s}});
    s = b.add("tokens", "reshape", {{"shape", S("B, T, " + std::to_string(d))}}, {{"x", s}});
    lmHead(b, s, vocab, "");
    return true;
}

}  // namespace

const TemplateDef& template_block_transformer() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "block_transformer";
        t.title = "Block Transformer";
        t.paper = "Ho et al. 2024, Block Transformer";
        t.description = "Global-to-local language model from Ho et al. 2024, \"Block Transformer: Global-to-Local Language Modeling "
                        "for Fast Inference\". An embedder pools every block_len tokens into one block embedding; a causal block "
                        "decoder attends over blocks only (a KV cache block_len times shorter); a token decoder then decodes each "
                        "block locally, conditioned on prefix tokens made from the previous block's context embedding, so its "
                        "attention and KV cache never span more than one block. The paper reports 10-20x higher inference "
                        "throughput than a vanilla Transformer of equal perplexity; the default is a miniature with block length 4.";
        t.params = {attrInt("vocab", 256, 2, 1 << 20, "vocabulary size"),
                    attrInt("d_model", 64, 8, 1 << 16, "width of embeddings and both decoders"),
                    attrInt("heads", 4, 1, 256, "attention heads"),
                    attrInt("block_len", 4, 1, 1024, "tokens per block L"),
                    attrInt("prefix", 1, 1, 64, "prefix tokens of the token decoder"),
                    attrInt("block_layers", 2, 1, 256, "layers of the block decoder"),
                    attrInt("token_layers", 2, 1, 256, "layers of the token decoder"),
                    attrInt("batch", 1, 1, 4096, "default B"),
                    attrInt("seq", 64, 1, 1 << 20, "default T (a multiple of block_len)")};
        t.build = buildBlockTransformer;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
