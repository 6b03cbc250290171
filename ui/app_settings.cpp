#include "app_settings.h"

#include "graph_document.h"  // localPath

#include <QFileInfo>
#include <QSettings>

namespace archscope::ui {

namespace {
const QString kRecentKey = QStringLiteral("recentFiles");
}

QStringList AppSettings::recentFiles() const {
    QStringList out;
    for (const QString& p : QSettings().value(kRecentKey).toStringList())
        if (QFileInfo::exists(p)) out << p;  // moved or deleted since: not offered
    return out;
}

void AppSettings::addRecent(const QString& pathOrUrl) {
    const QString path = localPath(pathOrUrl);
    if (path.isEmpty() || !QFileInfo::exists(path)) return;
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList l = QSettings().value(kRecentKey).toStringList();
    l.removeAll(abs);
    l.prepend(abs);
    while (l.size() > kMaxRecent) l.removeLast();
    QSettings().setValue(kRecentKey, l);
    emit recentFilesChanged();
}

void AppSettings::clearRecent() {
    QSettings().remove(kRecentKey);
    emit recentFilesChanged();
}

QVariant AppSettings::value(const QString& key, const QVariant& fallback) const { return QSettings().value(key, fallback); }

void AppSettings::setValue(const QString& key, const QVariant& value) { QSettings().setValue(key, value); }

namespace {
bool validTheme(const QString& m) { return m == "dark" || m == "light" || m == "system"; }
}

QString AppSettings::themeMode() const {
    if (QString env = qEnvironmentVariable("ARCHSCOPE_THEME"); validTheme(env)) return env;
    const QString stored = QSettings().value(QStringLiteral("theme/mode")).toString();
    return validTheme(stored) ? stored : QStringLiteral("dark");
}

void AppSettings::setThemeMode(const QString& mode) {
    if (validTheme(mode)) QSettings().setValue(QStringLiteral("theme/mode"), mode);
}

}  // namespace archscope::ui
