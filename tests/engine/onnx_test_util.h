// Helpers shared by the ONNX tests: fixture paths, where ONNX Runtime's node
// module is, and an element-wise comparison that names the first bad element.
#pragma once

#include "core/tensor.h"
#include "interop/safetensors.h"

#include <QDir>
#include <QProcess>
#include <QString>
#include <cmath>
#include <string>

namespace archscope::test {

// tests/fixtures/onnx/NAME in the source tree (ctest sets ARCHSCOPE_SOURCE_DIR).
inline std::string onnxFixture(const std::string& name) {
    return qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR").toStdString() + "/tests/fixtures/onnx/" + name;
}

// A node_modules folder with onnxruntime-node ($ARCHSCOPE_ORT_NODE_PATH or $NODE_PATH), or "".
inline QString ortNodePath() {
    for (const char* v : {"ARCHSCOPE_ORT_NODE_PATH", "NODE_PATH"}) {
        QString p = qEnvironmentVariable(v);
        if (!p.isEmpty() && QDir(p + "/onnxruntime-node").exists()) return p;
    }
    return {};
}

// "" when every element of `got` is within rtol * |ref| + 1e-5 of `ref` (infinities
// must agree, NaN never passes); otherwise what differs, first bad element named.
inline std::string compareTensors(const std::string& what, const Tensor& ref, const Tensor& got, double rtol) {
    if (ref.shape() != got.shape())
        return what + ": shape " + shapeStr(got.shape()) + ", expected " + shapeStr(ref.shape());
    for (int64_t i = 0; i < ref.numel(); ++i) {
        double a = ref.dtype() == DType::F32 ? ref.f32()[i] : double(ref.i64()[i]);
        double b = got.dtype() == DType::F32 ? got.f32()[i] : double(got.i64()[i]);
        if (std::isinf(a) || std::isinf(b) ? a != b : !(std::abs(a - b) <= rtol * std::abs(a) + 1e-5))
            return what + ": element " + std::to_string(i) + " " + std::to_string(a) + " vs " + std::to_string(b);
    }
    return "";
}

// Runs `model` in ONNX Runtime (scripts/ort_run.js under node, modules from
// `nodePath`) on `inputs` (by graph input name); files go to `dir`. False with *err on failure.
inline bool runOrt(const QString& nodePath, const QString& model, const TensorMap& inputs, const QString& dir, TensorMap* outputs,
                   std::string* err) {
    TensorMap in;
    for (auto& [id, t] : inputs) in["in." + id] = t;
    const QString inFile = dir + "/in.safetensors", outFile = dir + "/out.safetensors";
    if (!writeSafetensors(inFile.toStdString(), in, err)) return false;
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("NODE_PATH", nodePath);
    node.setProcessEnvironment(env);
    node.start("node", {qEnvironmentVariable("ARCHSCOPE_SOURCE_DIR") + "/scripts/ort_run.js", model, inFile, outFile});
    if (!node.waitForFinished(120000)) { *err = "ONNX Runtime did not finish in 120 s"; return false; }
    if (node.exitCode() != 0) { *err = node.readAllStandardError().toStdString(); return false; }
    return readSafetensors(outFile.toStdString(), outputs, err);
}

}  // namespace archscope::test
