// The two ends every language-model template shares:
//   ids [B, T] (i64 in [0, vocab)) -> token embedding [B, T, d]
//   x [B, T, d] -> head (norm + linear to vocab, no bias) -> output "logits".
#pragma once

#include "blocks/body_builder.h"

#include <string>

namespace archscope::tmpl {

inline PortRef tokenEmbedding(blocks::BodyBuilder& b, int64_t vocab, int64_t d) {
    using namespace blocks;
    PortRef ids = b.add("ids", "input", {{"shape", S("B, T")}, {"dtype", S("i64")}, {"high", I(vocab)}}, {});
    return b.add("embed", "embedding", {{"num_embeddings", I(vocab)}, {"dim", I(d)}}, {{"ids", ids}});
}

// norm: "rmsnorm", "layernorm" or "" (the head's default).
inline void lmHead(blocks::BodyBuilder& b, PortRef x, int64_t vocab, const std::string& norm) {
    using namespace blocks;
    AttrList a = {{"out_features", I(vocab)}, {"pool", S("none")}, {"bias", B(false)}};
    if (!norm.empty()) a["norm"] = S(norm);
    PortRef y = b.add("lm_head", "head", a, {{"x", x}});
    b.add("logits", "output", {}, {{"x", y}});
}

}  // namespace archscope::tmpl
