// Plugin ops in ONNX files (internal to interop/onnx_*.cpp).
//
// A plugin op has no standard ONNX form, so the export writes it as one node
// of a custom domain: domain "archscope.plugin.<plugin>", op_type = the op id,
// every resolved attribute as an ONNX attribute of the matching type, inputs
// = the op's input ports (an unconnected optional input is "") followed by
// its parameters (initializers "<node>.<param>", in the order the op's infer
// declares them), outputs = the op's output ports. The model imports the
// domain with opset version = the leading number of the plugin's version
// ("1.0.0" -> 1, at least 1) and records the full version in metadata_props
// ("archscope.plugin.<plugin>.version"). The import maps such a node back onto
// the loaded plugin's op, or reports it naming the plugin when that plugin is
// not loaded. Format documented in docs/interop.md#plugin-ops.
#pragma once

#if ARCHSCOPE_HAVE_ONNX

#include "core/op_def.h"
#include "graph/graph.h"

#include <onnx/onnx_pb.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace archscope {

namespace onnxplugin {
std::string domainOf(const std::string& plugin);
// True for "archscope.plugin.<name>", with the name.
bool pluginOfDomain(const std::string& domain, std::string* plugin);
int64_t opsetVersionOf(const std::string& version);
// Writes every attribute of def (resolved values in `attrs`) onto p.
void setAttributes(onnx::NodeProto* p, const OpDef& def, const Attrs& attrs);
// Adds the opset import and version metadata of each plugin in `plugins`.
void addPluginOpsets(onnx::ModelProto* m, const std::set<std::string>& plugins);
}  // namespace onnxplugin

namespace onnxin {
class Importer;
// Converts the current node of a custom domain (see the file comment); false
// after recording it as unsupported.
bool convertPluginNode(Importer& im);
// Shared with the archscope.fn calls (onnx_import_fn.cpp); `whose` completes
// messages (" of plugin \"kat\"").
// The design attributes of `def` from the current node's; false after recording it unsupported.
bool attrsFromNode(Importer& im, const OpDef& def, const std::string& whose, std::map<std::string, AttrValue>* attrs);
// The parameters `def` declares for these attributes and connected input ports
// (its shape inference on a probe node); throws ImportError when it rejects them.
std::vector<ParamSpec> paramsFor(Importer& im, const OpDef& def, const std::map<std::string, AttrValue>& attrs,
                                 const std::vector<PortRef>& ins, const std::string& whose);
}  // namespace onnxin

}  // namespace archscope

#endif
