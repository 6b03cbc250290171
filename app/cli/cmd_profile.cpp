// archscope profile FILE --db DB: runs probes and writes one session per
// sweep value (one transaction each) to the profile store.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/session_util.h"
#include "graph/design_io.h"
#include "interop/design_loader.h"
#include "probes/profiler.h"
#include "store/sha256.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

namespace archscope::cli {

namespace {

constexpr const char* kCmd = "profile";

struct Setup {
    std::string file;
    Graph graph;
    std::string designJson, designHash, designName;
    AnalyzeOptions analyze;
    std::string sweepName;
    std::vector<int64_t> sweepValues;  // empty: one session
    ProbeOptions options;
    uint64_t seed = 0;
    WeightStore weights;  // from --weights or the design's sidecar file
    BackendOptions backend;
};

bool parseInt(const std::string& text, int64_t lo, int64_t hi, int64_t* out) {
    size_t used = 0;
    try { *out = std::stoll(text, &used); } catch (...) { return false; }
    return used == text.size() && *out >= lo && *out <= hi;
}

int parseSweep(const std::string& text, Setup* s, std::ostream& err) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) { err << "archscope profile: --sweep expects NAME=V1,V2,..., got \"" << text << "\"\n"; return 2; }
    s->sweepName = text.substr(0, eq);
    std::stringstream ss(text.substr(eq + 1));
    std::string item;
    while (std::getline(ss, item, ',')) {
        int64_t v;
        if (!parseInt(item, 1, int64_t(1) << 40, &v)) {
            err << "archscope profile: --sweep " << s->sweepName << ": \"" << item << "\" is not a positive integer\n";
            return 2;
        }
        s->sweepValues.push_back(v);
    }
    if (s->sweepValues.empty()) { err << "archscope profile: --sweep " << s->sweepName << " has no values\n"; return 2; }
    return 0;
}

int parseOptions(const Args& args, Setup* s, std::ostream& err) {
    int64_t v;
    std::string msg;
    if (!parseInt(args.value("--repeat", "10"), 1, 1000000, &v)) { err << "archscope profile: --repeat must be an integer >= 1\n"; return 2; }
    s->options.repeat = int(v);
    if (!parseInt(args.value("--warmup", "2"), 0, 1000000, &v)) { err << "archscope profile: --warmup must be an integer >= 0\n"; return 2; }
    s->options.warmup = int(v);
    if (!ProbeSet::parse(args.value("--probe", "all"), &s->options.probes, &msg)) { err << "archscope profile: --probe: " << msg << "\n"; return 2; }
    if (args.has("--eps")) {
        try { s->options.eps = std::stod(args.value("--eps")); } catch (...) { s->options.eps = -1; }
        if (!(s->options.eps > 0)) { err << "archscope profile: --eps must be a positive number, e.g. 1e-3\n"; return 2; }
    }
    if (args.has("--seed") && !parseInt(args.value("--seed"), 0, INT64_MAX, &v)) { err << "archscope profile: --seed must be a non-negative integer\n"; return 2; }
    s->seed = args.has("--seed") ? uint64_t(v) : s->graph.weights.seed;
    for (auto& b : args.values("--set")) {
        std::string name;
        if (!parseBinding(b, &name, &v, &msg)) { err << "archscope profile: --set " << msg << "\n"; return 2; }
        s->analyze.bindings[name] = v;
    }
    if (args.has("--max-elements") && !parseInt(args.value("--max-elements"), 1, INT64_MAX, &s->analyze.maxElements)) {
        err << "archscope profile: --max-elements must be a positive integer\n";
        return 2;
    }
    if (args.has("--sweep")) return parseSweep(args.value("--sweep"), s, err);
    return 0;
}

int loadSetup(const Args& args, Setup* s, std::ostream& err) {
    s->file = args.positional()[0];
    LoadResult lr = loadAnyDesign(s->file, &s->graph);  // .onnx is imported on the fly
    if (!lr.ok) { err << "archscope profile: " << lr.error << "\n"; return 2; }
    if (int rc = parseOptions(args, s, err)) return rc;
    s->designJson = serializeDesign(s->graph);
    s->designHash = sha256Hex(s->designJson);
    auto name = s->graph.metadata.find("name");
    s->designName = name != s->graph.metadata.end() && !name->second.empty() ? name->second : std::filesystem::path(s->file).stem().string();
    std::string wfile = args.value("--weights"), msg;
    if (wfile.empty() && !s->graph.weights.file.empty())
        wfile = (std::filesystem::path(s->file).parent_path() / s->graph.weights.file).string();
    if (!wfile.empty() && !s->weights.loadFile(wfile, &msg)) { err << "archscope profile: " << msg << "\n"; return 2; }
    s->backend.name = args.value("--backend", "cpu");
    s->backend.fuse = !args.flag("--no-fuse");
    if (args.has("--device")) s->backend.device = std::atoi(args.value("--device").c_str());
    return 0;
}

// Analyses every sweep value up front, so a bad size is reported before any run.
int analyzeAll(const Setup& s, std::vector<Analysis>* out, std::ostream& err) {
    std::vector<int64_t> values = s.sweepValues.empty() ? std::vector<int64_t>{0} : s.sweepValues;
    for (int64_t v : values) {
        AnalyzeOptions o = s.analyze;
        if (!s.sweepValues.empty()) o.bindings[s.sweepName] = v;
        out->push_back(analyze(s.graph, o));
        if (!out->back().ok()) {
            std::string where = s.sweepValues.empty() ? "" : " (" + s.sweepName + "=" + std::to_string(v) + ")";
            for (auto& d : out->back().errors) err << s.file << where << ": " << d.message << "\n";
            return 2;
        }
    }
    return 0;
}

bool ceilingsFor(Backend& backend, const DeviceInfo& dev, const Setup& s, ProfileStore& store, Ceilings* c, std::ostream& err) {
    if (!s.options.probes.latency) return true;
    std::string msg;
    if (auto cached = store.ceilings(dev.name, backend.name(), &msg)) { *c = *cached; return true; }
    if (!measureCeilings(backend, c, &msg)) { err << "archscope profile: " << msg << "\n"; return false; }
    if (!store.saveCeilings(dev.name, backend.name(), *c, &msg)) { err << "archscope profile: " << msg << "\n"; return false; }
    return true;
}

SessionRecord profileOne(Setup& s, const Analysis& a, Backend& backend, const DeviceInfo& dev, const Ceilings& c) {
    SessionRecord rec;
    SessionInfo& i = rec.info;
    i.designHash = s.designHash;
    i.designName = s.designName;
    i.designJson = s.designJson;
    i.backend = backend.name();
    i.device = dev.name;
    i.driver = dev.driver;
    i.appVersion = ARCHSCOPE_VERSION;
    i.bindings = a.bindings;
    i.seed = s.seed;
    i.repeat = s.options.repeat;
    i.warmup = s.options.warmup;
    i.probes = s.options.probes.str();
    i.startedAt = isoNowUtc();
    WeightStore weights = s.weights;
    std::string msg;
    bool ok = weights.materialize(a, s.seed, &msg);
    if (ok) ok = runProfile({&s.graph, &a, &weights, &backend, s.seed, s.options, c}, &rec.data, &msg);
    i.status = ok ? "ok" : "failed";
    i.error = ok ? "" : msg;
    i.totalMs = rec.data.totalMedianMs;
    i.endedAt = isoNowUtc();
    return rec;
}

int runAll(Setup& s, const std::vector<Analysis>& analyses, const Args& args, std::ostream& out, std::ostream& err) {
    Database db;
    if (int rc = openStore(args, &db, err, kCmd)) return rc;
    ProfileStore store(db);
    std::string msg, notice;
    auto backend = makeBackend(s.backend, &notice, &msg);
    if (!backend) { err << "archscope profile: " << msg << "\n"; return 2; }
    if (!notice.empty()) err << "archscope profile: " << notice << "\n";
    DeviceInfo dev = describeDevice(*backend);
    Ceilings c;
    if (!ceilingsFor(*backend, dev, s, store, &c, err)) return 1;
    SweepInfo sweep{0, s.sweepName, s.sweepValues, s.designHash, "", {}};
    if (!s.sweepValues.empty() && !store.createSweep(sweep, &msg)) { err << "archscope profile: " << msg << "\n"; return 1; }
    json sessions = json::array();
    int rc = 0;
    for (size_t k = 0; k < analyses.size(); ++k) {
        SessionRecord rec = profileOne(s, analyses[k], *backend, dev, c);
        rec.info.sweepId = sweep.id;
        rec.info.sweepValue = s.sweepValues.empty() ? 0 : s.sweepValues[k];
        if (!store.writeSession(rec, &msg)) { err << "archscope profile: " << msg << "\n"; return 1; }
        if (rec.info.status != "ok") { err << "archscope profile: session " << rec.info.id << " failed: " << rec.info.error << "\n"; rc = 1; }
        sessions.push_back(sessionInfoJson(rec.info));
        if (!args.flag("--json"))
            out << "session " << rec.info.id << " written: " << s.designName << " [" << bindingsStr(rec.info.bindings) << "] on "
                << rec.info.backend << ", " << rec.data.nodes.size() << " nodes, " << std::fixed << std::setprecision(3)
                << rec.info.totalMs << " ms median, " << rec.info.status << std::endl;  // flushed: progress for watchers
    }
    if (args.flag("--json"))
        out << json{{"db", args.value("--db")}, {"sweep_id", sweep.id ? json(sweep.id) : json(nullptr)}, {"sessions", sessions}}.dump(2) << "\n";
    return rc;
}

}  // namespace

Command cmd_profile() {
    return {"profile", "profile a design (latency, attention, sparsity, outliers, memory) into a store",
            std::string("usage: archscope profile FILE --db DB [--backend cpu|vulkan] [--repeat N] [--warmup N]\n"
                        "                         [--probe latency,attention,sparsity,outliers,memory|all|none]\n"
                        "                         [--sweep NAME=V1,V2,...] [--eps E] [--seed N] [--set NAME=V ...] [--json]\n\n"
                        "Runs the design WARMUP + REPEAT times and stores per-node median/p95 times and the probes as a\n"
                        "session in the SQLite file DB (created if missing). --sweep binds size NAME to each value in turn\n"
                        "and writes one session per value, linked to one sweep. --probe none keeps timestamps only.\n\n"
                        "  --db DB             profile store (one file per project)\n"
                        "  --no-fuse           Vulkan: no kernel fusion (probe runs are never fused: they keep every tensor)\n"
                        "  --repeat N          timed runs (default 10); --warmup N untimed runs first (default 2)\n"
                        "  --probe LIST        probes to run (default all)\n"
                        "  --eps E             near-zero threshold of the sparsity probe (default 1e-3)\n"
                        "  --weights W         safetensors weights (default: the design's sidecar file)\n") + kMemoryOption + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--no-fuse"}, {"--db", "--backend", "--device", "--repeat", "--warmup", "--probe", "--sweep", "--eps", "--seed",
                                     "--weights", "--set", "--max-elements", "--max-memory"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope profile: " << (args.ok() ? "expected one FILE" : args.error()) << "\n";
                    return 2;
                }
                Setup s;
                if (int rc = loadSetup(args, &s, err)) return rc;
                std::vector<Analysis> analyses;
                if (int rc = analyzeAll(s, &analyses, err)) return rc;
                for (auto& a : analyses)
                    if (int rc = checkRunMemory(args, a, err, "profile")) return rc;
                return runAll(s, analyses, args, out, err);
            }};
}

}  // namespace archscope::cli
