// Shared pieces of the profiling commands (profile, sessions, show, export):
// opening the --db store and reading a SESSION argument.
#pragma once

#include "cli/args.h"
#include "cli/common.h"
#include "store/profile_store.h"

#include <ostream>
#include <string>

namespace archscope::cli {

// Opens --db; on failure writes "archscope CMD: <why>" and returns 2, else 0.
int openStore(const Args& args, Database* db, std::ostream& err, const char* cmd);

// "12" or "last"; on failure writes the message and returns 2, else 0.
int resolveSession(const std::string& text, ProfileStore& store, int64_t* id, std::ostream& err, const char* cmd);

json sessionInfoJson(const SessionInfo& s);
json nodeJson(const NodeProfile& n);
std::string bindingsStr(const std::map<std::string, int64_t>& b);  // "B=2 T=16"

}  // namespace archscope::cli
