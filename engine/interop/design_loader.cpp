#include "interop/design_loader.h"

#include "interop/onnx_import.h"
#include "runtime/weights.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace archscope {

namespace fs = std::filesystem;

bool isOnnxPath(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".onnx";
}

namespace {

fs::path cacheDir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "archscope" / "onnx";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "archscope" / "onnx";
    return fs::temp_directory_path() / "archscope-onnx";
}

// From the model file's identity and the imported parameter names and shapes,
// so a changed model or importer never reads a stale cache.
std::string cacheKey(const std::string& path, const TensorMap& weights) {
    std::string names;
    for (auto& [k, t] : weights) names += k + shapeStr(t.shape()) + ";";
    std::error_code ec;
    const fs::path abs = fs::absolute(path, ec);
    const auto size = fs::file_size(path, ec);
    const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(stableHash(abs.string() + "|" + std::to_string(size) + "|" + std::to_string(mtime) + "|" + names)));
    return buf;
}

}  // namespace

LoadResult loadAnyDesign(const std::string& path, Graph* g) {
    if (!isOnnxPath(path)) return loadDesign(path, g);
    LoadResult r;
    TensorMap weights;
    OnnxImportReport rep;
    if (!importOnnxFile(path, {}, g, &weights, &rep, &r.error)) return r;
    std::error_code ec;
    const fs::path dir = cacheDir();
    fs::create_directories(dir, ec);
    const fs::path file = dir / (cacheKey(path, weights) + ".safetensors");
    if (!fs::exists(file, ec) && !writeSafetensors(file.string(), weights, &r.error)) {
        r.error = path + ": imported, but the weights cache could not be written: " + r.error;
        return r;
    }
    g->weights.file = fs::absolute(file, ec).string();
    r.ok = true;
    return r;
}

}  // namespace archscope
