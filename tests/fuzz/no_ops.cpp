// For the loader-only fuzz targets: an op list with no ops, so they link the
// registry (design_io asks it for plugin names on save) without compiling
// every op. Analysis is fuzzed by fuzz_analyze with the real list.
#include "core/registry.h"

namespace archscope {
void registerCoreOps(OpRegistry&) {}
}  // namespace archscope
