import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Archscope.Core
import Archscope.Graph
import Archscope.Controls
import Archscope.Profiling

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
        document.dropFromPalette(op, w.x, w.y - 20)
        canvas.forceActiveFocus()
    }

    ProfileModel { id: profileModel; objectName: "profileModel" }
    RunController { id: runController; objectName: "runController" }
    function openStore() { profileModel.openForDesign(runController.storePathFor(document), document) }  // this design's newest session
    Connections { target: root.document; function onFileChanged() { root.openStore() } }

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
        SplitView {  // canvas above the profiling views
            orientation: Qt.Vertical
            SplitView.fillWidth: true
            GraphView {
                id: canvas
                objectName: "graphView"
                document: root.document
                SplitView.fillHeight: true
                overlay: profilingPanel.overlayOn ? profileModel.overlay : ({})
                onQuickAddRequested: (p) => {
                    const q = canvas.mapToItem(root.contentItem, p.x, p.y)
                    quickAdd.x = Math.min(q.x, root.width - quickAdd.width)
                    quickAdd.y = Math.min(q.y, root.height - quickAdd.height - 60)
                    quickAdd.open()
                }
                LatencyLegend {
                    objectName: "canvasLegend"
                    profile: profileModel
                    visible: profilingPanel.overlayOn && profileModel.sessionId > 0
                    anchors.right: parent.right; anchors.top: parent.top; anchors.margins: 12
                }
            }

            ProfilingPanel {
                id: profilingPanel
                objectName: "profilingPanel"
                profile: profileModel; document: root.document; runner: runController
                SplitView.preferredHeight: expanded ? 320 : collapsedHeight
                SplitView.minimumHeight: collapsedHeight
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
        nameFilters: ["Designs and ONNX models (*.json *.onnx)", "Archscope designs (*.json)", "ONNX models (*.onnx)"]
        onAccepted: if (root.document.load(selectedFile)) canvas.fitToView()
    }
    FileDialog {
        id: saveDialog
        property string nextAction: ""  // run once saved (unsaved-changes prompt)
        fileMode: FileDialog.SaveFile
        nameFilters: ["Archscope designs (*.json)"]
        onAccepted: if (root.document.saveAs(selectedFile) && nextAction.length) root.run(nextAction)
        onRejected: nextAction = ""
    }
    function openFile() { guard("open") }
    function saveFile() { if (document.filePath.length) document.save(); else { saveDialog.nextAction = ""; saveDialog.open() } }
    function saveFileAs() { saveDialog.nextAction = ""; saveDialog.open() }

    // Unsaved changes: "close", "new", "open" and "template" ask first when the
    // document is dirty (its undo stack is away from the clean index).
    property bool closeConfirmed: false
    function guard(action) {
        if (!document.dirty) { run(action); return }
        unsaved.action = action
        unsaved.open()
    }
    function run(action) {
        if (action === "close") { closeConfirmed = true; root.close() }
        else if (action === "new") { document.newDocument(); canvas.fitToView() }
        else if (action === "open") openDialog.open()
        else if (action === "template") gallery.open()
    }
    onClosing: (close) => {
        if (!closeConfirmed && document.dirty) { close.accepted = false; guard("close") }
    }
    UnsavedDialog {
        id: unsaved
        objectName: "unsavedDialog"
        document: root.document
        onSaveRequested: {
            if (root.document.filePath.length) { if (root.document.save()) root.run(unsaved.action) }
            else { saveDialog.nextAction = unsaved.action; saveDialog.open() }
        }
        onDiscardRequested: root.run(unsaved.action)
    }
    TemplateGallery {
        id: gallery
        objectName: "templateGallery"
        document: root.document
        onCreated: canvas.fitToView()
    }
    BlockNameDialog { id: blockName; objectName: "blockNameDialog"; document: root.document }
    ExportDialog { id: exportDialog; objectName: "exportDialog"; document: root.document }
    function exportDesign() { exportDialog.open() }
    function newFromTemplate() { guard("template") }
    function saveSelectionAsBlock() { blockName.open() }

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
        openStore()
        canvas.fitToView()
        canvas.forceActiveFocus()
        if (document.recoveryAvailable) recovery.open()
    }
}
