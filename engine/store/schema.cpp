// The profile store schema as a list of migrations; migration i (0-based)
// takes PRAGMA user_version from i to i + 1. Append only: never edit a
// migration that has shipped. Tables are documented in docs/profile-store.md.
#include <string>
#include <vector>

namespace archscope {

const std::vector<std::string>& schemaMigrations() {
    static const std::vector<std::string> m{
        // 0 -> 1: sessions, per-node rows, probe data, sweeps, device ceilings.
        R"SQL(
CREATE TABLE sweeps (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  vals        TEXT NOT NULL,
  design_hash TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  design_hash   TEXT NOT NULL,
  design_name   TEXT NOT NULL,
  design_json   TEXT NOT NULL,
  backend       TEXT NOT NULL,
  device        TEXT NOT NULL,
  driver        TEXT NOT NULL,
  app_version   TEXT NOT NULL,
  bindings      TEXT NOT NULL,
  seed          INTEGER NOT NULL,
  repeat_count  INTEGER NOT NULL,
  warmup_count  INTEGER NOT NULL,
  probes        TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  ended_at      TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error         TEXT NOT NULL DEFAULT '',
  node_count    INTEGER NOT NULL,
  total_ms      REAL NOT NULL,
  ceiling_gflops REAL NOT NULL DEFAULT 0,
  ceiling_gbps  REAL NOT NULL DEFAULT 0,
  peak_activation_bytes INTEGER,
  weights_bytes INTEGER,
  kv_cache_bytes INTEGER,
  sweep_id      INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,
  sweep_value   INTEGER
);
CREATE INDEX sessions_by_sweep ON sessions(sweep_id);
CREATE INDEX sessions_by_design ON sessions(design_hash);
CREATE TABLE node_stats (
  session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  idx          INTEGER NOT NULL,
  node         TEXT NOT NULL,
  op           TEXT NOT NULL,
  location     TEXT NOT NULL,
  output_shape TEXT NOT NULL,
  flops        INTEGER NOT NULL,
  bytes        INTEGER NOT NULL,
  params       INTEGER NOT NULL,
  median_ms    REAL NOT NULL,
  p95_ms       REAL NOT NULL,
  gflops       REAL NOT NULL,
  gbps         REAL NOT NULL,
  bound        TEXT NOT NULL,
  PRIMARY KEY (session_id, idx)
) WITHOUT ROWID;
CREATE TABLE attention_maps (
  session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  layer        INTEGER NOT NULL,
  head         INTEGER NOT NULL,
  node         TEXT NOT NULL,
  port         TEXT NOT NULL,
  tq           INTEGER NOT NULL,
  tk           INTEGER NOT NULL,
  pool         INTEGER NOT NULL,
  rows         INTEGER NOT NULL,
  cols         INTEGER NOT NULL,
  data         BLOB NOT NULL,
  entropy_mean REAL NOT NULL,
  entropy_min  REAL NOT NULL,
  PRIMARY KEY (session_id, layer, head)
) WITHOUT ROWID;
CREATE TABLE tensor_stats (
  session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  idx            INTEGER NOT NULL,
  node           TEXT NOT NULL,
  port           TEXT NOT NULL,
  shape          TEXT NOT NULL,
  numel          INTEGER NOT NULL,
  zero_frac      REAL,
  near_zero_frac REAL,
  eps            REAL,
  absmax         REAL,
  hist           BLOB,
  channels       INTEGER,
  channel_absmax BLOB,
  channel_kurtosis BLOB,
  outlier_channels TEXT,
  PRIMARY KEY (session_id, node, port)
) WITHOUT ROWID;
CREATE TABLE device_ceilings (
  device      TEXT NOT NULL,
  backend     TEXT NOT NULL,
  gflops      REAL NOT NULL,
  gbps        REAL NOT NULL,
  method      TEXT NOT NULL,
  measured_at TEXT NOT NULL,
  PRIMARY KEY (device, backend)
);
)SQL",
        // 1 -> 2: the design file's path per session, MoE router loads, input samples.
        R"SQL(
ALTER TABLE sessions ADD COLUMN design_path TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_path ON sessions(design_path);
CREATE TABLE router_loads (
  session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  node        TEXT NOT NULL,
  port        TEXT NOT NULL,
  experts     INTEGER NOT NULL,
  tokens      INTEGER NOT NULL,
  counts      TEXT NOT NULL,
  fractions   TEXT NOT NULL,
  PRIMARY KEY (session_id, node, port)
) WITHOUT ROWID;
CREATE TABLE session_inputs (
  session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  node        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('tokens', 'image')),
  tokens      TEXT,
  labels      TEXT,
  width       INTEGER,
  height      INTEGER,
  rgb         BLOB,
  PRIMARY KEY (session_id, node)
) WITHOUT ROWID;
)SQL",
    };
    return m;
}

}  // namespace archscope
