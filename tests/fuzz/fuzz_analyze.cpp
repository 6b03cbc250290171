// libFuzzer target: analysis (flattening, attribute resolution, shape
// inference, cost model) of any design the loader accepts. Bad ops, attrs
// and shapes must come back as diagnostics, never as a crash, an uncaught
// exception or undefined behaviour (e.g. signed overflow in a cost formula).
#include "graph/analysis.h"
#include "graph/design_io.h"

#include <cstdint>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return -1;
    Graph g;
    if (!parseDesign(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json", &g).ok) return 0;
    AnalyzeOptions opt;
    opt.maxElements = int64_t(1) << 20;
    Analysis a = analyze(g, opt);
    (void)a.errorText();
    return 0;
}
