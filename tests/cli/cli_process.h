// Runs the archscope binary under test (ARCHSCOPE_BIN) as a child process and
// collects its exit code and output; a crash or a timeout reads as exit -1.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace archscope::test {

struct CliResult {
    int code = -1;
    QString out, err;
};

inline CliResult runArchscope(const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(qEnvironmentVariable("ARCHSCOPE_BIN"), args);
    CliResult r;
    if (!p.waitForStarted(30000) || !p.waitForFinished(timeoutMs)) p.kill();
    r.code = p.exitStatus() == QProcess::CrashExit ? -1 : p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

}  // namespace archscope::test
