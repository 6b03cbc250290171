// ProfileStore: reads and writes sessions, sweeps and device ceilings in a
// Database. It borrows the Database (one per thread) and holds no state of
// its own, so it is cheap to create where needed.
//
// writeSession() writes the session row and all its node rows and probe data
// in ONE transaction: a process killed mid-profile leaves only complete
// sessions behind.
#pragma once

#include "store/database.h"
#include "store/session.h"

#include <optional>
#include <string>
#include <vector>

namespace archscope {

class ProfileStore {
public:
    explicit ProfileStore(Database& db) : m_db(db) {}

    bool writeSession(SessionRecord& s, std::string* err);  // sets s.info.id
    // Newest first; designJson is left empty.
    bool listSessions(std::vector<SessionInfo>* out, std::string* err);
    // The newest session of one design: same design hash, else same design
    // file path (the design was edited since), else 0 (none of this design).
    int64_t newestSessionOf(const std::string& designHash, const std::string& designPath, std::string* err);
    // false with "no session N" when absent.
    bool loadSession(int64_t id, SessionRecord* out, std::string* err);

    bool createSweep(SweepInfo& s, std::string* err);  // sets s.id and s.createdAt
    bool loadSweep(int64_t id, SweepInfo* out, std::string* err);

    // Cached roofline ceilings of a device; nullopt when never measured.
    std::optional<Ceilings> ceilings(const std::string& device, const std::string& backend, std::string* err);
    bool saveCeilings(const std::string& device, const std::string& backend, const Ceilings& c, std::string* err);

private:
    Database& m_db;

    bool writeNodes(int64_t id, const ProfileData& d, std::string* err);
    bool writeAttention(int64_t id, const ProfileData& d, std::string* err);
    bool writeTensors(int64_t id, const ProfileData& d, std::string* err);
    bool writeRouters(int64_t id, const ProfileData& d, std::string* err);
    bool writeInputs(int64_t id, const ProfileData& d, std::string* err);
    bool readNodes(int64_t id, ProfileData* d, std::string* err);
    bool readAttention(int64_t id, ProfileData* d, std::string* err);
    bool readTensors(int64_t id, ProfileData* d, std::string* err);
    bool readRouters(int64_t id, ProfileData* d, std::string* err);
    bool readInputs(int64_t id, ProfileData* d, std::string* err);
};

// Histogram counts are stored as fp16 of ln(1 + count); these convert.
std::string encodeHistogram(const std::vector<int64_t>& counts);
std::vector<int64_t> decodeHistogram(const std::string& blob);

}  // namespace archscope
