// loop: a weight-tied repeat of a block (looped / recursive transformers, AlgoFormer,
// the looped ICL construction):  y = f(f(...f(x)))  with `iterations` applications of one
// block `block` (an op id whose ports are x -> y, attributes from the JSON `block_attrs`).
// Every iteration uses the parameters of the first (Node::weightsOf), so the parameter
// count is that of one block while FLOPs scale with the iterations. The body is the block
// flattened to primitives, repeated as it0/..., it1/..., ...
#include "blocks/body_builder.h"
#include "core/registry.h"
#include "graph/flatten.h"
#include "ops/common.h"

#include <nlohmann/json.hpp>

namespace archscope::ops {

using namespace blocks;

namespace {

bool parseBlockAttrs(const std::string& text, AttrList* out, std::string* err) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) { *err = "block_attrs is not a JSON object: " + text; return false; }
    for (auto& [k, v] : j.items()) {
        if (v.is_boolean()) (*out)[k] = v.get<bool>();
        else if (v.is_number_integer()) (*out)[k] = v.get<int64_t>();
        else if (v.is_number()) (*out)[k] = v.get<double>();
        else if (v.is_string()) (*out)[k] = v.get<std::string>();
        else if (v.is_array() && std::all_of(v.begin(), v.end(), [](auto& e) { return e.is_number_integer(); }))
            (*out)[k] = v.get<std::vector<int64_t>>();
        else { *err = "block_attrs: value of \"" + k + "\" is not a number, bool, string or list of integers"; return false; }
    }
    return true;
}

// Maps an id of the flattened one-block graph ("b" or "b/...") to iteration i.
std::string iterId(const std::string& id, int64_t i) { return "it" + std::to_string(i) + id.substr(1); }

bool expandLoop(const Attrs& a, Graph* g, std::string* err) {
    const OpRegistry& reg = OpRegistry::global();
    const OpDef* def = reg.find(a.s("block"));
    if (!def) { *err = "block \"" + a.s("block") + "\" is not an op id (did you mean \"" + reg.suggest(a.s("block")) + "\"?)"; return false; }
    if (def->inputIndex("x") < 0 || def->outputIndex("y") < 0) { *err = "block \"" + def->id + "\" needs an input x and an output y"; return false; }
    Graph one;
    AttrList attrs;
    if (!parseBlockAttrs(a.s("block_attrs"), &attrs, err)) return false;
    one.addNode({"x", "input"});
    one.addNode({"b", def->id, attrs});
    one.addNode({"y", "output"});
    one.connect({"x", "y"}, {"b", "x"});
    one.connect({"b", "y"}, {"y", "x"});
    FlattenResult fr;
    if (!flattenGraph(one, reg, &fr)) { *err = fr.errors.front(); return false; }
    BodyBuilder b(g);
    PortRef cur = b.input("x");
    for (int64_t i = 0; i < a.i("iterations"); ++i) {
        for (auto& n : fr.flat.nodes()) {
            if (n.op == "input" || n.op == "output") continue;
            Node c = n;
            c.id = iterId(n.id, i);
            c.y += 80.0 * double(fr.flat.nodes().size()) * double(i);
            if (!n.weightsOf.empty()) c.weightsOf = iterId(n.weightsOf, 0);
            else if (i > 0) c.weightsOf = iterId(n.id, 0);
            g->addNode(c);
        }
        PortRef next;
        for (auto& e : fr.flat.edges()) {
            if (e.to.node == "y") { next = {iterId(e.from.node, i), e.from.port}; continue; }
            PortRef from = e.from.node == "x" ? cur : PortRef{iterId(e.from.node, i), e.from.port};
            g->connect(from, {iterId(e.to.node, i), e.to.port});
        }
        cur = next;
    }
    b.output("y", cur);
    return true;
}

}  // namespace

const OpDef& op_loop() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "loop";
        d.displayName = "Loop";
        d.category = "Blocks";
        d.doc = "Applies one block `iterations` times with shared weights (looped transformer): parameters of one "
                "block, compute of all iterations.";
        d.inputs = {{"x", PortType::F32, "input of the first iteration"}};
        d.outputs = {{"y", PortType::F32, "output of the last iteration"}};
        d.attrs = {attrInt("iterations", 2, 1, 1024, "how many times the block is applied"),
                   attrString("block", "transformer_layer", "op id of the repeated block (ports x -> y)"),
                   attrString("block_attrs", "{}", "attributes of the block as a JSON object, e.g. {\"d_model\": 64}")};
        d.expand = expandLoop;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
