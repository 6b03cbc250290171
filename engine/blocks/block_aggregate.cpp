// block_aggregate: the Block Transformer embedder, pooling L tokens into one block embedding.
//   concat: e[b, i] = W · [x[b, iL]; x[b, iL+1]; ..; x[b, iL+L-1]] + bias     ([B, T/L, out_dim])
//   mean:   e[b, i] = (1/L) sum_j x[b, iL + j]   (then W · e + bias when out_dim > 0)
// T must be a multiple of L. Parameters: proj.weight [out_dim, L*D or D], proj.bias.
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

bool expand(const Attrs& a, Graph* g, std::string*) {
    const int64_t len = a.i("block_len"), out = a.i("out_dim");
    Builder b(g);
    b.input("x");
    std::string e;
    if (a.s("mode") == "concat") {
        e = b.op("blocks", "unflatten", "x", {{"axis", i64(1)}, {"sizes", ints({-1, len})}});
        e = b.op("concat", "flatten", e, {{"start_axis", i64(2)}, {"end_axis", i64(3)}});
    } else {
        e = b.op("to_channels", "permute", "x", {{"perm", ints({0, 2, 1})}});
        e = b.op("pool", "avgpool1d", e, {{"kernel", len}, {"stride", len}});
        e = b.op("mean", "permute", e, {{"perm", ints({0, 2, 1})}});
    }
    if (out > 0) e = b.op("proj", "linear", e, {{"out_features", out}});
    b.output("y", e);
    return true;
}

}  // namespace

const OpDef& op_block_aggregate() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "block_aggregate";
        d.displayName = "Block Aggregate";
        d.category = "Blocks";
        d.doc = "Block Transformer embedder: groups every block_len consecutive tokens of [B, T, D] into one block embedding "
                "[B, T/block_len, out_dim], by concatenation and a linear projection, or by the mean.";
        d.inputs = {{"x", PortType::F32, "token embeddings [B, T, D], T a multiple of block_len"}};
        d.outputs = {{"y", PortType::F32, "block embeddings [B, T/block_len, out_dim] (no projection: L*D or D)"}};
        d.attrs = {attrInt("block_len", 4, 1, 1 << 16, "tokens per block L"),
                   attrEnum("mode", "concat", {"concat", "mean"}, "concat: [x_1; ..; x_L] then project; mean: average"),
                   attrInt("out_dim", 0, 0, 1 << 20, "width of the block embedding after a linear projection; 0 = no projection")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
