import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Archscope.Core
import Archscope.Graph
import Archscope.Controls
import Archscope.Profiling

// The main window: palette | canvas | inspector, sizes and totals; menus with
// the editor's shortcuts; file dialogs (and files dropped on the window); the
// recovery offer after a crash. Recent files and the window layout (size,
// position, panel widths) are remembered in AppSettings.
ApplicationWindow {
    id: root
    required property GraphDocument document
    width: 1440
    height: 880
    visible: true
    color: Theme.window
    title: (document.dirty ? "● " : "") + document.displayName + " — Archscope"
    property alias graphView: canvas
    // View > Theme (Theme.qml): "dark", "light" or "system"; live, remembered.
    readonly property string themeMode: Theme.mode
    readonly property bool darkTheme: Theme.dark
    readonly property QtObject theme: Theme  // the colours, for tests
    function setTheme(mode) { Theme.setMode(mode) }

    palette {
        window: Theme.panel; windowText: Theme.text; base: Theme.base; alternateBase: Theme.panelAlt
        text: Theme.text; button: Theme.button; buttonText: Theme.text; highlight: Theme.highlight
        highlightedText: Theme.highlightedText; toolTipBase: Theme.button; toolTipText: Theme.text; mid: Theme.border
        dark: Theme.dark3d; light: Theme.light3d; placeholderText: Theme.textDim; midlight: Theme.panelAlt
        brightText: Theme.text; link: Theme.accent; shadow: Theme.dark3d
    }

    function addAtCenter(op) {
        const w = canvas.toWorld(canvas.width / 2, canvas.height / 2)
        document.dropFromPalette(op, w.x, w.y - 20)
        canvas.forceActiveFocus()
    }

    ProfileModel { id: profileModel; objectName: "profileModel" }
    RunController { id: runController; objectName: "runController" }
    function openStore() { profileModel.openForDesign(runController.storePathFor(document), document) }  // this design's newest session
    AppSettings { id: settings; objectName: "appSettings" }
    property alias settings: settings
    Connections {
        target: root.document
        function onFileChanged() {
            root.openStore()
            if (root.document.filePath.length) settings.addRecent(root.document.filePath)
        }
    }

    menuBar: MainMenu { window: root; document: root.document; canvas: canvas }

    SplitView {
        id: mainSplit
        objectName: "mainSplit"
        anchors.fill: parent
        orientation: Qt.Horizontal
        onResizingChanged: if (!resizing) root.saveLayout()
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
    // A recent file or a file dropped on the window: opened after the unsaved-changes prompt.
    property string pendingPath: ""
    function openPath(path) { pendingPath = path; guard("openPath") }
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
        else if (action === "openPath") { if (document.load(pendingPath)) canvas.fitToView() }
        else if (action === "template") gallery.open()
    }
    onClosing: (close) => {
        saveLayout()
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
    // Files dragged from a file manager: a design (.json) or an ONNX model (.onnx).
    DropArea {
        objectName: "fileDrop"
        anchors.fill: parent
        keys: ["text/uri-list"]
        onEntered: (drag) => { drag.accepted = drag.hasUrls && root.droppable(drag.urls) !== "" }
        onDropped: (drop) => {
            const path = root.droppable(drop.urls)
            if (path === "") return
            drop.accept()
            root.openPath(path)
        }
    }
    function droppable(urls) {
        for (let i = 0; i < urls.length; ++i) {
            const u = urls[i].toString()
            if (/\.(json|onnx)$/i.test(u)) return u
        }
        return ""
    }

    // Window layout: restored at start, saved shortly after a change (and on closing).
    function saveLayout() {
        if (!layoutRestored) return
        if (root.visibility !== Window.Maximized && root.visibility !== Window.FullScreen)
            settings.setValue("window/geometry", Qt.rect(root.x, root.y, root.width, root.height))
        settings.setValue("window/maximized", root.visibility === Window.Maximized)
        settings.setValue("window/split", mainSplit.saveState())
    }
    property bool layoutRestored: false
    function restoreLayout() {
        const g = settings.value("window/geometry")
        if (g && g.width > 200 && g.height > 150) { root.x = g.x; root.y = g.y; root.width = g.width; root.height = g.height }
        if (settings.value("window/maximized") === true || settings.value("window/maximized") === "true") root.showMaximized()
        const split = settings.value("window/split")
        if (split) mainSplit.restoreState(split)
        layoutRestored = true
    }
    Timer { id: layoutTimer; interval: 400; onTriggered: root.saveLayout() }
    onWidthChanged: layoutTimer.restart()
    onHeightChanged: layoutTimer.restart()
    onXChanged: layoutTimer.restart()
    onYChanged: layoutTimer.restart()

    Component.onCompleted: {
        restoreLayout()
        if (document.filePath.length) settings.addRecent(document.filePath)
        openStore()
        canvas.fitToView()
        canvas.forceActiveFocus()
        if (document.recoveryAvailable) recovery.open()
    }
}
