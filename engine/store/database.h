// Database: one SQLite connection to a profile store file, with migrations.
//
// One connection per thread: a Database is opened and used by one thread
// (the one that called open(); other threads open their own). open() refuses,
// without writing a byte, a file that is not SQLite, an SQLite file that is
// not an Archscope store, and a store written by a newer schema version.
// Migrations run in order by PRAGMA user_version; the journal is WAL.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace archscope {

class Database {
public:
    static int latestVersion();  // schema version this build writes

    Database() = default;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens (creating if missing) and migrates `path`; ":memory:" for tests.
    bool open(const std::string& path, std::string* err);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    // False (with a message) when called from a thread other than the opener.
    bool checkThread(std::string* err) const;

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    bool exec(const std::string& sql, std::string* err);
    int userVersion(std::string* err);
    int64_t lastInsertId() const;
    std::string lastError() const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
    std::thread::id m_owner;

    bool checkUsable(std::string* err);
    bool migrate(std::string* err);
};

// A prepared statement; columns and parameters are 0-based / 1-based as in SQLite.
class Stmt {
public:
    Stmt(Database& db, const char* sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    bool ok() const { return m_stmt != nullptr; }
    const std::string& error() const { return m_error; }
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, double v);
    Stmt& bind(int i, const std::string& v);
    Stmt& bindBlob(int i, const std::string& bytes);
    Stmt& bindNull(int i);
    // SQLITE_ROW -> true; SQLITE_DONE -> false with ok; error -> false with !stepOk().
    bool step();
    bool stepOk() const { return m_stepOk; }
    void reset();

    int64_t i64(int col) const;
    double f64(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    bool isNull(int col) const;

private:
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_error;
    bool m_stepOk = true;
};

// BEGIN IMMEDIATE on construction; rolls back unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    bool ok() const { return m_ok; }
    const std::string& error() const { return m_error; }
    bool commit();

private:
    Database& m_db;
    bool m_ok = false, m_done = false;
    std::string m_error;
};

std::string isoNowUtc();  // "2026-11-22T07:53:52.123Z"

}  // namespace archscope
