// libFuzzer target: the plugin loader's checks of what a plugin declares and
// returns. The bytes describe one op as a plugin would (ids, ports, attribute
// definitions with defaults, ranges and choices), and script its infer()
// callback (output and parameter counts, ranks, dims, names without a NUL,
// error text, failure) and its expand() body (composite ops). The op goes
// through adaptPluginOp() and, when accepted, through analysis of a design
// using it. A buggy plugin must give a message, never a crash in Archscope.
// (Array counts are trusted: a plugin runs in-process, so a lie about an
// array's length cannot be defended against.)
#include "archscope_plugin.h"
#include "core/registry.h"
#include "graph/analysis.h"
#include "plugins/plugin_adapter.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstring>
#include <string>
#include <vector>

using namespace archscope;

namespace {

thread_local FuzzedDataProvider* g_fdp = nullptr;

int fuzzInfer(archscope_infer_args* a) {
    FuzzedDataProvider& f = *g_fdp;
    a->output_count = f.ConsumeIntegralInRange<int32_t>(-1, ARCHSCOPE_MAX_OUTPUTS + 1);
    for (auto& o : a->outputs) {
        o.dtype = f.ConsumeIntegralInRange<int32_t>(-1, 2);
        o.rank = f.ConsumeIntegralInRange<int32_t>(-1, ARCHSCOPE_MAX_RANK + 1);
        for (auto& d : o.dims) {
            d.value = f.ConsumeBool() ? f.ConsumeIntegral<int64_t>() : f.ConsumeIntegralInRange<int64_t>(-2, 9);
            d.input = f.ConsumeIntegralInRange<int32_t>(-1, 4);
            d.axis = f.ConsumeIntegralInRange<int32_t>(-10, 10);
        }
        if (f.remaining_bytes() == 0) break;
    }
    a->param_count = f.ConsumeIntegralInRange<int32_t>(-1, ARCHSCOPE_MAX_PARAMS + 1);
    for (int32_t p = 0; p < ARCHSCOPE_MAX_PARAMS && f.remaining_bytes(); ++p) {
        auto& s = a->params[p];
        std::string name = f.ConsumeBytesAsString(f.ConsumeIntegralInRange<size_t>(0, ARCHSCOPE_NAME_MAX));
        std::memcpy(s.name, name.data(), name.size());  // may fill all 64 bytes: no NUL
        s.init = f.ConsumeIntegralInRange<int32_t>(-1, 4);
        s.scale = f.ConsumeFloatingPoint<float>();
        s.rank = f.ConsumeIntegralInRange<int32_t>(-1, ARCHSCOPE_MAX_RANK + 1);
        for (auto& d : s.shape) d = f.ConsumeIntegralInRange<int64_t>(-2, 1 << 20);
    }
    a->flops = f.ConsumeIntegral<int64_t>();
    a->bytes = f.ConsumeBool() ? -1 : f.ConsumeIntegral<int64_t>();
    a->error_input = f.ConsumeIntegralInRange<int32_t>(-2, 5);
    std::string e = f.ConsumeBytesAsString(f.ConsumeIntegralInRange<size_t>(0, ARCHSCOPE_ERROR_MAX));
    std::memcpy(a->error, e.data(), e.size());  // may be unterminated
    return f.ConsumeBool() ? 0 : 1;
}

int fuzzCpu(archscope_kernel_args*) { return 0; }

int fuzzExpand(archscope_expand_args* a) {
    FuzzedDataProvider& f = *g_fdp;
    std::string body = f.ConsumeRandomLengthString(4096);
    a->length = f.ConsumeBool() ? body.size() : f.ConsumeIntegral<size_t>();  // may lie about the length
    if (a->body && a->capacity > 0) {
        size_t n = std::min(body.size(), a->capacity - 1);
        std::memcpy(a->body, body.data(), n);
        a->body[n] = 0;
    }
    return f.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider f(data, size);
    g_fdp = &f;
    // Strings stay alive in these vectors for the whole run.
    std::vector<std::string> strings;
    strings.reserve(64);
    auto str = [&](size_t max) -> const char* {
        if (f.ConsumeIntegralInRange<int>(0, 15) == 0) return nullptr;
        strings.push_back(f.ConsumeRandomLengthString(max));
        return strings.back().c_str();
    };
    std::vector<archscope_port_def> ins(f.ConsumeIntegralInRange<size_t>(0, 3)), outs(f.ConsumeIntegralInRange<size_t>(0, 9));
    for (auto* v : {&ins, &outs})
        for (auto& p : *v) p = {str(12), f.ConsumeIntegralInRange<int32_t>(-1, 3), f.ConsumeIntegralInRange<int32_t>(0, 1), str(8)};
    std::vector<archscope_attr_def> attrs(f.ConsumeIntegralInRange<size_t>(0, 3));
    std::vector<std::vector<const char*>> choices(attrs.size());
    std::vector<std::vector<int64_t>> ints(attrs.size());
    for (size_t i = 0; i < attrs.size(); ++i) {
        auto& a = attrs[i];
        a.name = str(12);
        a.type = f.ConsumeIntegralInRange<int32_t>(-1, 7);
        a.required = f.ConsumeIntegralInRange<int32_t>(0, 1);
        a.default_int = f.ConsumeIntegral<int64_t>();
        a.default_float = f.ConsumeFloatingPoint<double>();
        a.default_string = str(16);
        for (size_t k = f.ConsumeIntegralInRange<size_t>(0, 4); k > 0; --k) ints[i].push_back(f.ConsumeIntegral<int64_t>());
        a.default_ints = ints[i].empty() ? nullptr : ints[i].data();
        a.default_ints_count = int32_t(ints[i].size());
        a.has_range = f.ConsumeIntegralInRange<int32_t>(0, 1);
        a.min = f.ConsumeFloatingPoint<double>();
        a.max = f.ConsumeFloatingPoint<double>();
        for (size_t k = f.ConsumeIntegralInRange<size_t>(0, 3); k > 0; --k) choices[i].push_back(str(8));
        a.choices = choices[i].empty() ? nullptr : choices[i].data();
        a.choice_count = int32_t(choices[i].size());
        a.doc = str(8);
    }
    archscope_op_def op{};
    op.id = str(24);
    op.display_name = str(16);
    op.category = str(16);
    op.doc = str(16);
    op.inputs = ins.empty() ? nullptr : ins.data();
    op.input_count = int32_t(ins.size());
    op.outputs = outs.empty() ? nullptr : outs.data();
    op.output_count = int32_t(outs.size());
    op.attrs = attrs.empty() ? nullptr : attrs.data();
    op.attr_count = int32_t(attrs.size());
    if (f.ConsumeBool()) {
        op.expand = fuzzExpand;
    } else {
        op.infer = fuzzInfer;
        op.cpu = fuzzCpu;
    }
    std::shared_ptr<OpDef> def;
    std::string err;
    if (!adaptPluginOp(op, "fuzzplug", &def, &err)) return 0;
    OpRegistry reg;
    registerCoreOps(reg);
    if (!reg.add(def, &err)) return 0;
    // A design using the op: an input per input port, an output per output.
    Graph g;
    Node n;
    n.id = "p";
    n.op = def->id;
    g.addNode(n);
    for (auto& p : def->inputs) {
        g.addNode({"in_" + p.name, "input", {{"shape", std::string("2, 3")}}});
        g.connect({"in_" + p.name, "y"}, {"p", p.name});
    }
    for (auto& p : def->outputs) {
        g.addNode({"out_" + p.name, "output", {}});
        g.connect({"p", p.name}, {"out_" + p.name, "x"});
    }
    AnalyzeOptions opt;
    opt.maxElements = int64_t(1) << 20;
    Analysis a = analyze(g, opt, reg);
    (void)a.errorText();
    return 0;
}
