#include "edit_script.h"

#include "graph_document.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>
#include <cstdio>
#include <memory>

namespace archscope::ui {

bool applyEditLine(GraphDocument& doc, const QString& line, QString* err) {
    const QStringList w = line.split(' ', Qt::SkipEmptyParts);
    auto need = [&](int n) {
        if (w.size() >= n) return true;
        *err = QString("\"%1\" needs %2 words").arg(line).arg(n);
        return false;
    };
    auto num = [&](int i) { return w[i].toDouble(); };
    const QString cmd = w.value(0);
    QString why;
    if (cmd == "add") {
        if (!need(4)) return false;
        if (doc.addNode(w[1], num(2), num(3)).isEmpty()) why = doc.message();
    } else if (cmd == "set") {
        if (!need(4)) return false;
        why = doc.setAttribute(w[1], w[2], QStringList(w.mid(3)).join(' '));
    } else if (cmd == "move") {
        if (!need(4)) return false;
        if (!doc.graph().node(w[1].toStdString())) why = QString("no node \"%1\"").arg(w[1]);
        else doc.moveNodes({w[1]}, num(2), num(3));
    } else if (cmd == "connect") {
        if (!need(5)) return false;
        why = doc.connectPorts(w[1], w[2], w[3], w[4]);
    } else if (cmd == "remove") {
        if (!need(2)) return false;
        if (!doc.graph().node(w[1].toStdString())) why = QString("no node \"%1\"").arg(w[1]);
        else doc.removeNodes({w[1]});
    } else if (cmd == "size") {
        if (!need(3)) return false;
        why = doc.setSymbolValue(w[1], w[2].toLongLong());
    } else if (cmd == "saveas") {
        if (!need(2)) return false;
        if (!doc.saveAs(w[1])) why = doc.message();
    } else {
        why = QString("unknown edit \"%1\"").arg(cmd);
    }
    if (why.isEmpty()) return true;
    *err = why;
    return false;
}

namespace {

// Window-level lines; false with *err when the line fails.
bool applyWindowLine(QObject* root, const QStringList& w, QString* err) {
    if (w.value(0) == "quit") {
        QCoreApplication::exit(0);
        return true;
    }
    QObject* dialog = root ? root->findChild<QObject*>("recoveryDialog") : nullptr;
    if (!dialog || !dialog->property("visible").toBool()) {
        *err = "the recovery dialog is not open";
        return false;
    }
    const bool yes = w.value(1) == "yes";
    QMetaObject::invokeMethod(dialog, yes ? "accept" : "reject");
    return true;
}

}  // namespace

void startEditScript(GraphDocument* doc, QObject* root, const QString& path) {
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "archscope: cannot read edit script %s\n", qPrintable(path));
        QTimer::singleShot(0, [] { QCoreApplication::exit(3); });
        return;
    }
    auto lines = std::make_shared<QStringList>(QString::fromUtf8(f.readAll()).split('\n'));
    auto next = std::make_shared<int>(0);
    auto* timer = new QTimer(doc);
    bool ok = false;
    int ms = qEnvironmentVariableIntValue("ARCHSCOPE_EDIT_INTERVAL_MS", &ok);
    timer->setInterval(ok ? ms : 50);
    QObject::connect(timer, &QTimer::timeout, doc, [=] {
        while (*next < lines->size()) {
            const int n = ++*next;
            const QString line = lines->at(n - 1).section('#', 0, 0).trimmed();
            if (line.isEmpty()) continue;
            const QStringList w = line.split(' ', Qt::SkipEmptyParts);
            QString err;
            const bool window = w[0] == "quit" || w[0] == "recovery";
            if (!(window ? applyWindowLine(root, w, &err) : applyEditLine(*doc, line, &err))) {
                std::fprintf(stdout, "error %d: %s\n", n, qPrintable(err));
                std::fflush(stdout);
                timer->stop();
                QCoreApplication::exit(3);
                return;
            }
            std::fprintf(stdout, "done %d\n", n);
            std::fflush(stdout);
            return;  // one line per tick
        }
        timer->stop();
    });
    timer->start();
}

}  // namespace archscope::ui
