// Shared by the graph-document tests: a document's design text, and the
// undo/redo round trip every edit must pass.
#pragma once

#include "graph/design_io.h"
#include "graph_document.h"

#include <QtTest>
#include <string>

namespace edtest {

inline std::string designText(const archscope::ui::GraphDocument& d) { return archscope::serializeDesign(d.graph()); }

// Applies `edit`: it must change the design in exactly one undo step; undo gives the
// exact text before, redo the exact text after.
template <class F>
void undoRoundTrip(archscope::ui::GraphDocument& d, const char* what, F edit) {
    const std::string before = designText(d);
    const int index = d.undoStack()->index();
    edit();
    const std::string after = designText(d);
    QVERIFY2(after != before, what);
    QCOMPARE(d.undoStack()->index(), index + 1);  // exactly one undo step
    d.undo();
    QVERIFY2(designText(d) == before, what);
    d.redo();
    QVERIFY2(designText(d) == after, what);
}

}  // namespace edtest
