// Shared pieces of the commands: loading a design with bindings, and JSON output.
#pragma once

#include "cli/args.h"
#include "graph/analysis.h"
#include "graph/graph.h"

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace archscope::cli {

using json = nlohmann::ordered_json;

// Loads FILE and analyses it with the --set bindings and --max-elements limit.
// On failure writes the message to `err` and returns the exit code (2), else 0.
int loadAndAnalyze(const Args& args, const std::string& file, Graph* g, Analysis* a, std::ostream& err, const char* cmd);

// Options every design-reading command accepts.
inline const char* kDesignOptions = "  --set NAME=V        bind a size (repeatable), e.g. --set T=1024\n"
                                    "  --max-elements N    largest tensor allowed (default 2^31 elements)\n"
                                    "  --json              machine-readable output\n";

// --max-memory SIZE (run, profile): refuses a design whose weights + peak
// activations exceed SIZE (default: this machine's memory) before anything is
// allocated. Returns 2 with the estimate and the limit in `err`, else 0.
int checkRunMemory(const Args& args, const Analysis& a, std::ostream& err, const char* cmd);
inline const char* kMemoryOption =
    "  --max-memory SIZE   refuse designs needing more (weights + peak activations), e.g. 8G\n"
    "                      (default: this machine's memory)\n";

std::string humanCount(double v);  // 1.2K, 3.4M, 5.6G
std::string humanBytes(double v);  // KiB, MiB, GiB

}  // namespace archscope::cli
