// Importer state: values, node emission with shape inference, dead-node
// removal and grouping by ONNX name scope. See onnx_importer.h.
#include "interop/onnx_importer.h"
#include "interop/onnx_plugin.h"

#if ARCHSCOPE_HAVE_ONNX

#include "graph/design_io.h"
#include "graph/flatten.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace archscope::onnxin {

// ------------------------------------------------------------ tensors

namespace {

constexpr int64_t kMaxTensorElements = int64_t(1) << 34;  // as the .npy and safetensors readers

template <typename T>
void copyRaw(const std::string& raw, Tensor* out, bool toFloat) {
    const size_t n = raw.size() / sizeof(T);
    const T* p = reinterpret_cast<const T*>(raw.data());
    if (toFloat) for (size_t i = 0; i < n; ++i) out->f32()[i] = float(p[i]);
    else for (size_t i = 0; i < n; ++i) out->i64()[i] = int64_t(p[i]);
}

float halfToFloat(uint16_t h) {
    const uint32_t s = uint32_t(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    uint32_t bits;
    if (e == 0) {
        if (m == 0) bits = s;
        else { float f = std::ldexp(float(m), -24); return s ? -f : f; }
    } else if (e == 31) bits = s | 0x7f800000u | (m << 13);
    else bits = s | ((e + 112) << 23) | (m << 13);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace

// The file holding the external data of `t`, resolved under `baseDir`. The
// location must stay inside the model's folder (no absolute path, no "..",
// no symlink leading out): a model must never make the importer open
// anything else on the machine.
std::string externalDataPath(const onnx::TensorProto& t, const std::string& baseDir) {
    namespace fs = std::filesystem;
    std::string location;
    for (auto& kv : t.external_data())
        if (kv.key() == "location") location = kv.value();
    const fs::path rel(location);
    bool escapes = location.empty() || rel.is_absolute() || rel.has_root_name() || rel.has_root_directory();
    for (auto& part : rel) escapes = escapes || part == "..";
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(fs::path(baseDir), ec);
    const fs::path full = fs::weakly_canonical(fs::path(baseDir) / rel, ec);
    if (!escapes) {  // symlinks: the resolved path must still be under the folder
        auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
        escapes = b != base.end();
    }
    if (escapes)
        throw ImportError("tensor \"" + t.name() + "\": external data location \"" + location +
                          "\" is outside the model's folder (only files beside the model, or below it, are read)");
    return full.string();
}

void checkExternalData(const onnx::GraphProto& graph, const std::string& baseDir) {
    using TP = onnx::TensorProto;
    auto tensor = [&](const TP& t) {
        if (t.data_location() == TP::EXTERNAL) externalDataPath(t, baseDir);
    };
    for (auto& t : graph.initializer()) tensor(t);
    for (auto& n : graph.node())
        for (auto& a : n.attribute()) {
            if (a.has_t()) tensor(a.t());
            for (auto& t : a.tensors()) tensor(t);
            if (a.has_g()) checkExternalData(a.g(), baseDir);
            for (auto& g : a.graphs()) checkExternalData(g, baseDir);
        }
}

namespace {

// Reads the external data of `t` (expectBytes: what its shape needs).
std::string externalBytes(const onnx::TensorProto& t, const std::string& baseDir, int64_t expectBytes) {
    int64_t offset = 0, length = -1;
    auto number = [&](const std::string& key, const std::string& v) {
        int64_t x = -1;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (ec != std::errc() || p != v.data() + v.size() || x < 0)
            throw ImportError("initializer \"" + t.name() + "\": external data " + key + " \"" + v + "\" is not a non-negative integer");
        return x;
    };
    for (auto& kv : t.external_data()) {
        if (kv.key() == "offset") offset = number("offset", kv.value());
        else if (kv.key() == "length") length = number("length", kv.value());
    }
    const std::string path = externalDataPath(t, baseDir);
    std::ifstream f(path, std::ios::binary);
    if (!f) throw ImportError("initializer \"" + t.name() + "\": cannot open its external data file \"" + path + "\"");
    f.seekg(0, std::ios::end);
    const int64_t size = f.tellg();
    if (offset > size) throw ImportError("initializer \"" + t.name() + "\": external data offset " + std::to_string(offset) + " is past the end of \"" + path + "\"");
    if (length < 0) length = size - offset;
    if (length > size - offset) throw ImportError("initializer \"" + t.name() + "\": external data \"" + path + "\" is too short");
    if (length != expectBytes)
        throw ImportError("initializer \"" + t.name() + "\": external data holds " + std::to_string(length) + " bytes, its shape needs " +
                          std::to_string(expectBytes));
    std::string bytes(size_t(length), '\0');
    f.seekg(offset);
    f.read(bytes.data(), length);
    return bytes;
}

}  // namespace

Tensor tensorFromProto(const onnx::TensorProto& t, const std::string& baseDir, bool* isBool) {
    std::vector<int64_t> shape(t.dims().begin(), t.dims().end());
    const int dt = t.data_type();
    using TP = onnx::TensorProto;
    const bool isFloat = dt == TP::FLOAT || dt == TP::DOUBLE || dt == TP::FLOAT16 || dt == TP::BFLOAT16;
    *isBool = dt == TP::BOOL;
    if (!isFloat && !(dt == TP::INT64 || dt == TP::INT32 || dt == TP::INT16 || dt == TP::INT8 || dt == TP::UINT8 || dt == TP::UINT16 ||
                      dt == TP::UINT32 || dt == TP::UINT64 || dt == TP::BOOL))
        throw ImportError("tensor \"" + t.name() + "\" has element type " + TP::DataType_Name(TP::DataType(dt)) +
                          ", which has no design equivalent (float and integer types only)");
    // Sizes come from the file: check them before allocating anything.
    int64_t n = 1;
    for (int64_t d : shape)
        if (d < 0 || __builtin_mul_overflow(n, d, &n) || n > kMaxTensorElements)
            throw ImportError("tensor \"" + t.name() + "\": dims " + shapeStr(shape) + " are negative or too large (at most " +
                              std::to_string(kMaxTensorElements) + " elements per tensor)");
    const size_t esz = dt == TP::DOUBLE || dt == TP::INT64 || dt == TP::UINT64 ? 8 : dt == TP::FLOAT || dt == TP::INT32 || dt == TP::UINT32 ? 4
                       : dt == TP::FLOAT16 || dt == TP::BFLOAT16 || dt == TP::INT16 || dt == TP::UINT16 ? 2 : 1;
    std::string raw;
    if (t.data_location() == TP::EXTERNAL) raw = externalBytes(t, baseDir, n * int64_t(esz));
    else if (t.has_raw_data()) raw = t.raw_data();
    if (!raw.empty() && raw.size() != size_t(n) * esz)  // before the allocation below
        throw ImportError("tensor \"" + t.name() + "\": " + std::to_string(raw.size()) + " data bytes for " + shapeStr(shape) +
                          " (expected " + std::to_string(size_t(n) * esz) + ")");
    if (raw.empty() && n > 0 && t.float_data_size() + t.double_data_size() + t.int64_data_size() + t.uint64_data_size() + t.int32_data_size() < n)
        throw ImportError("tensor \"" + t.name() + "\": no data for " + shapeStr(shape));
    Tensor out(isFloat ? DType::F32 : DType::I64, shape);
    if (!raw.empty() || n == 0) {
        if (raw.size() != size_t(n) * esz)
            throw ImportError("tensor \"" + t.name() + "\": " + std::to_string(raw.size()) + " data bytes for " + shapeStr(shape) +
                              " (expected " + std::to_string(size_t(n) * esz) + ")");
        switch (dt) {  // element encodings, not ops
        case TP::FLOAT: std::memcpy(out.raw(), raw.data(), raw.size()); break;
        case TP::DOUBLE: copyRaw<double>(raw, &out, true); break;
        case TP::FLOAT16:
            for (int64_t i = 0; i < n; ++i) { uint16_t h; std::memcpy(&h, raw.data() + 2 * i, 2); out.f32()[i] = halfToFloat(h); }
            break;
        case TP::BFLOAT16:
            for (int64_t i = 0; i < n; ++i) {
                uint32_t b = 0;
                std::memcpy(reinterpret_cast<char*>(&b) + 2, raw.data() + 2 * i, 2);
                std::memcpy(out.f32() + i, &b, 4);
            }
            break;
        case TP::INT64: std::memcpy(out.raw(), raw.data(), raw.size()); break;
        case TP::UINT64: copyRaw<uint64_t>(raw, &out, false); break;
        case TP::INT32: copyRaw<int32_t>(raw, &out, false); break;
        case TP::UINT32: copyRaw<uint32_t>(raw, &out, false); break;
        case TP::INT16: copyRaw<int16_t>(raw, &out, false); break;
        case TP::UINT16: copyRaw<uint16_t>(raw, &out, false); break;
        case TP::INT8: copyRaw<int8_t>(raw, &out, false); break;
        default: copyRaw<uint8_t>(raw, &out, false); break;  // UINT8, BOOL
        }
        return out;
    }
    auto need = [&](int have) {
        if (have != n) throw ImportError("tensor \"" + t.name() + "\": " + std::to_string(have) + " values for " + shapeStr(shape));
    };
    if (dt == TP::FLOAT) { need(t.float_data_size()); for (int64_t i = 0; i < n; ++i) out.f32()[i] = t.float_data(int(i)); }
    else if (dt == TP::DOUBLE) { need(t.double_data_size()); for (int64_t i = 0; i < n; ++i) out.f32()[i] = float(t.double_data(int(i))); }
    else if (dt == TP::INT64) { need(t.int64_data_size()); for (int64_t i = 0; i < n; ++i) out.i64()[i] = t.int64_data(int(i)); }
    else if (dt == TP::UINT64 || dt == TP::UINT32) { need(t.uint64_data_size()); for (int64_t i = 0; i < n; ++i) out.i64()[i] = int64_t(t.uint64_data(int(i))); }
    else if (dt == TP::FLOAT16 || dt == TP::BFLOAT16) {
        need(t.int32_data_size());
        for (int64_t i = 0; i < n; ++i) {
            uint16_t h = uint16_t(t.int32_data(int(i)));
            if (dt == TP::FLOAT16) out.f32()[i] = halfToFloat(h);
            else { uint32_t b = uint32_t(h) << 16; std::memcpy(out.f32() + i, &b, 4); }
        }
    } else { need(t.int32_data_size()); for (int64_t i = 0; i < n; ++i) out.i64()[i] = t.int32_data(int(i)); }
    return out;
}

std::string sanitizeId(const std::string& name, const std::string& fallback) {
    std::string s;
    for (char c : name) {
        if (c == '/' || c == ':') { if (!s.empty() && s.back() != '.') s += '.'; continue; }
        s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ? c : '_';
    }
    while (!s.empty() && (s.back() == '.')) s.pop_back();
    if (s.empty()) s = fallback;
    if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) s = "n" + s;
    if (s.size() > 100) s = "n" + s.substr(s.size() - 99);
    if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) s[0] = '_';
    return s;
}

// ------------------------------------------------------------ importer

Importer::Importer(const onnx::GraphProto& graph, const OnnxImportOptions& o, const std::string& baseDir, Graph* gr, TensorMap* w,
                   OnnxImportReport* r)
    : opt(o), rep(r), g(gr), weights(w), m_graph(graph), m_baseDir(baseDir), m_reg(OpRegistry::global()) {
    for (auto& n : graph.node()) {
        for (auto& o2 : n.output())
            if (!o2.empty()) m_producer[o2] = &n;
        for (auto& i : n.input())
            if (!i.empty()) m_consumers[i].push_back(&n);
    }
    for (auto& o2 : graph.output()) m_graphOutputs.insert(o2.name());
}

void Importer::run() {
    rep->onnxNodes = m_graph.node_size();
    loadInitializers();
    addInputs();
    for (int i = 0; i < m_graph.node_size(); ++i) {
        node = &m_graph.node(i);
        nodeIndex = i;
        convertNode();
    }
    node = nullptr;
    for (auto& key : m_unsupportedOrder) rep->unsupported.push_back(m_unsupported[key]);
    if (!rep->unsupported.empty()) return;
    addOutputs();
    removeDeadNodes();
    for (auto& [pattern, id] : m_lifted)
        if (g->node(id)) ++rep->lifted[pattern];
    addGroups();
    setTokenRanges(g);
}

void Importer::loadInitializers() {
    for (auto& t : m_graph.initializer()) {
        Value v;
        v.isConst = true;
        v.data = tensorFromProto(t, m_baseDir, &v.isBool);
        m_values[t.name()] = std::move(v);
    }
}

void Importer::convertNode() {
    const std::string& op = node->op_type();
    if (node->domain() == kFnDomain) {  // an op written as a function call (onnx_import_fn.cpp)
        labelOverride.clear();
        convertFnNode(*this);
        return;
    }
    // A plugin op whose plugin is not loaded: reported with the plugin's name, whatever its inputs.
    if (!node->domain().empty() && node->domain() != "ai.onnx" && !m_reg.find(op)) {
        convertPluginNode(*this);
        return;
    }
    // Inputs missing because an earlier node failed: the cause is reported; an op
    // unknown to the importer is reported as well, so one pass lists them all.
    for (auto& i : node->input())
        if (!i.empty() && !m_values.count(i)) {
            if (!foldTable().count(op) && !convertTable().count(op)) unsupported("");
            return;
        }
    labelOverride.clear();
    if (!node->domain().empty() && node->domain() != "ai.onnx") {  // plugin ops (onnx_plugin.cpp) or unsupported
        try {
            convertPluginNode(*this);
        } catch (const Unsupported& e) {
            unsupported(e.what());
        } catch (const ImportError& e) {
            throw ImportError("node \"" + node->name() + "\" (" + node->domain() + "." + op + "): " + e.what());
        }
        return;
    }
    try {
        bool allConst = true;
        for (int i = 0; i < node->input_size(); ++i)
            if (!node->input(i).empty() && !m_values.at(node->input(i)).isConst) allConst = false;
        auto fold = foldTable().find(op);
        const bool shapeOnly = op == "Shape" || op == "Size";
        if (fold != foldTable().end() && (allConst || shapeOnly)) {
            fold->second(*this);
            ++rep->foldedNodes;
            return;
        }
        if (opt.lift && tryLift(*this)) return;
        auto conv = convertTable().find(op);
        if (conv == convertTable().end()) { unsupported(fold != foldTable().end() ? "only with constant inputs" : ""); return; }
        conv->second(*this);
    } catch (const Unsupported& e) {
        unsupported(e.what());
    } catch (const ImportError& e) {
        throw ImportError("node \"" + node->name() + "\" (" + op + "): " + e.what());
    }
}

const Value* Importer::in(int i) const {
    if (i >= node->input_size() || node->input(i).empty()) return nullptr;
    auto it = m_values.find(node->input(i));
    return it == m_values.end() ? nullptr : &it->second;
}

const onnx::AttributeProto* Importer::attr(const std::string& name) const {
    for (auto& a : node->attribute())
        if (a.name() == name) return &a;
    return nullptr;
}
int64_t Importer::attrInt(const std::string& name, int64_t def) const { auto a = attr(name); return a ? a->i() : def; }
double Importer::attrFloat(const std::string& name, double def) const { auto a = attr(name); return a ? a->f() : def; }
std::string Importer::attrString(const std::string& name, const std::string& def) const { auto a = attr(name); return a ? a->s() : def; }
std::vector<int64_t> Importer::attrInts(const std::string& name, const std::vector<int64_t>& def) const {
    auto a = attr(name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : def;
}

void Importer::setConst(int output, Tensor t, bool isBool) {
    if (output >= node->output_size() || node->output(output).empty()) return;
    Value v;
    v.isConst = true;
    v.data = std::move(t);
    v.isBool = isBool;
    m_values[node->output(output)] = std::move(v);
}

void Importer::setPort(int output, const PortRef& p, bool isBool) {
    if (output >= node->output_size() || node->output(output).empty()) return;
    Value v;
    v.port = p;
    v.type = typeOf(p);
    v.isBool = isBool;
    m_values[node->output(output)] = std::move(v);
}

void Importer::alias(int output, const Value& v) {
    if (output < node->output_size() && !node->output(output).empty()) m_values[node->output(output)] = v;
}

bool Importer::unsupported(const std::string& why) {
    const std::string key = node->op_type() + "\n" + why;
    auto& u = m_unsupported[key];
    if (u.op.empty()) { u.op = node->op_type(); u.why = why; m_unsupportedOrder.push_back(key); }
    u.nodes.push_back(node->name().empty() ? node->op_type() + "#" + std::to_string(nodeIndex) : node->name());
    return false;
}

std::string Importer::baseId() const {
    if (!node) return "node";
    std::string name = labelOverride.empty() ? node->name() : labelOverride;
    return sanitizeId(name, node->op_type() + "_" + std::to_string(nodeIndex));
}

std::vector<PortRef> Importer::emit(const std::string& op, std::map<std::string, AttrValue> attrs, const std::vector<PortRef>& inputs,
                                    std::map<std::string, Tensor> params) {
    const OpDef* def = m_reg.find(op);
    if (!def) throw ImportError("internal: no core op \"" + op + "\"");
    Node n;
    n.id = g->uniqueId(baseId());
    n.op = op;
    n.attrs = std::move(attrs);
    n.label = node ? (labelOverride.empty() ? node->name() : labelOverride) : "";
    n.x = 260.0 * (1 + (m_emitted % 4));
    n.y = 90.0 * m_emitted++;
    Attrs resolved;
    std::vector<std::string> errs;
    if (!resolveNodeAttrs(n, *def, &resolved, &errs)) throw ImportError("internal: " + errs.front());
    std::vector<std::optional<TensorType>> ins(def->inputs.size());
    std::vector<std::string> srcs(def->inputs.size());
    for (size_t i = 0; i < inputs.size() && i < def->inputs.size(); ++i) {
        if (inputs[i].node.empty()) continue;
        ins[i] = typeOf(inputs[i]);
        const PortType want = def->inputs[i].type;
        if ((want == PortType::F32 && ins[i]->dtype != DType::F32) || (want == PortType::I64 && ins[i]->dtype != DType::I64))
            throw Unsupported(std::string(dtypeName(ins[i]->dtype)) + " input where \"" + op + "\" takes " +
                              (want == PortType::F32 ? "f32" : "i64"));
        srcs[i] = inputs[i].node;
    }
    Bindings none;
    InferCtx c(n.id, def->inputs, resolved, ins, srcs, none);
    if (!def->infer(c) || !c.errors().empty())
        throw ImportError("cannot map onto \"" + op + "\": " + (c.errors().empty() ? std::string("shape inference failed") : c.errors().front()));
    for (auto& p : c.params) {
        auto it = params.find(p.name);
        if (it == params.end()) throw ImportError("internal: no value for parameter \"" + p.name + "\" of \"" + op + "\"");
        if (it->second.shape() != p.shape || it->second.dtype() != DType::F32)
            throw ImportError("parameter \"" + p.name + "\" of \"" + op + "\" needs " + shapeStr(p.shape) + " f32, the model has " +
                              shapeStr(it->second.shape()));
        (*weights)[n.id + "." + p.name] = it->second;
    }
    const std::string id = n.id;
    g->addNode(std::move(n));
    for (size_t i = 0; i < inputs.size() && i < def->inputs.size(); ++i)
        if (!inputs[i].node.empty()) g->connect(inputs[i], {id, def->inputs[i].name});
    std::vector<PortRef> outs;
    for (size_t k = 0; k < c.outputs.size(); ++k) {
        PortRef p{id, def->outputs[k].name};
        m_types[p] = c.outputs[k];
        outs.push_back(p);
    }
    return outs;
}

PortRef Importer::constPort(const std::string& name, const Tensor& t) {
    auto it = m_constPorts.find(name);
    if (it != m_constPorts.end()) return it->second;
    Tensor f = t.dtype() == DType::F32 ? t : fromDoubles(DType::F32, t.shape(), toDoubles(t));
    const std::string saved = labelOverride;
    labelOverride = "const/" + name;
    PortRef p = emit1("constant", {{"shape", shapeAttr(t.shape())}}, {}, {{"value", f}});
    g->node(p.node)->label = name;
    labelOverride = saved;
    m_constPorts[name] = p;
    return p;
}

PortRef Importer::port(int i) {
    const Value* v = in(i);
    if (!v) throw ImportError("input " + std::to_string(i) + " is missing");
    return v->isConst ? constPort(inName(i), v->data) : v->port;
}

const TensorType& Importer::typeOf(const PortRef& p) const {
    auto it = m_types.find(p);
    if (it == m_types.end()) throw ImportError("internal: no type for " + p.node + "." + p.port);
    return it->second;
}

const onnx::NodeProto* Importer::producer(const std::string& t) const {
    auto it = m_producer.find(t);
    return it == m_producer.end() ? nullptr : it->second;
}

int Importer::uses(const std::string& t) const {
    auto it = m_consumers.find(t);
    return (it == m_consumers.end() ? 0 : int(it->second.size())) + (m_graphOutputs.count(t) ? 1 : 0);
}

std::vector<const onnx::NodeProto*> Importer::consumers(const std::string& t) const {
    auto it = m_consumers.find(t);
    return it == m_consumers.end() ? std::vector<const onnx::NodeProto*>{} : it->second;
}

const Value* Importer::value(const std::string& t) const {
    auto it = m_values.find(t);
    return it == m_values.end() ? nullptr : &it->second;
}

void Importer::addOutputs() {
    int row = 0;
    for (auto& out : m_graph.output()) {
        const Value* v = value(out.name());
        if (!v) throw ImportError("graph output \"" + out.name() + "\" is not produced by any node");
        PortRef src = v->isConst ? constPort(out.name(), v->data) : v->port;
        Node n;
        n.id = g->uniqueId(sanitizeId(out.name(), "output"));
        n.op = "output";
        n.label = out.name();
        n.x = 1400;
        n.y = 120.0 * row++;
        g->addNode(n);
        g->connect(src, {n.id, "x"});
    }
}

// Removes nodes no output depends on (primitives superseded by a lifted
// pattern, unused constants); graph inputs stay.
void Importer::removeDeadNodes() {
    std::set<std::string> live;
    std::vector<std::string> stack;
    for (auto& n : g->nodes())
        if (n.op == "output" || n.op == "input") { live.insert(n.id); stack.push_back(n.id); }
    std::map<std::string, std::vector<std::string>> feeders;
    for (auto& e : g->edges()) feeders[e.to.node].push_back(e.from.node);
    while (!stack.empty()) {
        std::string id = stack.back();
        stack.pop_back();
        for (auto& f : feeders[id])
            if (live.insert(f).second) stack.push_back(f);
    }
    std::vector<std::string> dead;
    for (auto& n : g->nodes())
        if (!live.count(n.id)) dead.push_back(n.id);
    for (auto& id : dead) {
        g->removeNode(id);
        // Keys are "<id>.<param>"; ids may contain dots, params do not.
        for (auto it = weights->lower_bound(id + "."); it != weights->end() && it->first.compare(0, id.size() + 1, id + ".") == 0;)
            it = it->first.find('.', id.size() + 1) == std::string::npos ? weights->erase(it) : std::next(it);
    }
}

// One group per module scope two levels deep ("/blocks/blocks.0/..." ->
// "blocks/blocks.0"), for scopes holding at least two nodes.
void Importer::addGroups() {
    std::map<std::string, std::vector<std::string>> scopes;
    std::vector<std::string> order;
    for (auto& n : g->nodes()) {
        if (n.label.empty() || n.label[0] != '/' || n.op == "input" || n.op == "output") continue;
        std::vector<std::string> parts;
        size_t s = 1;
        while (true) {
            size_t e = n.label.find('/', s);
            if (e == std::string::npos) break;
            parts.push_back(n.label.substr(s, e - s));
            s = e + 1;
        }
        if (parts.empty()) continue;
        std::string key = parts[0] + (parts.size() > 1 && parts[1].rfind(parts[0] + ".", 0) == 0 ? "/" + parts[1] : "");
        if (!scopes.count(key)) order.push_back(key);
        scopes[key].push_back(n.id);
    }
    for (auto& key : order) {
        if (scopes[key].size() < 2) continue;
        Group gr;
        gr.id = g->uniqueId(sanitizeId(key, "group") + ".group");
        gr.label = key;
        gr.nodes = scopes[key];
        g->groups.push_back(std::move(gr));
    }
}

// ------------------------------------------------------------ helpers

std::vector<double> toDoubles(const Tensor& t) {
    std::vector<double> v(size_t(t.numel()));
    if (t.dtype() == DType::F32) for (int64_t i = 0; i < t.numel(); ++i) v[size_t(i)] = t.f32()[i];
    else for (int64_t i = 0; i < t.numel(); ++i) v[size_t(i)] = double(t.i64()[i]);
    return v;
}

int64_t toInt64(double x) {
    // 2^63 is exact in a double; anything at or past it (or NaN) has no int64 value.
    if (!(x > -9223372036854775808.0 && x < 9223372036854775808.0))
        throw ImportError("the value " + std::to_string(x) + " does not fit a 64-bit integer (an index, size or integer constant)");
    return int64_t(x);
}

Tensor fromDoubles(DType dt, const std::vector<int64_t>& shape, const std::vector<double>& v) {
    Tensor t(dt, shape);
    if (dt == DType::F32) for (size_t i = 0; i < v.size(); ++i) t.f32()[i] = float(v[i]);
    else for (size_t i = 0; i < v.size(); ++i) t.i64()[i] = toInt64(v[i]);
    return t;
}

std::vector<int64_t> toInts(const Tensor& t) {
    if (t.dtype() == DType::I64) return std::vector<int64_t>(t.i64(), t.i64() + t.numel());
    std::vector<int64_t> v;
    for (int64_t i = 0; i < t.numel(); ++i) v.push_back(toInt64(double(t.f32()[i])));
    return v;
}

double scalarOf(const Tensor& t) {
    if (t.numel() != 1) throw ImportError("expected a single value, got a tensor of shape " + shapeStr(t.shape()));
    return t.dtype() == DType::F32 ? double(t.f32()[0]) : double(t.i64()[0]);
}

std::string shapeAttr(const std::vector<int64_t>& s) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r;
}

Tensor transpose2d(const Tensor& t) {
    const int64_t r = t.dim(0), c = t.dim(1);
    Tensor out(DType::F32, {c, r});
    const float* s = t.f32();
    float* d = out.f32();
    constexpr int64_t B = 64;  // blocked, so both sides stay in cache
    for (int64_t i0 = 0; i0 < r; i0 += B)
        for (int64_t j0 = 0; j0 < c; j0 += B)
            for (int64_t i = i0; i < std::min(r, i0 + B); ++i)
                for (int64_t j = j0; j < std::min(c, j0 + B); ++j) d[j * r + i] = s[i * c + j];
    return out;
}

}  // namespace archscope::onnxin

#endif
