#include "cli/common.h"
#include "runtime/memory_budget.h"

#include "graph/design_io.h"
#include "interop/design_loader.h"

#include <cstdio>

namespace archscope::cli {

int loadAndAnalyze(const Args& args, const std::string& file, Graph* g, Analysis* a, std::ostream& err, const char* cmd) {
    LoadResult lr = loadAnyDesign(file, g);  // .onnx is imported on the fly
    if (!lr.ok) { err << "archscope " << cmd << ": " << lr.error << "\n"; return 2; }
    AnalyzeOptions opt;
    for (auto& s : args.values("--set")) {
        std::string name, msg;
        int64_t v;
        if (!parseBinding(s, &name, &v, &msg)) { err << "archscope " << cmd << ": --set " << msg << "\n"; return 2; }
        opt.bindings[name] = v;
    }
    if (args.has("--max-elements")) {
        try {
            opt.maxElements = std::stoll(args.value("--max-elements"));
        } catch (...) {
            err << "archscope " << cmd << ": --max-elements must be an integer\n";
            return 2;
        }
    }
    *a = analyze(*g, opt);
    return 0;
}

int checkRunMemory(const Args& args, const Analysis& a, std::ostream& err, const char* cmd) {
    int64_t limit = physicalMemoryBytes();
    std::string limitName = "this machine's memory; set another with --max-memory", msg;
    if (args.has("--max-memory")) {
        if (!parseByteSize(args.value("--max-memory"), &limit, &msg)) { err << "archscope " << cmd << ": --max-memory: " << msg << "\n"; return 2; }
        limitName = "--max-memory";
    }
    if (!checkMemoryBudget(estimateMemory(a), limit, limitName, &msg)) { err << "archscope " << cmd << ": " << msg << "\n"; return 2; }
    return 0;
}

std::string humanCount(double v) {
    const char* units[] = {"", "K", "M", "G", "T", "P"};
    int u = 0;
    while (v >= 1000 && u < 5) { v /= 1000; ++u; }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f%s" : "%.0f%s", v, units[u]);
    return buf;
}

std::string humanBytes(double v) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < 4) { v /= 1024; ++u; }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f %s", v, units[u]);
    return buf;
}

}  // namespace archscope::cli
