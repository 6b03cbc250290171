import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Archscope.Core
import Archscope.Graph
import Archscope.Controls

// The main window: palette | canvas | inspector, sizes and totals; menus with
// the editor's shortcuts; file dialogs; the recovery offer after a crash.
ApplicationWindow {
    id: root
    required property GraphDocument document
    width: 1440
    height: 880
    visible: true
    color: Theme.window
    title: (document.dirty ? "● " : "") + document.displayName + " — Archscope"
    property alias graphView: canvas

    palette {
        window: Theme.panel; windowText: Theme.text; base: "#181a20"; alternateBase: Theme.panelAlt
        text: Theme.text; button: "#2c303a"; buttonText: Theme.text; highlight: "#b7791f"
        highlightedText: "#ffffff"; toolTipBase: "#2c303a"; toolTipText: Theme.text; mid: Theme.border
        dark: "#111317"; light: "#3a3f4b"; placeholderText: Theme.textDim
    }

    function addAtCenter(op) {
        const w = canvas.toWorld(canvas.width / 2, canvas.height / 2)
        document.addNode(op, w.x - 100, w.y - 40)
        canvas.forceActiveFocus()
    }

    menuBar: MainMenu { window: root; document: root.document; canvas: canvas }

    SplitView {
        anchors.fill: parent
        orientation: Qt.Horizontal
        OpPalette {
            id: paletteView
            model: root.document.palette
            SplitView.preferredWidth: 230
            SplitView.minimumWidth: 160
            onAddRequested: (op) => root.addAtCenter(op)
        }
        GraphView {
            id: canvas
            objectName: "graphView"
            document: root.document
            SplitView.fillWidth: true
            onQuickAddRequested: (p) => {
                const q = canvas.mapToItem(root.contentItem, p.x, p.y)
                quickAdd.x = Math.min(q.x, root.width - quickAdd.width)
                quickAdd.y = Math.min(q.y, root.height - quickAdd.height - 60)
                quickAdd.open()
            }
        }
        ColumnLayout {
            SplitView.preferredWidth: 310
            SplitView.minimumWidth: 220
            spacing: 1
            Inspector { document: root.document; Layout.fillWidth: true; Layout.fillHeight: true }
            SizesPanel { document: root.document; Layout.fillWidth: true }
        }
    }
    QuickAdd {
        id: quickAdd
        onChosen: (op) => {
            const w = canvas.toWorld(canvas.lastMouse.x, canvas.lastMouse.y)
            root.document.addNode(op, w.x, w.y)
            canvas.forceActiveFocus()
        }
    }
    footer: StatusBar { document: root.document; zoom: canvas.zoom }

    FileDialog {
        id: openDialog
        nameFilters: ["Archscope designs (*.json)"]
        onAccepted: if (root.document.load(selectedFile)) canvas.fitToView()
    }
    FileDialog {
        id: saveDialog
        fileMode: FileDialog.SaveFile
        nameFilters: ["Archscope designs (*.json)"]
        onAccepted: root.document.saveAs(selectedFile)
    }
    function openFile() { openDialog.open() }
    function saveFile() { if (document.filePath.length) document.save(); else saveDialog.open() }
    function saveFileAs() { saveDialog.open() }

    Dialog {
        id: recovery
        objectName: "recoveryDialog"
        title: "Restore unsaved changes?"
        anchors.centerIn: parent
        modal: true
        standardButtons: Dialog.Yes | Dialog.No
        Label { text: "Archscope found unsaved changes to " + root.document.displayName + " from a previous session." }
        onAccepted: root.document.restoreRecovery()
        onRejected: root.document.discardRecovery()
    }
    Component.onCompleted: {
        canvas.fitToView()
        canvas.forceActiveFocus()
        if (document.recoveryAvailable) recovery.open()
    }
}
