// archscope show --db DB SESSION: one session's nodes, memory and probe results.
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/session_util.h"

#include <iomanip>

namespace archscope::cli {

namespace {

json attentionJson(const AttentionMap& m, bool full) {
    json j{{"node", m.node}, {"port", m.port}, {"layer", m.layer}, {"head", m.head}, {"tq", m.tq}, {"tk", m.tk}, {"pool", m.pool},
           {"rows", m.rows}, {"cols", m.cols}, {"entropy_mean", m.entropyMean}, {"entropy_min", m.entropyMin}};
    if (full) j["data"] = m.data;
    return j;
}

json tensorJson(const TensorStats& t, bool full) {
    json j{{"node", t.node}, {"port", t.port}, {"shape", t.shape}, {"numel", t.numel}};
    if (t.hasSparsity) {
        j["zero_frac"] = t.zeroFrac;
        j["near_zero_frac"] = t.nearZeroFrac;
        j["eps"] = t.eps;
        j["absmax"] = t.absmax;
        j["histogram"] = t.histogram;
    }
    if (t.hasChannels) {
        j["channels"] = t.channelAbsmax.size();
        j["outlier_channels"] = t.outlierChannels;
        if (full) {
            j["channel_absmax"] = t.channelAbsmax;
            j["channel_kurtosis"] = t.channelKurtosis;
        }
    }
    return j;
}

json routerJson(const RouterLoad& l) {
    return {{"node", l.node}, {"port", l.port}, {"tokens", l.tokens}, {"counts", l.counts}, {"fractions", l.fractions}};
}

json inputJson(const InputSample& in) {
    json j{{"node", in.node}, {"kind", in.kind}};
    if (in.kind == "tokens") {
        j["tokens"] = in.tokens;
        if (!in.labels.empty()) j["labels"] = in.labels;
    } else {
        j["width"] = in.width;
        j["height"] = in.height;
    }
    return j;
}

json sessionJson(const SessionRecord& r, bool full) {
    json j = sessionInfoJson(r.info);
    j["ceilings"] = {{"gflops", r.data.ceilings.gflops}, {"gbps", r.data.ceilings.gbps}};
    if (r.data.memory.measured)
        j["memory"] = {{"peak_activation_bytes", r.data.memory.peakActivationBytes}, {"weights_bytes", r.data.memory.weightsBytes},
                       {"kv_cache_bytes", r.data.memory.kvCacheBytes}};
    json nodes = json::array(), att = json::array(), tensors = json::array();
    for (auto& n : r.data.nodes) nodes.push_back(nodeJson(n));
    for (auto& m : r.data.attention) att.push_back(attentionJson(m, full));
    for (auto& t : r.data.tensors) tensors.push_back(tensorJson(t, full));
    j["nodes"] = nodes;
    j["attention"] = att;
    j["tensors"] = tensors;
    j["routers"] = json::array();
    for (auto& l : r.data.routers) j["routers"].push_back(routerJson(l));
    j["inputs"] = json::array();
    for (auto& in : r.data.inputs) j["inputs"].push_back(inputJson(in));
    if (full) j["design"] = json::parse(r.info.designJson, nullptr, false);
    return j;
}

void printNodes(const SessionRecord& r, std::ostream& out) {
    out << std::left << std::setw(22) << "node" << std::setw(12) << "op" << std::setw(20) << "shape" << std::right << std::setw(9) << "FLOPs"
        << std::setw(11) << "median ms" << std::setw(10) << "p95 ms" << std::setw(9) << "GFLOP/s" << std::setw(8) << "GB/s" << "  bound\n";
    for (auto& n : r.data.nodes)
        out << std::left << std::setw(22) << n.node.substr(0, 21) << std::setw(12) << n.op << std::setw(20) << n.outputShape << std::right
            << std::setw(9) << humanCount(double(n.flops)) << std::setw(11) << std::fixed << std::setprecision(4) << n.medianMs
            << std::setw(10) << n.p95Ms << std::setw(9) << std::setprecision(2) << n.gflops << std::setw(8) << n.gbps << "  "
            << (n.bound.empty() ? "-" : n.bound) << "\n";
}

void printProbes(const SessionRecord& r, std::ostream& out) {
    const MemoryStats& m = r.data.memory;
    if (m.measured)
        out << "\nmemory: peak activations " << humanBytes(double(m.peakActivationBytes)) << ", weights " << humanBytes(double(m.weightsBytes))
            << ", KV cache " << humanBytes(double(m.kvCacheBytes)) << "\n";
    if (!r.data.attention.empty()) out << "\nattention (entropy in nats, mean / min over queries):\n";
    for (auto& a : r.data.attention)
        out << "  layer " << a.layer << " head " << a.head << " (" << a.node << ", " << a.tq << "x" << a.tk
            << (a.pool > 1 ? ", pooled " + std::to_string(a.pool) : std::string()) << "): " << std::setprecision(3) << a.entropyMean
            << " / " << a.entropyMin << "\n";
    if (!r.data.tensors.empty()) out << "\nactivations:\n";
    for (auto& t : r.data.tensors) {
        out << "  " << std::left << std::setw(24) << (t.node + "." + t.port);
        if (t.hasSparsity)
            out << " zero " << std::setprecision(3) << t.zeroFrac * 100 << "%, |x|<" << t.eps << " " << t.nearZeroFrac * 100 << "%, absmax "
                << t.absmax;
        if (t.hasChannels) out << ", outlier channels " << t.outlierChannels.size() << "/" << t.channelAbsmax.size();
        out << "\n";
    }
    if (!r.data.routers.empty()) out << "\nMoE router load (tokens per expert; share of the tokens):\n";
    for (auto& l : r.data.routers) {
        out << "  " << std::left << std::setw(28) << (l.node + "." + l.port) << std::right << l.tokens << " tokens:";
        for (size_t e = 0; e < l.counts.size(); ++e)
            out << " e" << e << "=" << l.counts[e] << " (" << std::setprecision(1) << l.fractions[e] * 100 << "%)";
        out << "\n";
    }
    for (auto& in : r.data.inputs) {
        if (in.kind == "image") { out << "\ninput " << in.node << ": image, " << in.width << "x" << in.height << " thumbnail stored\n"; continue; }
        out << "\ninput " << in.node << ": " << in.tokens.size() << " tokens" << (in.labels.empty() ? " (no vocabulary)" : "") << ":";
        for (size_t t = 0; t < in.tokens.size() && t < 32; ++t) out << " " << (in.labels.empty() ? std::to_string(in.tokens[t]) : in.labels[t]);
        out << (in.tokens.size() > 32 ? " ..." : "") << "\n";
    }
}

}  // namespace

Command cmd_show() {
    return {"show", "show one profiling session (nodes, memory, probes)",
            "usage: archscope show --db DB SESSION [--full] [--json]\n\n"
            "SESSION is an id from `archscope sessions` or \"last\". --full adds the attention map values, the\n"
            "per-channel statistics and the design snapshot to --json output.\n",
            [](const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
                Args args(argv, {"--full"}, {"--db"});
                if (!args.ok() || args.positional().size() != 1) {
                    err << "archscope show: " << (args.ok() ? "expected one SESSION id" : args.error()) << "\n";
                    return 2;
                }
                Database db;
                if (int rc = openStore(args, &db, err, "show")) return rc;
                ProfileStore store(db);
                int64_t id = 0;
                if (int rc = resolveSession(args.positional()[0], store, &id, err, "show")) return rc;
                SessionRecord r;
                std::string msg;
                if (!store.loadSession(id, &r, &msg)) { err << "archscope show: " << msg << "\n"; return 2; }
                if (args.flag("--json")) { out << sessionJson(r, args.flag("--full")).dump(2) << "\n"; return 0; }
                const SessionInfo& i = r.info;
                out << "session " << i.id << ": " << i.designName << " [" << bindingsStr(i.bindings) << "] " << i.status
                    << (i.error.empty() ? "" : " (" + i.error + ")") << "\n"
                    << "  " << i.backend << " on " << i.device << " (" << i.driver << "), archscope " << i.appVersion << "\n"
                    << "  " << i.startedAt << " .. " << i.endedAt << ", repeat " << i.repeat << " after " << i.warmup << " warm-up, seed "
                    << i.seed << ", probes " << (i.probes.empty() ? "none" : i.probes) << "\n"
                    << "  median total " << std::fixed << std::setprecision(3) << i.totalMs << " ms, design " << i.designHash.substr(0, 12) << "\n\n";
                printNodes(r, out);
                printProbes(r, out);
                return 0;
            }};
}

}  // namespace archscope::cli
