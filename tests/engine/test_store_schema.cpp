// Profile store: migrations from an empty file, WAL, and refusal of newer,
// foreign and corrupt files without changing a byte of them.
#include "store/database.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace archscope;

namespace {

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

void writeBytes(const QString& path, const QByteArray& b) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(b);
}

std::string scalar(Database& db, const char* sql) {
    Stmt s(db, sql);
    return s.step() ? s.text(0) : "<none: " + s.error() + ">";
}

}  // namespace

class TestStoreSchema : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const char* name) { return m_dir.filePath(name); }

private slots:
    void migratesAnEmptyFile() {
        QString p = path("fresh.db");
        Database db;
        std::string err;
        QVERIFY2(db.open(p.toStdString(), &err), err.c_str());
        QVERIFY(Database::latestVersion() >= 1);
        QCOMPARE(db.userVersion(&err), Database::latestVersion());
        for (const char* t : {"sessions", "node_stats", "attention_maps", "tensor_stats", "sweeps", "device_ceilings"}) {
            Stmt s(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
            s.bind(1, std::string(t));
            QVERIFY(s.step());
            QVERIFY2(s.i64(0) == 1, t);
        }
        QCOMPARE(QString::fromStdString(scalar(db, "PRAGMA journal_mode")), QString("wal"));
        QCOMPARE(QString::fromStdString(scalar(db, "PRAGMA foreign_keys")), QString("1"));
        db.close();
        // Reopening an up-to-date store is a no-op migration.
        QVERIFY(db.open(p.toStdString(), &err));
        QCOMPARE(db.userVersion(&err), Database::latestVersion());
    }

    void zeroByteFileIsANewStore() {
        QString p = path("empty.db");
        writeBytes(p, {});
        Database db;
        std::string err;
        QVERIFY2(db.open(p.toStdString(), &err), err.c_str());
        QCOMPARE(db.userVersion(&err), Database::latestVersion());
    }

    void refusesNewerSchema() {
        QString p = path("newer.db");
        std::string err;
        {
            Database db;
            QVERIFY(db.open(p.toStdString(), &err));
            QVERIFY(db.exec("PRAGMA user_version = " + std::to_string(Database::latestVersion() + 3), &err));
            QVERIFY(db.exec("PRAGMA wal_checkpoint(TRUNCATE)", &err));
        }
        QByteArray before = fileHash(p);
        Database db;
        QVERIFY(!db.open(p.toStdString(), &err));
        QString msg = QString::fromStdString(err);
        QVERIFY2(msg.contains("newer Archscope") && msg.contains(QString::number(Database::latestVersion() + 3)) && msg.contains(p),
                 qPrintable(msg));
        QVERIFY(!db.isOpen());
        QCOMPARE(fileHash(p), before);
    }

    void refusesNonSqliteFileUnchanged() {
        QString p = path("notes.db");
        QByteArray text = "these are my notes, not a database\n";
        writeBytes(p, text);
        Database db;
        std::string err;
        QVERIFY(!db.open(p.toStdString(), &err));
        QVERIFY2(QString::fromStdString(err).contains("not an SQLite database"), err.c_str());
        QFile f(p);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), text);
        QVERIFY(!QFile::exists(p + "-wal"));
    }

    void refusesCorruptSqliteFileUnchanged() {
        // A valid header followed by garbage: SQLite reports it, we never write.
        QString p = path("corrupt.db");
        QByteArray bytes("SQLite format 3", 16);
        for (int i = 0; i < 8192; ++i) bytes.append(char((i * 7919 + 13) & 0xff));
        writeBytes(p, bytes);
        QByteArray before = fileHash(p);
        Database db;
        std::string err;
        QVERIFY(!db.open(p.toStdString(), &err));
        QVERIFY2(QString::fromStdString(err).contains("left unchanged"), err.c_str());
        QCOMPARE(fileHash(p), before);
    }

    void refusesForeignSqliteDatabase() {
        QString p = path("foreign.db");
        std::string err;
        {
            Database db;
            QVERIFY(db.open(p.toStdString(), &err));
            // Make it look like someone else's database: drop ours, add theirs, reset the version.
            QVERIFY(db.exec("DROP TABLE node_stats; DROP TABLE attention_maps; DROP TABLE tensor_stats; DROP TABLE sessions;"
                            "DROP TABLE sweeps; DROP TABLE device_ceilings; CREATE TABLE contacts(name TEXT);"
                            "PRAGMA user_version = 0; PRAGMA wal_checkpoint(TRUNCATE);",
                            &err));
        }
        QByteArray before = fileHash(p);
        Database db;
        QVERIFY(!db.open(p.toStdString(), &err));
        QVERIFY2(QString::fromStdString(err).contains("not an Archscope profile store"), err.c_str());
        QCOMPARE(fileHash(p), before);
    }

    void inMemoryDatabase() {
        Database db;
        std::string err;
        QVERIFY2(db.open(":memory:", &err), err.c_str());
        QCOMPARE(db.userVersion(&err), Database::latestVersion());
    }
};

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "test_store_schema.moc"
