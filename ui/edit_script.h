// Edit scripts: a test hook that makes the running editor perform edits, so
// that tests can kill the real app (kill -9) in the middle of editing and
// check what autosave kept (tests/ui/test_kill_editing.cpp).
//
// ARCHSCOPE_EDIT_SCRIPT=FILE makes runApp() execute FILE one line per timer
// tick (ARCHSCOPE_EDIT_INTERVAL_MS, default 50) once the window is up. After
// each line it prints "done N" (N counts lines from 1) to stdout and flushes,
// so a test knows which edits completed. A line that fails prints
// "error N: why" and exits with status 3. Lines ('#' starts a comment):
//
//   add OP X Y              GraphDocument::addNode
//   set NODE ATTR VALUE     setAttribute (VALUE is the rest of the line)
//   move NODE DX DY         moveNodes
//   connect FN FP TN TP     connectPorts
//   remove NODE             removeNodes
//   size NAME VALUE         setSymbolValue
//   recovery yes|no         answers the "Restore unsaved changes?" dialog,
//                           which must be open
//   saveas PATH             saveAs
//   quit                    exits with status 0
#pragma once

#include <QString>

class QObject;

namespace archscope::ui {

class GraphDocument;

// Applies one edit line to `doc`; false with *err set when it is not valid
// or the document refuses it. Lines that need the window (recovery, quit)
// are refused here.
bool applyEditLine(GraphDocument& doc, const QString& line, QString* err);

// Starts running the script at `path` against `doc`; `root` is the window's
// root object (for the recovery dialog). Does nothing when path is empty.
void startEditScript(GraphDocument* doc, QObject* root, const QString& path);

}  // namespace archscope::ui
