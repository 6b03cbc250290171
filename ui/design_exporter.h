// DesignExporter: File ▸ Export… for the open design. QML creates one
// (Archscope.Core) and calls exportDocument(); it runs the same engine export
// as `archscope export` (interop/export_file.h) on the document's graph and
// current analysis (sizes as set in the sizes panel). The outcome goes to the
// document's message (status bar) and to lastError / lastWritten, which the
// export dialog shows; a failed export writes nothing and changes nothing else.
#pragma once

#include <QObject>
#include <QStringList>

namespace archscope::ui {

class GraphDocument;

class DesignExporter : public QObject {
    Q_OBJECT
    Q_PROPERTY(QStringList formats READ formats CONSTANT)
    Q_PROPERTY(QString lastError READ lastError NOTIFY finished)
    Q_PROPERTY(QString lastWritten READ lastWritten NOTIFY finished)

public:
    using QObject::QObject;
    QStringList formats() const;
    QString lastError() const { return m_error; }
    QString lastWritten() const { return m_written; }

    // The path offered for `format`: beside the design file (or in the home
    // folder for an unsaved design), named after it, with the format's extension.
    Q_INVOKABLE QString suggestedPath(GraphDocument* doc, const QString& format) const;
    Q_INVOKABLE QString extension(const QString& format) const;
    // Writes the export; true on success. `pathOrUrl` may be a file:// URL from a dialog.
    Q_INVOKABLE bool exportDocument(GraphDocument* doc, const QString& format, const QString& pathOrUrl, int pngScale = 2);

signals:
    void finished(bool ok);

private:
    QString m_error, m_written;
};

}  // namespace archscope::ui
