#include "store/database.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <vector>

namespace archscope {

const std::vector<std::string>& schemaMigrations();  // store/schema.cpp

namespace {

// Refuses a non-empty file whose first 16 bytes are not the SQLite magic,
// before SQLite sees it (so nothing can be written to it).
bool checkHeader(const std::string& path, std::string* err) {
    std::error_code ec;
    if (path == ":memory:" || !std::filesystem::exists(path, ec)) return true;
    if (std::filesystem::is_directory(path, ec)) {
        *err = path + ": is a directory; --db expects a database file";
        return false;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) { *err = path + ": cannot be read (check permissions)"; return false; }
    char head[16] = {};
    f.read(head, 16);
    std::streamsize got = f.gcount();
    if (got == 0) return true;  // empty file: a new database
    static const char magic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
    if (got < 16 || std::memcmp(head, magic, 16) != 0) {
        *err = path + ": is not an SQLite database (wrong header); it was left unchanged. "
                      "Pass a new file name to --db to create a profile store.";
        return false;
    }
    return true;
}

}  // namespace

int Database::latestVersion() { return int(schemaMigrations().size()); }

Database::~Database() { close(); }

void Database::close() {
    if (m_db) sqlite3_close_v2(m_db);
    m_db = nullptr;
}

int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

std::string Database::lastError() const { return m_db ? sqlite3_errmsg(m_db) : "database not open"; }

bool Database::checkThread(std::string* err) const {
    if (!m_db) { *err = "profile store: database not open"; return false; }
    if (std::this_thread::get_id() == m_owner) return true;
    *err = "profile store: a connection is used by one thread only; open another Database in this thread";
    return false;
}

bool Database::exec(const std::string& sql, std::string* err) {
    char* msg = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &msg) == SQLITE_OK) return true;
    *err = msg ? msg : lastError();
    sqlite3_free(msg);
    return false;
}

int Database::userVersion(std::string* err) {
    Stmt s(*this, "PRAGMA user_version");
    if (!s.ok()) { *err = s.error(); return -1; }
    if (!s.step()) { *err = lastError(); return -1; }
    return int(s.i64(0));
}

bool Database::open(const std::string& path, std::string* err) {
    close();
    if (!checkHeader(path, err)) return false;
    m_path = path;
    m_owner = std::this_thread::get_id();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    std::string msg;
    bool ok = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) == SQLITE_OK;
    if (!ok) msg = "cannot open: " + lastError();
    if (ok) {
        sqlite3_busy_timeout(m_db, 10000);
        ok = checkUsable(&msg);  // read-only checks: nothing written before this passes
    }
    if (ok && path != ":memory:" && !exec("PRAGMA journal_mode=WAL", &msg)) {
        msg = "cannot enable WAL: " + msg;
        ok = false;
    }
    ok = ok && exec("PRAGMA foreign_keys=ON", &msg) && migrate(&msg);
    if (!ok) {
        *err = path + ": " + msg;
        close();
    }
    return ok;
}

bool Database::checkUsable(std::string* err) {
    std::string msg;
    int v = userVersion(&msg);
    if (v < 0) {
        *err = "is not a usable SQLite database (" + msg + "); it was left unchanged";
        return false;
    }
    if (v > latestVersion()) {
        *err = "was written by a newer Archscope (profile store schema version " + std::to_string(v) + ", this build reads up to " +
               std::to_string(latestVersion()) + "); upgrade Archscope or use another --db file";
        return false;
    }
    if (v > 0) return true;
    Stmt s(*this, "SELECT count(*) FROM sqlite_master");
    if (!s.ok() || !s.step()) {
        *err = "is not a usable SQLite database (" + lastError() + "); it was left unchanged";
        return false;
    }
    if (s.i64(0) > 0) {
        *err = "is an SQLite database but not an Archscope profile store; it was left unchanged";
        return false;
    }
    return true;
}

bool Database::migrate(std::string* err) {
    const auto& migrations = schemaMigrations();
    for (;;) {
        Transaction t(*this);
        if (!t.ok()) { *err = "cannot start migration: " + t.error(); return false; }
        int v = userVersion(err);  // re-read inside the lock: another process may have migrated
        if (v < 0) return false;
        if (v >= int(migrations.size())) return true;
        if (!exec(migrations[size_t(v)], err) || !exec("PRAGMA user_version = " + std::to_string(v + 1), err)) {
            *err = "migration to schema version " + std::to_string(v + 1) + " failed: " + *err;
            return false;
        }
        if (!t.commit()) { *err = t.error(); return false; }
    }
}

Stmt::Stmt(Database& db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
        m_error = db.lastError();
        m_stmt = nullptr;
    }
}

Stmt::~Stmt() { sqlite3_finalize(m_stmt); }

Stmt& Stmt::bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); return *this; }
Stmt& Stmt::bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); return *this; }
Stmt& Stmt::bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bindBlob(int i, const std::string& b) {
    sqlite3_bind_blob(m_stmt, i, b.data(), int(b.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bindNull(int i) { sqlite3_bind_null(m_stmt, i); return *this; }

bool Stmt::step() {
    if (!m_stmt) { m_stepOk = false; return false; }
    int rc = sqlite3_step(m_stmt);
    m_stepOk = rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (!m_stepOk) m_error = m_db.lastError();
    return rc == SQLITE_ROW;
}

void Stmt::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Stmt::i64(int c) const { return sqlite3_column_int64(m_stmt, c); }
double Stmt::f64(int c) const { return sqlite3_column_double(m_stmt, c); }
bool Stmt::isNull(int c) const { return sqlite3_column_type(m_stmt, c) == SQLITE_NULL; }
std::string Stmt::text(int c) const {
    auto* p = sqlite3_column_text(m_stmt, c);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(m_stmt, c))) : std::string();
}
std::string Stmt::blob(int c) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, c));
    return p ? std::string(p, size_t(sqlite3_column_bytes(m_stmt, c))) : std::string();
}

Transaction::Transaction(Database& db) : m_db(db) { m_ok = db.exec("BEGIN IMMEDIATE", &m_error); }

Transaction::~Transaction() {
    std::string ignored;
    if (m_ok && !m_done) m_db.exec("ROLLBACK", &ignored);
}

bool Transaction::commit() {
    if (!m_ok || m_done) return false;
    m_done = m_db.exec("COMMIT", &m_error);
    return m_done;
}

std::string isoNowUtc() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec, int(ms));
    return buf;
}

}  // namespace archscope
