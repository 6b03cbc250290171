// ProfileModel: MoE router loads, the session's input sample (token labels,
// input image) and opening the newest session of one design.
#include "graph/design_io.h"
#include "graph_document.h"
#include "heatmap.h"
#include "profile_model.h"
#include "profile_util.h"
#include "store/sha256.h"

#include <QFileInfo>

namespace archscope::ui {

using namespace profile_util;

void ProfileModel::buildInputs() {
    m_routers.clear();
    m_tokenLabels.clear();
    m_inputImage.clear();
    m_tokenInput = false;
    for (auto& r : m_cur->data.routers) {
        QVariantList counts, fractions;
        for (auto c : r.counts) counts << qint64(c);
        for (auto f : r.fractions) fractions << f;
        m_routers << QVariantMap{{"node", q(r.node)}, {"top", topNode(q(r.node))}, {"port", q(r.port)}, {"tokens", qint64(r.tokens)},
                                 {"experts", int(r.counts.size())}, {"counts", counts}, {"fractions", fractions}};
    }
    for (auto& in : m_cur->data.inputs) {
        if (in.kind == "tokens") m_tokenInput = true;
        if (in.kind == "tokens" && m_tokenLabels.isEmpty())
            for (auto& l : in.labels) m_tokenLabels << q(l);
        if (in.kind == "image" && m_inputImage.isEmpty() && in.width > 0 && in.height > 0) {
            QImage img(in.rgb.data(), in.width, in.height, in.width * 3, QImage::Format_RGB888);
            m_inputImage = QString("%1/input/%2").arg(m_keyPrefix).arg(q(in.node));
            HeatmapCache::global().putImage(m_inputImage, img.copy());  // copy: `in` is owned by the session
        }
    }
}

bool ProfileModel::openForDesign(const QString& storePath, QObject* document) {
    auto* doc = qobject_cast<GraphDocument*>(document);
    if (!QFileInfo::exists(storePath) || !open(storePath)) return false;
    if (!doc) return true;
    const std::string hash = sha256Hex(serializeDesign(doc->graph()));
    const std::string path = doc->filePath().isEmpty() ? std::string() : QFileInfo(doc->filePath()).absoluteFilePath().toStdString();
    std::string err;
    const int64_t id = ProfileStore(*m_db).newestSessionOf(hash, path, &err);
    if (!err.empty()) return fail(err);
    return id > 0 ? loadSession(int(id)) : true;
}

}  // namespace archscope::ui
