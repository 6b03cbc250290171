// Reading and writing design files (JSON, format documented in docs/design-format.md).
//
// Loading checks the JSON structure, the format name and version; op-level
// problems (unknown ops, bad attribute types, shapes) are left to analyze().
// Saving is canonical: load -> save -> load -> save gives identical bytes.
#pragma once

#include "graph/graph.h"

#include <string>

namespace archscope {

inline constexpr int kDesignFormatVersion = 1;

struct LoadResult {
    bool ok = false;
    std::string error;  // names the file and what is wrong, with the fix where known
};

LoadResult parseDesign(const std::string& jsonText, const std::string& fileName, Graph* out);
LoadResult loadDesign(const std::string& path, Graph* out);
std::string serializeDesign(const Graph& g);
// Writes to a temporary file beside `path`, then renames it over `path`.
bool saveDesign(const Graph& g, const std::string& path, std::string* err);

// Atomic write shared by every file writer of the engine.
// Removes PATH.tmp-PID files left by killed writers first (see removeStaleTemporaries).
bool writeFileAtomic(const std::string& path, const std::string& data, std::string* err);
// Removes the temporaries of `path` ("PATH.tmp-PID", the pattern writeFileAtomic
// uses) whose PID is not a running process; returns how many. Other files,
// and temporaries of live processes, are never touched. loadDesign calls it too.
int removeStaleTemporaries(const std::string& path);
bool readFile(const std::string& path, std::string* data, std::string* err);

}  // namespace archscope
