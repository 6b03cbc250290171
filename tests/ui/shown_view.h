// A profiling view (qrc:/Archscope/Profiling/<name>.qml) instantiated in an
// offscreen window for the profiling-view tests, with its own QML engine.
#pragma once

#include "graph_document.h"
#include "profile_model.h"
#include "qml_types.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QtTest>
#include <memory>

namespace test {

using archscope::ui::GraphDocument;
using archscope::ui::ProfileModel;

struct Shown {
    std::unique_ptr<QQmlEngine> engine;
    std::unique_ptr<QQuickWindow> window;
    QQuickItem* item = nullptr;
    // The component's item has no QObject parent: owned here, deleted before the window.
    std::unique_ptr<QQuickItem> owner;
};

// `extra` adds initial properties beside profile and document; waits `settleMs` for rendering.
inline Shown showView(const QString& name, ProfileModel* p, GraphDocument* doc, QSize size, QVariantMap extra = {},
                      int settleMs = 150) {
    Shown s;
    s.engine = std::make_unique<QQmlEngine>();
    archscope::ui::setupEngine(*s.engine);
    QQmlComponent c(s.engine.get(), QUrl("qrc:/Archscope/Profiling/" + name + ".qml"));
    if (!c.isReady()) {
        qWarning() << c.errorString();
        return s;
    }
    extra["profile"] = QVariant::fromValue(p);
    extra["document"] = QVariant::fromValue(doc);
    s.item = qobject_cast<QQuickItem*>(c.createWithInitialProperties(extra));
    if (!s.item) qWarning() << c.errorString();
    s.owner.reset(s.item);
    s.window = std::make_unique<QQuickWindow>();
    s.window->resize(size);
    if (s.item) {
        s.item->setParentItem(s.window->contentItem());
        s.item->setSize(size);
    }
    s.window->show();
    QTest::qWait(settleMs);
    return s;
}

}  // namespace test
