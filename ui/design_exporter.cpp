#include "design_exporter.h"

#include "graph_document.h"
#include "interop/export_file.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace archscope::ui {

QStringList DesignExporter::formats() const {
    QStringList f;
    for (auto& s : designExportFormats()) f << QString::fromStdString(s);
    return f;
}

QString DesignExporter::extension(const QString& format) const { return QString::fromStdString(designExportExtension(format.toStdString())); }

QString DesignExporter::suggestedPath(GraphDocument* doc, const QString& format) const {
    if (!doc) return {};
    QString base = "design";
    QString dir = QDir::homePath();
    if (!doc->filePath().isEmpty()) {
        QFileInfo fi(doc->filePath());
        base = fi.completeBaseName();
        dir = fi.absolutePath();
    } else if (auto it = doc->graph().metadata.find("name"); it != doc->graph().metadata.end() && !it->second.empty()) {
        base = QString::fromStdString(it->second).replace(QRegularExpression("[^A-Za-z0-9_.-]+"), "_");
    }
    return QDir(dir).filePath(base + extension(format));
}

bool DesignExporter::exportDocument(GraphDocument* doc, const QString& format, const QString& pathOrUrl, int pngScale) {
    m_error.clear();
    m_written.clear();
    if (!doc) {
        m_error = "no document to export";
        emit finished(false);
        return false;
    }
    DesignExportOptions o;
    o.format = format.toStdString();
    o.output = localPath(pathOrUrl).toStdString();
    o.scale = pngScale;
    if (!doc->filePath().isEmpty()) {
        o.designDir = QFileInfo(doc->filePath()).absolutePath().toStdString();
        o.designFile = doc->filePath().toStdString();
    }
    DesignExportResult r = exportDesignFile(doc->graph(), doc->analysis(), o);
    if (r.code) {
        m_error = QString::fromStdString(r.error);
        // The status bar has one line: the first line of the reason, then the node lines joined.
        QStringList lines = m_error.split('\n', Qt::SkipEmptyParts);
        for (auto& l : lines) l = l.trimmed();
        doc->setMessage("Export as " + format + " failed: " + lines.join(" "));
        emit finished(false);
        return false;
    }
    m_written = QString::fromStdString(r.written);
    QString note;
    if (!r.warnings.empty())
        note = format == "svg" || format == "png" ? QString(" (%1 problem(s) drawn without shapes)").arg(r.warnings.size())
                                                  : " (" + QString::fromStdString(r.warnings.front()) + ")";
    doc->setMessage("Exported " + format + " to " + m_written + note);
    emit finished(true);
    return true;
}

}  // namespace archscope::ui
