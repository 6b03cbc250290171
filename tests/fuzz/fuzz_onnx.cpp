// libFuzzer target: the ONNX importer (protobuf parse, the ONNX checker,
// folding, conversion, lifting, analysis of the result). Any bytes must be
// imported or refused with an error naming the file; external data is looked
// up in a folder that does not exist, so nothing on disk is ever read.
#include "interop/onnx_import.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 512 * 1024) return -1;
    Graph g;
    TensorMap w;
    OnnxImportReport rep;
    std::string err;
    OnnxImportOptions opt;
    bool ok = importOnnxBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx", "/nonexistent/archscope-fuzz", opt,
                              &g, &w, &rep, &err);
    if (!ok && err.rfind("fuzz.onnx", 0) != 0) {
        std::fprintf(stderr, "error does not name the file: %s\n", err.c_str());
        std::abort();
    }
    return 0;
}
