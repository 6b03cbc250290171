// PyTorch export: generates a readable nn.Module file from the flattened
// design. Nodes are partitioned into one class per composite block (by the
// block's id) or node group; the rest is the top-level class's forward.
// Each core op has one entry in pyTable() giving its module (if it has
// parameters) and its forward expression.
#include "interop/export.h"
#include "interop/pytorch_export_ctx.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace archscope {

using namespace pyout;

namespace {

std::string softmaxPy(Py& p) {
    return "masked_softmax(" + p.in(0) + ", " + p.in(1) + ", " + std::to_string(p.at().i("axis")) + ", " + num(p.at().f("temperature")) + ", " +
           num(p.at().f("zeta")) + ", " + num(p.at().f("gamma")) + ")";
}

std::string convPy(Py& p, int dims) {
    const int64_t c = p.inShape()[1];
    std::string k, s, pd, d;
    if (dims == 2) {
        k = pyList(pair2(p.at().ints("kernel"), 1)); s = pyList(pair2(p.at().ints("stride"), 1));
        pd = pyList(pair2(p.at().ints("padding"), 0)); d = pyList(pair2(p.at().ints("dilation"), 1));
    } else {
        k = std::to_string(p.at().i("kernel")); s = std::to_string(p.at().i("stride"));
        pd = p.at().b("causal") ? "0" : std::to_string(p.at().i("padding")); d = std::to_string(p.at().i("dilation"));
    }
    p.module = std::string("nn.Conv") + (dims == 2 ? "2d(" : "1d(") + std::to_string(c) + ", " + std::to_string(p.at().i("out_channels")) +
               ", kernel_size=" + k + ", stride=" + s + ", padding=" + pd + ", dilation=" + d + ", groups=" + std::to_string(p.at().i("groups")) +
               ", bias=" + (p.at().b("bias") ? "True" : "False") + ")";
    std::string x = p.in(0);
    if (dims == 1 && p.at().b("causal"))
        x = "F.pad(" + x + ", (" + std::to_string(p.at().i("dilation") * (p.at().i("kernel") - 1)) + ", 0))";
    return p.self + "(" + x + ")";
}

std::string poolPy(Py& p, bool avg, int dims) {
    std::string k, s, pd;
    if (dims == 2) {
        auto kk = pair2(p.at().ints("kernel"), 2);
        k = pyList(kk);
        s = pyList(p.at().ints("stride").empty() ? kk : pair2(p.at().ints("stride"), 1));
        pd = pyList(pair2(p.at().ints("padding"), 0));
    } else {
        k = std::to_string(p.at().i("kernel"));
        s = std::to_string(p.at().i("stride") ? p.at().i("stride") : p.at().i("kernel"));
        pd = std::to_string(p.at().i("padding"));
    }
    p.module = std::string(avg ? "nn.AvgPool" : "nn.MaxPool") + (dims == 2 ? "2d(" : "1d(") + k + ", " + s + ", " + pd +
               (avg ? std::string(", count_include_pad=") + (p.at().b("count_include_pad") ? "True" : "False") : "") + ")";
    return p.self + "(" + p.in(0) + ")";
}

std::string dimsPy(const std::vector<int64_t>& axes, int rank) {
    std::vector<int64_t> v;
    if (axes.empty()) for (int i = 0; i < rank; ++i) v.push_back(i);
    else for (auto x : axes) v.push_back(x < 0 ? x + rank : x);
    return pyList(v);
}

const std::map<std::string, PyFn>& pyTable() {
    static const std::map<std::string, PyFn> t = {
        {"linear", [](Py& p) {
             if (p.at().i("rank") > 0)
                 p.module = "LowRankLinear(" + std::to_string(p.inShape().back()) + ", " + std::to_string(p.at().i("out_features")) +
                            ", " + std::to_string(p.at().i("rank")) + ", bias=" + (p.at().b("bias") ? "True" : "False") + ")";
             else
                 p.module = "nn.Linear(" + std::to_string(p.inShape().back()) + ", " + std::to_string(p.at().i("out_features")) +
                            ", bias=" + (p.at().b("bias") ? "True" : "False") + ")";
             return p.self + "(" + p.in(0) + ")";
         }},
        {"matmul", [](Py& p) {
             std::string a = p.in(0), b = p.in(1);
             if (p.at().b("transpose_a")) a += ".transpose(-2, -1)";
             if (p.at().b("transpose_b")) b += ".transpose(-2, -1)";
             std::string e = "torch.matmul(" + a + ", " + b + ")";
             return p.at().f("alpha") == 1.0 ? e : e + " * " + num(p.at().f("alpha"));
         }},
        {"add", op("+")}, {"sub", op("-")}, {"mul", op("*")}, {"div", op("/")},
        {"scale", [](Py& p) { return p.in(0) + " * " + num(p.at().f("scale")) + " + " + num(p.at().f("bias")); }},
        {"clamp", [](Py& p) { return "torch.clamp(" + p.in(0) + ", min=" + num(p.at().f("min")) + ", max=" + num(p.at().f("max")) + ")"; }},
        {"relu", fn("F.relu")}, {"relu6", fn("F.relu6")}, {"gelu", fn("F.gelu")}, {"silu", fn("F.silu")},
        {"gelu_tanh", [](Py& p) { return "F.gelu(" + p.in(0) + ", approximate=\"tanh\")"; }},
        {"sigmoid", fn("torch.sigmoid")}, {"tanh", fn("torch.tanh")}, {"exp", fn("torch.exp")}, {"softplus", fn("F.softplus")},
        {"sqrt", fn("torch.sqrt")}, {"erf", fn("torch.erf")}, {"neg", fn("torch.neg")}, {"reciprocal", fn("torch.reciprocal")},
        {"pow", [](Py& p) { return "torch.pow(" + p.in(0) + ", " + num(p.at().f("exponent")) + ")"; }},
        {"softmax", softmaxPy}, {"attn_softmax", softmaxPy},
        {"layernorm", [](Py& p) {
             p.module = "nn.LayerNorm(" + std::to_string(p.inShape().back()) + ", eps=" + num(p.at().f("eps")) +
                        ", elementwise_affine=" + (p.at().b("affine") ? "True" : "False") + ")";
             return p.self + "(" + p.in(0) + ")";
         }},
        {"rmsnorm", [](Py& p) {
             p.module = "RMSNorm(" + std::to_string(p.inShape().back()) + ", eps=" + num(p.at().f("eps")) + ", affine=" +
                        (p.at().b("affine") ? "True" : "False") + ")";
             return p.self + "(" + p.in(0) + ")";
         }},
        {"batchnorm", [](Py& p) {
             p.module = std::string(p.inShape().size() == 4 ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") + std::to_string(p.inShape()[1]) +
                        ", eps=" + num(p.at().f("eps")) + ", affine=" + (p.at().b("affine") ? "True" : "False") + ")";
             return p.self + "(" + p.in(0) + ")";
         }},
        {"conv2d", [](Py& p) { return convPy(p, 2); }},
        {"conv1d", [](Py& p) { return convPy(p, 1); }},
        {"maxpool2d", [](Py& p) { return poolPy(p, false, 2); }}, {"avgpool2d", [](Py& p) { return poolPy(p, true, 2); }},
        {"maxpool1d", [](Py& p) { return poolPy(p, false, 1); }}, {"avgpool1d", [](Py& p) { return poolPy(p, true, 1); }},
        {"globalpool", [](Py& p) {
             std::vector<int64_t> axes;
             for (int i = 2; i < int(p.inShape().size()); ++i) axes.push_back(i);
             return p.in(0) + (p.at().s("mode") == "avg" ? ".mean(dim=" : ".amax(dim=") + pyList(axes) + ", keepdim=" +
                    (p.at().b("keepdims") ? "True" : "False") + ")";
         }},
        {"reshape", [](Py& p) { return p.in(0) + ".reshape" + pyList(p.outShape()); }},
        {"flatten", [](Py& p) { return p.in(0) + ".reshape" + pyList(p.outShape()); }},
        {"permute", [](Py& p) { return p.in(0) + ".permute" + pyList(p.at().ints("perm")); }},
        {"split", [](Py& p) { return "torch.split(" + p.in(0) + ", " + pyList(p.at().ints("sizes")) + ", dim=" + std::to_string(p.at().i("axis")) + ")"; }},
        {"concat", [](Py& p) {
             std::string s = "torch.cat([";
             for (int i = 0; i < int(p.info->def->inputs.size()); ++i)
                 if (std::string x = p.in(i); x != "None") s += (i ? ", " : "") + x;
             return s + "], dim=" + std::to_string(p.at().i("axis")) + ")";
         }},
        {"slice", [](Py& p) {
             const int r = int(p.inShape().size());
             int64_t ax = p.at().i("axis");
             if (ax < 0) ax += r;
             std::string idx;
             for (int i = 0; i < ax; ++i) idx += ":, ";
             return p.in(0) + "[" + idx + std::to_string(p.at().i("start")) + ":" + std::to_string(p.at().i("end")) + ":" +
                    std::to_string(p.at().i("step")) + "]";
         }},
        {"embedding", [](Py& p) {
             p.module = "nn.Embedding(" + std::to_string(p.at().i("num_embeddings")) + ", " + std::to_string(p.at().i("dim")) + ")";
             return p.self + "(" + p.in(0) + ")";
         }},
        {"constant", [](Py& p) { p.module = "Constant(" + pyList(p.outShape()) + ")"; return p.self + "()"; }},
        {"reduce", [](Py& p) {
             const std::string& m = p.at().s("mode");
             return p.in(0) + (m == "mean" ? ".mean(dim=" : m == "sum" ? ".sum(dim=" : ".amax(dim=") +
                    dimsPy(p.at().ints("axes"), int(p.inShape().size())) + ", keepdim=" + (p.at().b("keepdims") ? "True" : "False") + ")";
         }},
        {"expand", [](Py& p) { return p.in(0) + ".expand" + pyList(p.outShape()); }},
        {"equal", [](Py& p) { return "(" + p.in(0) + " == " + p.in(1) + ").float()"; }},
        {"logical_not", [](Py& p) { return "(" + p.in(0) + " == 0).float()"; }},
        {"gate", [](Py& p) {
             const std::string& act = p.at().s("act");
             const std::string b = act == "identity" ? p.in(1) : (act == "sigmoid" ? "torch.sigmoid(" : act == "silu" ? "F.silu(" : "F.gelu(") + p.in(1) + ")";
             return p.in(0) + " * " + b;
         }},
        {"where", [](Py& p) { return "torch.where(" + p.in(0) + " != 0, " + p.in(1) + ", " + p.in(2) + ")"; }},
    };
    return t;
}

const char* kPrelude = R"PY(import argparse
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_safetensors(path):
    """Reads a safetensors file (F32/I64) without the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        a, b = v["data_offsets"]
        dtype = {"F32": torch.float32, "I64": torch.int64}[v["dtype"]]
        raw = bytearray(data[8 + n + a:8 + n + b])
        out[name] = torch.frombuffer(raw, dtype=dtype).reshape(v["shape"]) if raw else torch.zeros(v["shape"], dtype=dtype)
    return out


def save_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        dt, t = ("I64", t.to(torch.int64)) if not t.is_floating_point() else ("F32", t.to(torch.float32))
        b = t.numpy().tobytes()
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def masked_softmax(x, mask, dim, temperature=1.0, zeta=1.0, gamma=0.0):
    """Archscope's softmax: x / temperature + mask; entries with mask <= -1e9 dropped,
    fully masked rows give zeros; optional clipping (zeta, gamma)."""
    z = x / temperature
    if mask is not None:
        z = (z + mask).masked_fill(mask <= -1e9, float("-inf"))
    y = torch.nan_to_num(torch.softmax(z, dim), nan=0.0)
    if zeta != 1.0 or gamma != 0.0:  # fully masked rows stay zeros
        kept = (z > float("-inf")).any(dim, keepdim=True)
        y = torch.where(kept, torch.clamp((zeta - gamma) * y + gamma, 0.0, 1.0), y)
    return y


class LowRankLinear(nn.Module):
    """y = (x A^T) B^T + b: a linear map whose weight is factorised as W = B A, A [rank, in], B [out, rank]."""

    def __init__(self, in_features, out_features, rank, bias=True):
        super().__init__()
        self.weight_a = nn.Parameter(torch.empty(rank, in_features))
        self.weight_b = nn.Parameter(torch.empty(out_features, rank))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None

    def forward(self, x):
        return F.linear(F.linear(x, self.weight_a), self.weight_b, self.bias)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6, affine=True):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim)) if affine else None

    def forward(self, x):
        y = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return y * self.weight if self.weight is not None else y


class Constant(nn.Module):
    """A stored tensor (imported tables, masks)."""

    def __init__(self, shape):
        super().__init__()
        self.register_buffer("value", torch.zeros(shape))

    def forward(self):
        return self.value

)PY";

// One class: members in execution order, external inputs and outputs.
struct Part {
    std::string id, cls, attr;
    std::vector<std::string> members;
    std::vector<PortRef> ins, outs;
};

class Generator {
public:
    Generator(const Graph& g, const Analysis& a, const WeightStore& w) : m_g(g), m_a(a), m_w(w) {}

    std::string run(const std::string& weightsName, TensorMap* state);

private:
    const Graph& m_g;
    const Analysis& m_a;
    const WeightStore& m_w;
    std::map<std::string, std::string> m_partOf;  // flat node -> part id ("" = top level)
    std::map<std::string, Part> m_parts;
    std::set<std::string> m_usedClasses;

    void partition();
    bool acyclic() const;
    std::string varOf(const PortRef& p) const {
        const NodeInfo& info = m_a.nodes.at(p.node);
        return pyName(p.node) + (info.def->outputs.size() > 1 ? "_" + pyName(p.port) : "");
    }
    // Statements of one node into `init` and `body`; state dict entries under `prefix`.
    void writeNode(const std::string& id, std::map<PortRef, std::string>& vars, std::string* init, std::string* body,
                   const std::string& prefix, TensorMap* state);
};

void Generator::partition() {
    std::map<std::string, std::string> groupOf;
    for (auto& gr : m_g.groups)
        for (auto& n : gr.nodes) groupOf[n] = gr.id;
    for (auto& id : m_a.order) {
        const std::string& op = m_a.graph().node(id)->op;
        std::string part;
        if (op != "input" && op != "output") {
            const size_t slash = id.find('/');
            if (slash != std::string::npos) part = id.substr(0, slash);
            else if (groupOf.count(id)) part = "group:" + groupOf[id];
        }
        m_partOf[id] = part;
        if (!part.empty()) m_parts[part].members.push_back(id);
    }
    if (!acyclic()) {  // groups that interleave with outside nodes become top-level code
        for (auto& [id, part] : m_partOf)
            if (part.rfind("group:", 0) == 0) part.clear();
        for (auto it = m_parts.begin(); it != m_parts.end();) it = it->first.rfind("group:", 0) == 0 ? m_parts.erase(it) : std::next(it);
    }
    for (auto& [pid, p] : m_parts) {
        p.id = pid;
        const std::string base = pid.rfind("group:", 0) == 0 ? pid.substr(6) : pid;
        p.cls = className(base);
        while (m_usedClasses.count(p.cls)) p.cls += "_";
        m_usedClasses.insert(p.cls);
        p.attr = pyName(base);
        std::set<PortRef> ins, outs;
        for (auto& e : m_a.graph().edges()) {
            const bool fromIn = m_partOf[e.from.node] == pid, toIn = m_partOf[e.to.node] == pid;
            if (!fromIn && toIn) ins.insert(e.from);
            if (fromIn && !toIn) outs.insert(e.from);
        }
        p.ins.assign(ins.begin(), ins.end());
        p.outs.assign(outs.begin(), outs.end());
    }
}

// Contracts each part to one vertex; true if the result has no cycle.
bool Generator::acyclic() const {
    auto key = [&](const std::string& id) { const std::string& p = m_partOf.at(id); return p.empty() ? "n:" + id : p; };
    std::map<std::string, std::set<std::string>> out;
    std::map<std::string, int> indeg;
    for (auto& id : m_a.order) indeg[key(id)];
    for (auto& e : m_a.graph().edges()) {
        std::string a = key(e.from.node), b = key(e.to.node);
        if (a != b && out[a].insert(b).second) ++indeg[b];
    }
    std::vector<std::string> ready;
    for (auto& [k, d] : indeg) if (d == 0) ready.push_back(k);
    size_t seen = 0;
    while (!ready.empty()) {
        std::string k = ready.back();
        ready.pop_back();
        ++seen;
        for (auto& b : out[k]) if (--indeg[b] == 0) ready.push_back(b);
    }
    return seen == indeg.size();
}

void Generator::writeNode(const std::string& id, std::map<PortRef, std::string>& vars, std::string* init, std::string* body,
                          const std::string& prefix, TensorMap* state) {
    const NodeInfo& info = m_a.nodes.at(id);
    const Node* n = m_a.graph().node(id);
    const PyFn* fn = nullptr;
    for (auto* table : {&pyTable(), &morePyTable(), &seqPyTable()})
        if (auto it = table->find(n->op); it != table->end()) fn = &it->second;
    if (!fn && !info.def->plugin.empty())  // plugins give no Python form (plugins/include/archscope_plugin.h)
        throw PyError("node \"" + id + "\" (plugin op \"" + n->op + "\" of plugin \"" + info.def->plugin +
                      "\": plugin ops have no PyTorch form; export to ONNX instead)");
    if (!fn) throw PyError("node \"" + id + "\" (op \"" + n->op + "\")");
    Py p{m_a, n, &info, &vars, "", "self." + pyName(id)};
    std::string expr = (*fn)(p);
    if (!p.module.empty()) {
        *init += "        self." + pyName(id) + " = " + p.module + "\n";
        for (auto& ps : info.params) {
            const Tensor* t = m_w.find(info.weightNode, ps.name);
            if (!t) throw PyError("node \"" + id + "\": weight \"" + ps.name + "\" missing");
            (*state)[prefix + pyName(id) + "." + ps.name] = *t;
        }
        if (n->op == "batchnorm") (*state)[prefix + pyName(id) + ".num_batches_tracked"] = Tensor::i64({}, {0});
    }
    std::string lhs;
    for (size_t k = 0; k < info.def->outputs.size() && k < info.outputs.size(); ++k) {
        PortRef pr{id, info.def->outputs[k].name};
        vars[pr] = varOf(pr);
        lhs += (k ? ", " : "") + vars[pr];
    }
    if (info.outputs.size() == 1 && n->op == "split") lhs += ",";
    *body += "        " + lhs + " = " + expr + "\n";
}

std::string Generator::run(const std::string& weightsName, TensorMap* state) {
    partition();
    std::string classes, missing;
    auto note = [&missing](const PyError& e) {  // nodes downstream of a reported node add nothing
        if (missing.empty() || std::string(e.what()).rfind("internal: input", 0) != 0) missing += "\n  " + std::string(e.what());
    };
    // Part classes.
    for (auto& [pid, p] : m_parts) {
        std::map<PortRef, std::string> vars;
        std::string args, init, body;
        for (auto& i : p.ins) { vars[i] = varOf(i); args += ", " + vars[i]; }
        for (auto& id : p.members) {
            try { writeNode(id, vars, &init, &body, p.attr + ".", state); } catch (const PyError& e) { note(e); }
        }
        std::string rets;
        for (size_t k = 0; k < p.outs.size(); ++k) rets += (k ? ", " : "") + varOf(p.outs[k]);
        const std::string label = pid.rfind("group:", 0) == 0 ? "Node group " + pid.substr(6) + "." : "Composite block " + pid + ".";
        classes += "class " + p.cls + "(nn.Module):\n    \"\"\"" + label + "\"\"\"\n\n    def __init__(self):\n        super().__init__()\n" +
                   (init.empty() ? "        pass\n" : init) + "\n    def forward(self" + args + "):\n" + body + "        return " + rets +
                   (p.outs.size() == 1 ? ",\n\n\n" : "\n\n\n");
    }
    // Top level.
    auto nameIt = m_g.metadata.find("name");
    std::string top = className(nameIt != m_g.metadata.end() && !nameIt->second.empty() ? nameIt->second : "Design");
    while (m_usedClasses.count(top)) top += "_";
    std::string init, body, args, rets, inputList, outputList;
    std::map<PortRef, std::string> vars;
    std::set<std::string> done;
    for (auto& id : m_a.order) {
        const Node* n = m_a.graph().node(id);
        const std::string& part = m_partOf[id];
        if (n->op == "input") {
            vars[{id, "y"}] = pyName(id);
            args += ", " + pyName(id);
            inputList += "\"" + id + "\", ";
            continue;
        }
        if (n->op == "output") continue;  // below, once every block has been called
        if (part.empty()) {
            try { writeNode(id, vars, &init, &body, "", state); } catch (const PyError& e) { note(e); }
            continue;
        }
        const Part& p = m_parts.at(part);
        if (id != p.members.back()) continue;  // a part runs where its last member would
        if (!done.insert(part).second) continue;
        if (std::any_of(p.ins.begin(), p.ins.end(), [&](const PortRef& r) { return !vars.count(r); })) continue;  // fed by a node listed in `missing`
        init += "        self." + p.attr + " = " + p.cls + "()\n";
        std::string call = "self." + p.attr + "(", lhs;
        for (size_t k = 0; k < p.ins.size(); ++k) call += (k ? ", " : "") + vars.at(p.ins[k]);
        for (size_t k = 0; k < p.outs.size(); ++k) {
            vars[p.outs[k]] = varOf(p.outs[k]);
            lhs += (k ? ", " : "") + vars[p.outs[k]];
        }
        body += "        " + lhs + (p.outs.size() == 1 ? "," : "") + " = " + call + ")\n";
    }
    // Outputs last: an output fed by a block (a MoE layer's router load) can come before the node
    // of the block that runs the block's call in the topological order.
    for (auto& id : m_a.order) {
        if (m_a.graph().node(id)->op != "output") continue;
        auto src = m_a.graph().source({id, "x"});
        if (!vars.count(*src)) {
            if (missing.empty()) throw PyError("internal: output \"" + id + "\" is not computed");
            continue;  // downstream of a node listed in `missing`
        }
        rets += (rets.empty() ? "" : ", ") + vars.at(*src);
        outputList += "\"" + id + "\", ";
    }
    if (!missing.empty()) throw PyError("no PyTorch export for:" + missing);
    std::string code = "# Generated by `archscope export --format pytorch`: the design as an nn.Module.\n"
                       "# Run: python3 THIS.py [--inputs in.safetensors] [--outputs out.safetensors]\n" +
                       std::string(kPrelude) + morePyPrelude() + seqPyPrelude() + "\n" + classes + "class " + top + "(nn.Module):\n    \"\"\"The whole design.\"\"\"\n\n" +
                       "    INPUTS = [" + inputList + "]\n    OUTPUTS = [" + outputList + "]\n\n" +
                       "    def __init__(self):\n        super().__init__()\n" + (init.empty() ? "        pass\n" : init) +
                       "\n    def forward(self" + args + "):\n" + body + "        return " + rets + "\n\n\n";
    code += "Model = " + top + "\nWEIGHTS = \"" + weightsName + "\"\n\n\n"
            "def main():\n"
            "    ap = argparse.ArgumentParser(description=\"Runs the exported design.\")\n"
            "    ap.add_argument(\"--weights\", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS))\n"
            "    ap.add_argument(\"--inputs\", help=\"safetensors file with one tensor per input node\")\n"
            "    ap.add_argument(\"--outputs\", help=\"write the outputs (by output node) to this safetensors file\")\n"
            "    args = ap.parse_args()\n"
            "    model = Model()\n"
            "    model.load_state_dict(load_safetensors(args.weights))\n"
            "    model.eval()\n"
            "    if not args.inputs:\n"
            "        raise SystemExit(\"give --inputs in.safetensors with tensors \" + \", \".join(Model.INPUTS))\n"
            "    inputs = load_safetensors(args.inputs)\n"
            "    with torch.no_grad():\n"
            "        y = model(*[inputs[n] for n in Model.INPUTS])\n"
            "    y = y if isinstance(y, tuple) else (y,)\n"
            "    outs = dict(zip(Model.OUTPUTS, y))\n"
            "    for n, t in outs.items():\n"
            "        print(n, tuple(t.shape), float(t.float().sum()))\n"
            "    if args.outputs:\n"
            "        save_safetensors(args.outputs, outs)\n\n\n"
            "if __name__ == \"__main__\":\n    main()\n";
    return code;
}

}  // namespace

bool exportPyTorch(const Graph& g, const Analysis& a, const WeightStore& w, const std::string& weightsName, std::string* code,
                   TensorMap* stateDict, std::string* err) {
    if (!a.ok()) { *err = "the design does not validate: " + a.errorText(); return false; }
    stateDict->clear();
    try {
        Generator gen(g, a, w);
        *code = gen.run(weightsName, stateDict);
    } catch (const PyError& e) {
        *err = e.what();
        return false;
    }
    return true;
}

}  // namespace archscope
