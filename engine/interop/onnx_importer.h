// Internals of the ONNX importer (onnx_import.cpp, onnx_fold.cpp,
// onnx_convert.cpp, onnx_lift.cpp); not part of the engine's interface.
//
// Importer holds the state of one import: the value of every ONNX tensor name
// (a host constant or a design port with its inferred type), the design being
// built and its weights. Converters read the current node through in()/attr*()
// and publish results with setConst()/setPort().
#pragma once

#if ARCHSCOPE_HAVE_ONNX

#include "core/op_def.h"
#include "core/registry.h"
#include "interop/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace archscope::onnxin {

// A problem in the model or a bug in a converter: aborts the import.
struct ImportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A construct the core ops cannot express: reported for the node, import goes on.
struct Unsupported : ImportError {
    using ImportError::ImportError;
};

struct Value {
    bool isConst = false;
    Tensor data;          // constant: F32 or I64 host tensor
    bool isBool = false;  // ONNX bool: constants as I64 0/1, design values as f32 0/1
    PortRef port;         // design value: the producing port
    TensorType type;      // design value: dtype and (concrete) shape
    std::vector<int64_t> shape() const { return isConst ? data.shape() : shapeValues(type.shape); }
    int rank() const { return int(shape().size()); }
};

// Throws ImportError when any tensor of the graph (initializers, node
// attributes, subgraphs) keeps external data outside `baseDir`. Run before
// anything opens those files (the ONNX checker does).
void checkExternalData(const onnx::GraphProto& graph, const std::string& baseDir);
std::string externalDataPath(const onnx::TensorProto& t, const std::string& baseDir);

class Importer {
public:
    Importer(const onnx::GraphProto& graph, const OnnxImportOptions& opt, const std::string& baseDir, Graph* g,
             TensorMap* weights, OnnxImportReport* rep);
    void run();  // throws ImportError

    // ---- the node being converted
    const onnx::NodeProto* node = nullptr;
    int nodeIndex = 0;
    int inputCount() const { return node->input_size(); }
    const Value* in(int i) const;  // nullptr when absent, empty or unresolved
    const std::string& inName(int i) const { return node->input(i); }
    const onnx::AttributeProto* attr(const std::string& name) const;
    int64_t attrInt(const std::string& name, int64_t def) const;
    double attrFloat(const std::string& name, double def) const;
    std::string attrString(const std::string& name, const std::string& def) const;
    std::vector<int64_t> attrInts(const std::string& name, const std::vector<int64_t>& def) const;
    bool hasAttr(const std::string& name) const { return attr(name) != nullptr; }

    // ---- results of the current node
    void setConst(int output, Tensor t, bool isBool = false);
    void setPort(int output, const PortRef& p, bool isBool = false);
    void alias(int output, const Value& v);
    // Records the current node as unsupported because of `why` ("" = unknown op); returns false.
    bool unsupported(const std::string& why);

    // ---- building the design
    // Adds a node of `op` fed by `inputs` (by input port index; empty node = unconnected),
    // runs its shape inference and stores `params` under "<id>.<name>". Returns its output ports.
    std::vector<PortRef> emit(const std::string& op, std::map<std::string, AttrValue> attrs,
                              const std::vector<PortRef>& inputs, std::map<std::string, Tensor> params = {});
    PortRef emit1(const std::string& op, std::map<std::string, AttrValue> attrs, const std::vector<PortRef>& inputs,
                  std::map<std::string, Tensor> params = {}) {
        return emit(op, std::move(attrs), inputs, std::move(params)).at(0);
    }
    // A design port for input i of the current node; a constant becomes a "constant" node (shared per tensor).
    PortRef port(int i);
    PortRef constPort(const std::string& name, const Tensor& t);
    const TensorType& typeOf(const PortRef& p) const;

    // ---- graph structure (for lifting)
    const onnx::NodeProto* producer(const std::string& tensor) const;
    int uses(const std::string& tensor) const;  // consumers, graph outputs count as one
    const Value* value(const std::string& tensor) const;
    std::vector<const onnx::NodeProto*> consumers(const std::string& tensor) const;
    // Records a lifted node; the report counts those that survive dead-node removal.
    void noteLift(const std::string& pattern, const PortRef& p) { m_lifted.emplace_back(pattern, p.node); }
    std::string labelOverride;  // label for the nodes emitted next (lifted patterns use their scope)

    // The model's local functions by "<domain>\n<name>" (set before run(); onnx_import_fn.cpp).
    std::map<std::string, const onnx::FunctionProto*> functions;

    const OnnxImportOptions& opt;
    OnnxImportReport* rep;
    Graph* g;
    TensorMap* weights;

private:
    const onnx::GraphProto& m_graph;
    std::string m_baseDir;
    const OpRegistry& m_reg;
    std::map<std::string, Value> m_values;
    std::map<std::string, const onnx::NodeProto*> m_producer;
    std::map<std::string, std::vector<const onnx::NodeProto*>> m_consumers;
    std::set<std::string> m_graphOutputs;
    std::map<PortRef, TensorType> m_types;
    std::map<std::string, PortRef> m_constPorts;
    std::map<std::string, OnnxUnsupported> m_unsupported;  // by op + why
    std::vector<std::string> m_unsupportedOrder;
    int m_emitted = 0;
    std::vector<std::pair<std::string, std::string>> m_lifted;  // pattern, node id

    void loadInitializers();
    void addInputs();
    void convertNode();
    void addOutputs();
    void removeDeadNodes();
    void addGroups();
    std::string baseId() const;
};

// Loads an ONNX TensorProto (inline or external data) as a host tensor.
Tensor tensorFromProto(const onnx::TensorProto& t, const std::string& baseDir, bool* isBool);
// Valid design id from an ONNX name: "/blocks/blocks.0/attn/MatMul" -> "blocks.blocks.0.attn.MatMul".
std::string sanitizeId(const std::string& name, const std::string& fallback);

// Host evaluation of a node whose inputs are all constants (or Shape of a
// design value). Returns false when the op has no evaluator.
using FoldFn = std::function<void(Importer&)>;
const std::map<std::string, FoldFn>& foldTable();
// Conversion of a node with design-value inputs into core ops.
using ConvertFn = std::function<bool(Importer&)>;
const std::map<std::string, ConvertFn>& convertTable();
// Tries the lifting patterns anchored at the current node; true if one applied.
bool tryLift(Importer& im);
// A call of a model-local function of domain "archscope.fn" (as `archscope
// export` writes ops without a 1:1 ONNX op, onnx_export_fn.h): back onto the
// op; false after recording it as unsupported (onnx_import_fn.cpp).
bool convertFnNode(Importer& im);
inline const char* kFnDomain = "archscope.fn";
// Converters of onnx_convert_more.cpp (listed in convertTable()).
bool convertTopK(Importer& im);
bool convertCumSum(Importer& im);
bool convertElu(Importer& im);
// x gathered along `axis` at constant in-range `ids` (a flat list): one slice
// per contiguous run, concatenated; an empty PortRef when there are more than
// kMaxGatherRuns runs.
constexpr size_t kMaxGatherRuns = 64;
PortRef gatherRuns(Importer& im, const PortRef& x, int axis, const std::vector<int64_t>& ids);
// Token-id inputs feeding an embedding get "high" = its vocabulary size
// (onnx_inputs.cpp).
void setTokenRanges(Graph* g);

// Host tensor helpers shared by folding and converters.
std::vector<double> toDoubles(const Tensor& t);
Tensor fromDoubles(DType dt, const std::vector<int64_t>& shape, const std::vector<double>& v);
std::vector<int64_t> toInts(const Tensor& t);
int64_t toInt64(double x);  // throws ImportError for NaN or values past the int64 range
double scalarOf(const Tensor& t);  // the single element; throws ImportError otherwise
std::string shapeAttr(const std::vector<int64_t>& s);  // "2, 8, 32"
Tensor transpose2d(const Tensor& t);

}  // namespace archscope::onnxin

#endif
