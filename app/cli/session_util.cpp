#include "cli/session_util.h"

namespace archscope::cli {

int openStore(const Args& args, Database* db, std::ostream& err, const char* cmd) {
    if (!args.has("--db")) {
        err << "archscope " << cmd << ": --db DB is required (the profile store file, e.g. --db profile.db)\n";
        return 2;
    }
    std::string msg;
    if (!db->open(args.value("--db"), &msg)) {
        err << "archscope " << cmd << ": " << msg << "\n";
        return 2;
    }
    return 0;
}

int resolveSession(const std::string& text, ProfileStore& store, int64_t* id, std::ostream& err, const char* cmd) {
    std::string msg;
    if (text == "last") {
        std::vector<SessionInfo> all;
        if (!store.listSessions(&all, &msg)) { err << "archscope " << cmd << ": " << msg << "\n"; return 1; }
        if (all.empty()) { err << "archscope " << cmd << ": the store has no sessions yet (run `archscope profile`)\n"; return 2; }
        *id = all.front().id;
        return 0;
    }
    size_t used = 0;
    try {
        *id = std::stoll(text, &used);
    } catch (...) {
        used = 0;
    }
    if (used != text.size() || *id <= 0) {
        err << "archscope " << cmd << ": SESSION must be a session id (see `archscope sessions`) or \"last\", got \"" << text << "\"\n";
        return 2;
    }
    return 0;
}

std::string bindingsStr(const std::map<std::string, int64_t>& b) {
    std::string s;
    for (auto& [k, v] : b) s += (s.empty() ? "" : " ") + k + "=" + std::to_string(v);
    return s;
}

json sessionInfoJson(const SessionInfo& s) {
    json j{{"id", s.id},         {"design", s.designName},     {"design_hash", s.designHash}, {"backend", s.backend},
           {"device", s.device}, {"driver", s.driver},         {"app_version", s.appVersion}, {"bindings", s.bindings},
           {"seed", s.seed},     {"repeat", s.repeat},         {"warmup", s.warmup},          {"probes", s.probes},
           {"started_at", s.startedAt}, {"ended_at", s.endedAt}, {"status", s.status},        {"error", s.error},
           {"node_count", s.nodeCount}, {"total_ms", s.totalMs}};
    j["sweep_id"] = s.sweepId ? json(s.sweepId) : json(nullptr);
    j["sweep_value"] = s.sweepId ? json(s.sweepValue) : json(nullptr);
    j["design_path"] = s.designPath;
    return j;
}

json nodeJson(const NodeProfile& n) {
    return {{"node", n.node},     {"op", n.op},         {"where", n.where},   {"shape", n.outputShape}, {"flops", n.flops},
            {"bytes", n.bytes},   {"params", n.params}, {"median_ms", n.medianMs}, {"p95_ms", n.p95Ms}, {"gflops", n.gflops},
            {"gbps", n.gbps},     {"bound", n.bound}};
}

}  // namespace archscope::cli
