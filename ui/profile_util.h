// Helpers shared by profile_model.cpp and profile_views.cpp (not a public API).
#pragma once

#include "core/attrs.h"
#include "profile_model.h"

#include <QColor>
#include <QStringList>
#include <cmath>
#include <map>

namespace archscope::ui::profile_util {


inline QString q(const std::string& s) { return QString::fromStdString(s); }

inline QString bytesText(double v) {
    const char* suffix[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (v >= 1024 && i < 4) { v /= 1024; ++i; }
    return QString("%1 %2").arg(QString::number(v, 'f', i ? 1 : 0), suffix[i]);
}

inline QString msText(double ms) { return ms >= 100 ? QString::number(ms, 'f', 0) + " ms" : QString::number(ms, 'g', 3) + " ms"; }

inline QString bindingsText(const std::map<std::string, int64_t>& b) {
    QStringList l;
    for (auto& [k, v] : b) l << q(k) + "=" + QString::number(v);
    return l.join(' ');
}

inline QString attrText(const AttrValue& v) {
    if (auto* i = std::get_if<int64_t>(&v)) return QString::number(*i);
    if (auto* d = std::get_if<double>(&v)) return QString::number(*d);
    if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (auto* s = std::get_if<std::string>(&v)) return q(*s);
    QStringList parts;
    for (auto x : std::get<std::vector<int64_t>>(v)) parts << QString::number(x);
    return "[" + parts.join(", ") + "]";
}

// Rolled-up cost of one top-level node (a composite block sums its inner nodes).
struct Rollup {
    double ms = 0;
    int64_t flops = 0, bytes = 0;
    int count = 0;
    QString op;
};

inline std::map<QString, Rollup> rollup(const ProfileData& d) {
    std::map<QString, Rollup> r;
    for (auto& n : d.nodes) {
        QString id = q(n.node);
        Rollup& x = r[ProfileModel::topNode(id)];
        x.ms += n.medianMs;
        x.flops += n.flops;
        x.bytes += n.bytes;
        x.op = ++x.count == 1 ? q(n.op) : QString("block");
    }
    return r;
}

inline QColor speedColor(double ratio) {  // ratio = A / B: > 1 means B is faster
    double t = std::clamp(std::log2(std::max(ratio, 1e-9)) / 2.0, -1.0, 1.0);  // saturates at x4
    QColor grey("#6e7681"), good("#3fb950"), bad("#f85149");
    QColor c = t >= 0 ? good : bad;
    double a = std::abs(t);
    return QColor::fromRgbF(float(grey.redF() + (c.redF() - grey.redF()) * a), float(grey.greenF() + (c.greenF() - grey.greenF()) * a),
                            float(grey.blueF() + (c.blueF() - grey.blueF()) * a));
}


}  // namespace archscope::ui::profile_util
