// AppSettings: what the editor remembers between sessions, in QSettings
// (organisation "Archscope", application "Archscope"): the recent files
// (newest first, at most kMaxRecent, missing files dropped when read) and
// window-layout values by key (geometry, splitter states) and the colour theme. Created by Main.qml
// as a QML object; the tests use it directly.
#pragma once

#include <QObject>
#include <QStringList>
#include <QVariant>

namespace archscope::ui {

class AppSettings : public QObject {
    Q_OBJECT
    Q_PROPERTY(QStringList recentFiles READ recentFiles NOTIFY recentFilesChanged)

public:
    static constexpr int kMaxRecent = 10;
    explicit AppSettings(QObject* parent = nullptr) : QObject(parent) {}

    QStringList recentFiles() const;
    Q_INVOKABLE void addRecent(const QString& pathOrUrl);  // moved to the front
    Q_INVOKABLE void clearRecent();
    Q_INVOKABLE QVariant value(const QString& key, const QVariant& fallback = {}) const;
    Q_INVOKABLE void setValue(const QString& key, const QVariant& value);
    // The colour theme ("dark", "light" or "system"; Theme.qml): $ARCHSCOPE_THEME when set (screenshots,
    // `archscope render`), else the stored "theme/mode", else "dark". setThemeMode stores a valid mode.
    Q_INVOKABLE QString themeMode() const;
    Q_INVOKABLE void setThemeMode(const QString& mode);

signals:
    void recentFilesChanged();
};

}  // namespace archscope::ui
