// libFuzzer target: the design-file loader.
//
// Contract checked: parseDesign never crashes and either succeeds or sets an
// error naming the file; an accepted design serialises, re-parses and
// serialises to the same bytes (canonical save).
#include "graph/design_io.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace archscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 256 * 1024) return -1;  // the loader is linear; big inputs only slow the search
    std::string text(reinterpret_cast<const char*>(data), size);
    Graph g;
    LoadResult r = parseDesign(text, "fuzz.json", &g);
    if (!r.ok) {
        if (r.error.rfind("fuzz.json", 0) != 0) { std::fprintf(stderr, "error does not name the file: %s\n", r.error.c_str()); std::abort(); }
        return 0;
    }
    std::string once = serializeDesign(g);
    Graph g2;
    LoadResult r2 = parseDesign(once, "again.json", &g2);
    if (!r2.ok) { std::fprintf(stderr, "saved design does not load: %s\n", r2.error.c_str()); std::abort(); }
    if (serializeDesign(g2) != once) { std::fprintf(stderr, "save is not canonical\n"); std::abort(); }
    return 0;
}
