// archscope profile FILE --db DB: runs probes and writes one session per
// sweep value (one transaction each) to the profile store.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/session_util.h"
#include "graph/design_io.h"
#include "interop/design_loader.h"
#include "interop/npy.h"
#include "probes/inputs.h"
#include "probes/profiler.h"
#include "probes/sweep.h"
#include "store/sha256.h"

#include <filesystem>
#include <iomanip>
#include <sstream>

namespace archscope::cli {

namespace {

constexpr const char* kCmd = "profile";

struct Setup {
    std::string file, designPath;  // as given; absolute
    Graph graph;
    std::string designJson, designHash, designName;
    AnalyzeOptions analyze;
    std::string sweepName;
    SweepTarget sweep;                 // a size or NODE.ATTR
    std::vector<int64_t> sweepValues;  // empty: one session
    std::vector<Graph> graphs;         // the design of each session (differs for attribute sweeps)
    std::map<std::string, Tensor> inputs;  // --input NAME=FILE.npy
    std::vector<std::string> vocab;        // --vocab or the design's "vocabulary" metadata
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
    if (args.has("--sweep")) {
        if (int rc = parseSweep(args.value("--sweep"), s, err)) return rc;
        if (!parseSweepTarget(s->graph, s->sweepName, &s->sweep, &msg)) { err << "archscope profile: " << s->file << ": " << msg << "\n"; return 2; }
    }
    return 0;
}

// --input NAME=FILE.npy (checked against the design), --vocab FILE|bytes or
// the design's metadata "vocabulary" (a path relative to the design, or "bytes").
int parseInputsAndVocab(const Args& args, Setup* s, std::ostream& err) {
    std::string msg;
    for (auto& spec : args.values("--input")) {
        auto eq = spec.find('=');
        if (eq == std::string::npos) { err << "archscope profile: --input expects NAME=FILE.npy, got \"" << spec << "\"\n"; return 2; }
        std::string name = spec.substr(0, eq), path = spec.substr(eq + 1);
        const Node* n = s->graph.node(name);
        if (!n || n->op != "input") { err << "archscope profile: --input " << name << ": " << s->file << " has no input node \"" << name << "\"\n"; return 2; }
        Tensor t;
        if (!readNpy(path, &t, &msg)) { err << "archscope profile: --input " << name << ": " << msg << "\n"; return 2; }
        s->inputs[name] = std::move(t);
    }
    std::string vocab = args.value("--vocab");
    if (vocab.empty()) {
        auto it = s->graph.metadata.find("vocabulary");
        if (it != s->graph.metadata.end() && !it->second.empty())
            vocab = it->second == "bytes" ? it->second : (std::filesystem::path(s->file).parent_path() / it->second).string();
    }
    if (!vocab.empty() && !probes::loadVocabulary(vocab, &s->vocab, &msg)) {
        err << "archscope profile: " << msg << (args.has("--vocab") ? "" : " (from the design's metadata \"vocabulary\")") << "\n";
        return 2;
    }
    return 0;
}

int loadSetup(const Args& args, Setup* s, std::ostream& err) {
    s->file = args.positional()[0];
    LoadResult lr = loadAnyDesign(s->file, &s->graph);  // .onnx is imported on the fly
    if (!lr.ok) { err << "archscope profile: " << lr.error << "\n"; return 2; }
    if (int rc = parseOptions(args, s, err)) return rc;
    if (int rc = parseInputsAndVocab(args, s, err)) return rc;
    std::error_code ec;
    s->designPath = std::filesystem::absolute(s->file, ec).lexically_normal().string();
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
int analyzeAll(Setup& s, std::vector<Analysis>* out, std::ostream& err) {
    std::vector<int64_t> values = s.sweepValues.empty() ? std::vector<int64_t>{0} : s.sweepValues;
    s.graphs.reserve(values.size());
    for (int64_t v : values) {
        AnalyzeOptions o = s.analyze;
        s.graphs.push_back(s.graph);
        if (!s.sweepValues.empty()) applySweepValue(s.sweep, v, &s.graphs.back(), &o);
        out->push_back(analyze(s.graphs.back(), o));
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

SessionRecord profileOne(Setup& s, size_t k, const Analysis& a, Backend& backend, const DeviceInfo& dev, const Ceilings& c) {
    SessionRecord rec;
    SessionInfo& i = rec.info;
    const Graph& g = s.graphs[k];
    i.designJson = s.sweep.isAttribute() ? serializeDesign(g) : s.designJson;
    i.designHash = s.sweep.isAttribute() ? sha256Hex(i.designJson) : s.designHash;
    i.designName = s.designName;
    i.designPath = s.designPath;
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
    if (ok) ok = runProfile({&g, &a, &weights, &backend, s.seed, s.options, c, s.inputs, s.vocab}, &rec.data, &msg);
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
        SessionRecord rec = profileOne(s, k, analyses[k], *backend, dev, c);
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
                        "                         [--sweep NAME=V1,V2,...] [--eps E] [--seed N] [--set NAME=V ...] [--json]\n"
                        "                         [--input NAME=X.npy ...] [--vocab FILE|bytes]\n\n"
                        "Runs the design WARMUP + REPEAT times and stores per-node median/p95 times and the probes as a\n"
                        "session in the SQLite file DB (created if missing). --sweep binds size NAME to each value in turn\n"
                        "and writes one session per value, linked to one sweep; NAME may also be NODE.ATTR, an integer\n"
                        "attribute of a node (e.g. layer0.heads). --probe none keeps timestamps only.\n\n"
                        "  --db DB             profile store (one file per project)\n"
                        "  --no-fuse           Vulkan: no kernel fusion (probe runs are never fused: they keep every tensor)\n"
                        "  --repeat N          timed runs (default 10); --warmup N untimed runs first (default 2)\n"
                        "  --probe LIST        probes to run (default all)\n"
                        "  --eps E             near-zero threshold of the sparsity probe (default 1e-3)\n"
                        "  --weights W         safetensors weights (default: the design's sidecar file)\n"
                        "  --input NAME=X.npy  feed input node NAME from a file (default: generated from the seed)\n"
                        "  --vocab FILE|bytes  token strings for token-id inputs (text: one per line; JSON array or\n"
                        "                      {\"token\": id}; bytes: id = byte); default: the design's metadata\n"
                        "                      \"vocabulary\". Stored with the session to label attention maps\n") + kMemoryOption + kDesignOptions,
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--no-fuse"}, {"--db", "--backend", "--device", "--repeat", "--warmup", "--probe", "--sweep", "--eps", "--seed",
                                     "--weights", "--set", "--max-elements", "--max-memory", "--input", "--vocab"});
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
