// Session and sweep records of the profile store (docs/profile-store.md).
#pragma once

#include "probes/profile_data.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace archscope {

// One row of the sessions table. id is assigned by ProfileStore::writeSession.
struct SessionInfo {
    int64_t id = 0;
    std::string designHash;  // SHA-256 of designJson
    std::string designName;  // metadata "name", else the file name
    std::string designJson;  // canonical design snapshot (empty in listings)
    std::string designPath;  // absolute path of the design file ("" for an unsaved design)
    std::string backend, device, driver, appVersion;
    std::map<std::string, int64_t> bindings;  // effective sizes
    uint64_t seed = 0;
    int repeat = 0, warmup = 0;
    std::string probes;                // ProbeSet::str()
    std::string startedAt, endedAt;    // ISO 8601 UTC
    std::string status = "ok";         // "ok" or "failed"
    std::string error;                 // why it failed
    int64_t nodeCount = 0;
    double totalMs = 0;                // median whole-graph time
    int64_t sweepId = 0;               // 0 = not part of a sweep
    int64_t sweepValue = 0;
    bool operator==(const SessionInfo&) const = default;
};

struct SessionRecord {
    SessionInfo info;
    ProfileData data;
};

struct SweepInfo {
    int64_t id = 0;
    std::string name;              // the swept size, e.g. "T"
    std::vector<int64_t> values;
    std::string designHash;
    std::string createdAt;
    std::vector<int64_t> sessions;  // ids of the sessions written so far, by value order
};

}  // namespace archscope
