// block_broadcast: hands the Block Transformer's block context back to the tokens. For block i
// of x [B, T, D] (T = nb*L) and context ctx [B, nb, G] from the block decoder:
//   c_i   = ctx[:, i-1] if shift (c_0 = 0) else ctx[:, i]     (the token decoder of block i
//           then sees only earlier blocks through the global path)
//   pre_i = unflatten(W c_i + bias, [P, D])                    (P prefix tokens)
//   y[b*nb + i] = [pre_i; x[b, iL : iL+L]]                     ([B*nb, P+L, D])
// so the token decoder runs on B*nb short sequences. Parameters: prefix.weight [P*D, G], prefix.bias.
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

bool expand(const Attrs& a, Graph* g, std::string*) {
    const int64_t len = a.i("block_len"), prefix = a.i("prefix"), dim = a.i("dim");
    Builder b(g);
    b.input("ctx");
    b.input("x");
    std::string c = "ctx";
    if (a.b("shift")) {
        std::string first = b.op("first", "slice", "ctx", {{"axis", i64(1)}, {"start", i64(0)}, {"end", i64(1)}});
        std::string zero = b.op("zero", "scale", first, {{"scale", 0.0}});
        std::string prev = b.op("previous", "slice", "ctx", {{"axis", i64(1)}, {"start", i64(0)}, {"end", i64(-1)}});
        c = b.add("shifted", "concat", {{"axis", i64(1)}}, {{"a", zero}, {"b", prev}});
    }
    std::string pre = b.op("prefix", "linear", c, {{"out_features", prefix * dim}});
    pre = b.op("prefix_tokens", "unflatten", pre, {{"axis", i64(-1)}, {"sizes", ints({prefix, dim})}});
    std::string tok = b.op("blocks", "unflatten", "x", {{"axis", i64(1)}, {"sizes", ints({-1, len})}});
    std::string cat = b.add("cat", "concat", {{"axis", i64(2)}}, {{"a", pre}, {"b", tok}});
    b.output("y", b.op("batch", "flatten", cat, {{"start_axis", i64(0)}, {"end_axis", i64(1)}}));
    return true;
}

}  // namespace

const OpDef& op_block_broadcast() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "block_broadcast";
        d.displayName = "Block Broadcast";
        d.category = "Blocks";
        d.doc = "Block Transformer: projects each block's context embedding into prefix tokens and prepends them to that "
                "block's tokens, giving [B*nb, prefix+L, D] local sequences for the token decoder (shift: block i sees the "
                "context of block i-1).";
        d.inputs = {{"ctx", PortType::F32, "block decoder output [B, nb, G]"},
                    {"x", PortType::F32, "token embeddings [B, nb*L, D]"}};
        d.outputs = {{"y", PortType::F32, "[B*nb, prefix+L, D]: prefix tokens then the block's tokens"}};
        d.attrs = {attrInt("block_len", 4, 1, 1 << 16, "tokens per block L"),
                   attrInt("prefix", 1, 1, 1 << 10, "prefix tokens P made from each context embedding"),
                   attrRequiredInt("dim", 1, 1 << 16, "token width D"),
                   attrBool("shift", true, "condition block i on the context of block i-1 (zeros for block 0)")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
