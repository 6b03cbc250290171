// archscope_bench_store: timings of the profile store (docs/PERFORMANCE.md).
//   write: one session of 10,000 node rows and 100 attention maps (T x T fp16)
//          in one transaction, into a WAL database on disk (target < 200 ms)
//   list:  listSessions() over a store of 1,000 sessions (target < 50 ms)
// Each figure is the median of several repetitions; usage:
//   archscope_bench_store [--dir DIR] [--map-tokens T] [--json]
#include "store/profile_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

using namespace archscope;

namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

SessionRecord makeSession(int nodes, int maps, int tokens) {
    SessionRecord r;
    r.info.designHash = std::string(64, 'a');
    r.info.designName = "bench";
    r.info.designJson = R"({"format":"archscope.design","version":1,"nodes":[]})";
    r.info.backend = "cpu";
    r.info.device = "bench device";
    r.info.driver = "bench";
    r.info.appVersion = ARCHSCOPE_VERSION;
    r.info.bindings = {{"B", 1}, {"T", tokens}};
    r.info.repeat = 10;
    r.info.startedAt = r.info.endedAt = isoNowUtc();
    for (int k = 0; k < nodes; ++k)
        r.data.nodes.push_back({"layer" + std::to_string(k / 10) + ".node" + std::to_string(k), "linear", "cpu", "[1, 128, 768]",
                                int64_t(k) * 1000, int64_t(k) * 100, int64_t(k), 0.01 * k, 0.02 * k, 1.0, 2.0, "memory"});
    for (int m = 0; m < maps; ++m) {
        AttentionMap a{"layer" + std::to_string(m / 8) + ".attn", "y", m / 8, m % 8, tokens, tokens, 1, tokens, tokens, {}, 1.0, 0.5};
        a.data.assign(size_t(tokens) * size_t(tokens), 1.0f / float(tokens));
        r.data.attention.push_back(std::move(a));
    }
    return r;
}

double benchWrite(const std::string& path, int tokens, std::string* err) {
    std::filesystem::remove(path);
    Database db;
    if (!db.open(path, err)) return -1;
    ProfileStore store(db);
    std::vector<double> t;
    for (int rep = 0; rep < 7; ++rep) {
        SessionRecord s = makeSession(10000, 100, tokens);
        auto t0 = std::chrono::steady_clock::now();
        if (!store.writeSession(s, err)) return -1;
        t.push_back(msSince(t0));
    }
    return medianOf(t);
}

double benchList(const std::string& path, std::string* err) {
    std::filesystem::remove(path);
    Database db;
    if (!db.open(path, err)) return -1;
    ProfileStore store(db);
    SessionRecord s = makeSession(20, 0, 16);
    for (int k = 0; k < 1000; ++k)
        if (!store.writeSession(s, err)) return -1;
    std::vector<double> t;
    for (int rep = 0; rep < 11; ++rep) {
        std::vector<SessionInfo> list;
        auto t0 = std::chrono::steady_clock::now();
        if (!store.listSessions(&list, err) || list.size() != 1000) return -1;
        t.push_back(msSince(t0));
    }
    return medianOf(t);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = std::filesystem::temp_directory_path().string();
    int tokens = 128;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--json") json = true;
        else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
        else if (a == "--map-tokens" && i + 1 < argc) tokens = std::max(1, std::atoi(argv[++i]));
        else { std::cerr << "usage: archscope_bench_store [--dir DIR] [--map-tokens T] [--json]\n"; return 2; }
    }
    std::string err, path = (std::filesystem::path(dir) / "archscope_bench_store.db").string();
    double write = benchWrite(path, tokens, &err);
    double list = write < 0 ? -1 : benchList(path, &err);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    if (write < 0 || list < 0) { std::cerr << "archscope_bench_store: " << err << "\n"; return 1; }
    if (json) {
        std::cout << nlohmann::json{{"write_session_ms", write}, {"write_target_ms", 200}, {"list_1000_sessions_ms", list},
                                    {"list_target_ms", 50}, {"nodes", 10000}, {"attention_maps", 100}, {"map_tokens", tokens}}
                         .dump(2)
                  << "\n";
    } else {
        std::printf("write session (10,000 nodes, 100 maps of %dx%d fp16): %8.2f ms median of 7 (target < 200 ms) %s\n", tokens,
                    tokens, write, write < 200 ? "ok" : "OVER");
        std::printf("list 1,000 sessions:                                %8.2f ms median of 11 (target < 50 ms) %s\n", list,
                    list < 50 ? "ok" : "OVER");
    }
    return 0;
}
