// archscope sessions --db DB: lists the profiling sessions of a store, newest first.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/session_util.h"

#include <iomanip>

namespace archscope::cli {

Command cmd_sessions() {
    return {"sessions", "list the profiling sessions in a store",
            "usage: archscope sessions --db DB [--json]\n\n"
            "Lists sessions newest first: id, start time, design, sizes, backend, device, repeats, median time,\n"
            "status and sweep.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {}, {"--db"});
                if (!args.ok() || !args.positional().empty()) {
                    err << "archscope sessions: " << (args.ok() ? "unexpected argument \"" + args.positional()[0] + "\"" : args.error()) << "\n";
                    return 2;
                }
                Database db;
                if (int rc = openStore(args, &db, err, "sessions")) return rc;
                ProfileStore store(db);
                std::vector<SessionInfo> all;
                std::string msg;
                if (!store.listSessions(&all, &msg)) { err << "archscope sessions: " << msg << "\n"; return 1; }
                if (args.flag("--json")) {
                    json list = json::array();
                    for (auto& s : all) list.push_back(sessionInfoJson(s));
                    out << list.dump(2) << "\n";
                    return 0;
                }
                if (all.empty()) { out << "no sessions in " << args.value("--db") << " (run `archscope profile FILE --db DB`)\n"; return 0; }
                out << std::left << std::setw(6) << "id" << std::setw(26) << "started" << std::setw(22) << "design" << std::setw(18)
                    << "sizes" << std::setw(8) << "backend" << std::right << std::setw(8) << "repeat" << std::setw(12) << "median ms"
                    << "  status  sweep\n";
                for (auto& s : all) {
                    out << std::left << std::setw(6) << s.id << std::setw(26) << s.startedAt << std::setw(22) << s.designName.substr(0, 21)
                        << std::setw(18) << bindingsStr(s.bindings) << std::setw(8) << s.backend << std::right << std::setw(8) << s.repeat
                        << std::setw(12) << std::fixed << std::setprecision(3) << s.totalMs << "  " << std::left << std::setw(8) << s.status
                        << (s.sweepId ? std::to_string(s.sweepId) + " (" + std::to_string(s.sweepValue) + ")" : "-") << "\n";
                }
                return 0;
            }};
}

}  // namespace archscope::cli
