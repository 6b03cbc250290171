import QtQuick
import QtQuick.Controls
import Archscope.Controls

// Menus and shortcuts. Editing shortcuts act on the canvas only while it has
// focus, so text fields keep Ctrl+C/V/X/A and Delete.
MenuBar {
    id: bar
    required property var window
    required property var document
    required property var canvas
    // Not "onCanvas": a name "on" + capital is taken as a signal handler, and its binding never updated.
    readonly property bool canvasFocused: bar.canvas.activeFocus

    Menu {
        title: "&File"
        Action { text: "&New"; shortcut: "Ctrl+N"; onTriggered: bar.window.guard("new") }
        Action { text: "New from &Template…"; shortcut: "Ctrl+Shift+N"; onTriggered: bar.window.newFromTemplate() }
        Action { text: "&Open…"; shortcut: "Ctrl+O"; onTriggered: bar.window.openFile() }
        Menu {
            id: recentMenu
            objectName: "recentMenu"
            title: "Open &Recent"
            enabled: bar.window.settings.recentFiles.length > 0
            Instantiator {
                model: bar.window.settings.recentFiles
                delegate: MenuItem {
                    required property string modelData
                    required property int index
                    text: (index < 9 ? "&" + (index + 1) + "  " : "") + modelData.split("/").pop() + "   —   " + modelData
                    onTriggered: bar.window.openPath(modelData)
                }
                onObjectAdded: (index, object) => recentMenu.insertItem(index, object)
                onObjectRemoved: (index, object) => recentMenu.removeItem(object)
            }
            MenuSeparator {}
            Action { text: "&Clear Recent Files"; onTriggered: bar.window.settings.clearRecent() }
        }
        Action { text: "&Save"; shortcut: "Ctrl+S"; onTriggered: bar.window.saveFile() }
        Action { text: "Save &As…"; shortcut: "Ctrl+Shift+S"; onTriggered: bar.window.saveFileAs() }
        Action { text: "&Export…"; shortcut: "Ctrl+Shift+E"; onTriggered: bar.window.exportDesign() }
        MenuSeparator {}
        Action { text: "&Quit"; shortcut: "Ctrl+Q"; onTriggered: bar.window.close() }
    }
    Menu {
        title: "&Edit"
        Action {
            text: "&Undo " + bar.document.undoText; shortcut: "Ctrl+Z"
            enabled: bar.document.canUndo; onTriggered: bar.document.undo()
        }
        Action {
            text: "&Redo " + bar.document.redoText; shortcut: "Ctrl+Shift+Z"
            enabled: bar.document.canRedo; onTriggered: bar.document.redo()
        }
        MenuSeparator {}
        Action { text: "Cu&t"; shortcut: "Ctrl+X"; enabled: bar.canvasFocused; onTriggered: bar.document.cutSelection() }
        Action { text: "&Copy"; shortcut: "Ctrl+C"; enabled: bar.canvasFocused; onTriggered: bar.document.copySelection() }
        Action {
            text: "&Paste"; shortcut: "Ctrl+V"; enabled: bar.canvasFocused
            onTriggered: {
                const w = bar.canvas.toWorld(bar.canvas.lastMouse.x, bar.canvas.lastMouse.y)
                bar.document.paste(w.x, w.y)
            }
        }
        Action { text: "&Duplicate"; shortcut: "Ctrl+D"; enabled: bar.canvasFocused; onTriggered: bar.document.duplicateSelection() }
        // The Delete key itself is handled by the canvas (GraphView's Keys), where it has focus.
        Action { text: "De&lete  (Del)"; onTriggered: bar.document.removeSelected() }
        MenuSeparator {}
        Action { text: "Select &All"; shortcut: "Ctrl+A"; enabled: bar.canvasFocused; onTriggered: bar.document.selectAll() }
        Action { text: "&Group"; shortcut: "Ctrl+G"; onTriggered: bar.document.groupSelection("") }
        Action { text: "U&ngroup"; shortcut: "Ctrl+Shift+G"; onTriggered: bar.document.ungroupSelection() }
        Action {
            text: "Open &Block"; shortcut: "Ctrl+E"; enabled: bar.document.selection.length === 1
            onTriggered: bar.document.openBlock(bar.document.selection[0])
        }
        Action {
            text: "Open on Its O&wn  (Enter)"; enabled: bar.document.selection.length > 0
            onTriggered: bar.canvas.enterSelection()
        }
        Action { text: "Save Selection as Bloc&k…"; enabled: bar.document.selection.length > 0; onTriggered: bar.window.saveSelectionAsBlock() }
    }
    Menu {
        title: "&View"
        Action { text: "&Fit to View"; shortcut: "Ctrl+F"; onTriggered: bar.canvas.fitToView() }
        Action { text: "Frame &Selection  (F)"; onTriggered: bar.canvas.frameSelection() }
        Action { text: "&Up One Level  (Esc)"; enabled: bar.document.scope !== ""; onTriggered: bar.canvas.leaveGroup() }
        Action { text: "Zoom &In"; shortcut: "Ctrl+="; onTriggered: bar.canvas.zoomAt(1.2, bar.canvas.width / 2, bar.canvas.height / 2) }
        Action { text: "Zoom &Out"; shortcut: "Ctrl+-"; onTriggered: bar.canvas.zoomAt(1 / 1.2, bar.canvas.width / 2, bar.canvas.height / 2) }
        Action { text: "Auto &Layout"; shortcut: "Ctrl+L"; onTriggered: { bar.document.autoLayout(); bar.canvas.fitToView() } }
        MenuSeparator {}
        Menu {  // applied live, remembered (Theme.qml)
            title: "&Theme"
            objectName: "themeMenu"
            ActionGroup { id: themeGroup }
            Action { text: "&Dark"; checkable: true; ActionGroup.group: themeGroup; checked: Theme.mode === "dark"; onTriggered: Theme.setMode("dark") }
            Action { text: "&Light"; checkable: true; ActionGroup.group: themeGroup; checked: Theme.mode === "light"; onTriggered: Theme.setMode("light") }
            Action { text: "&System"; checkable: true; ActionGroup.group: themeGroup; checked: Theme.mode === "system"; onTriggered: Theme.setMode("system") }
        }
    }
}
