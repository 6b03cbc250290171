import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Archscope.Core
import Archscope.Controls

// File ▸ Export…: choose a format and a path, then write the design with the
// engine's exporters (the same code as `archscope export`). A failure (e.g. a
// node whose op has no ONNX form) stays in the dialog and the status bar,
// naming the node and the fix; nothing is written then.
Dialog {
    id: dialog
    required property var document
    property alias format: formatBox.currentValue
    property alias path: pathField.text
    readonly property string error: exporter.lastError
    title: "Export design"
    anchors.centerIn: parent
    modal: true
    width: 560

    DesignExporter { id: exporter }
    readonly property var labels: ({
        onnx: "ONNX model (opset 17)", pytorch: "PyTorch nn.Module (.py + .safetensors)",
        safetensors: "Weights (safetensors)", svg: "Diagram (SVG)", png: "Diagram (PNG)"
    })
    function choose(fmt) { formatBox.currentIndex = exporter.formats.indexOf(fmt) }
    // Runs the export; true when written (the dialog then closes).
    function runExport() {
        const ok = exporter.exportDocument(dialog.document, formatBox.currentValue, pathField.text, scale.value)
        if (ok) dialog.close()
        return ok
    }
    onOpened: pathField.text = exporter.suggestedPath(dialog.document, formatBox.currentValue)

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        GridLayout {
            columns: 3
            columnSpacing: 8
            Layout.fillWidth: true
            Label { text: "Format" }
            ComboBox {
                id: formatBox
                objectName: "exportFormat"
                model: exporter.formats.map(f => ({value: f, text: dialog.labels[f]}))
                textRole: "text"; valueRole: "value"
                Layout.columnSpan: 2; Layout.fillWidth: true
                onActivated: pathField.text = exporter.suggestedPath(dialog.document, currentValue)
            }
            Label { text: "File" }
            TextField { id: pathField; objectName: "exportPath"; Layout.fillWidth: true; selectByMouse: true }
            Button { text: "Browse…"; onClicked: fileDialog.open() }
            Label { text: "Scale"; visible: formatBox.currentValue === "png" }
            SpinBox { id: scale; from: 1; to: 4; value: 2; visible: formatBox.currentValue === "png"; Layout.columnSpan: 2 }
        }
        Label {
            visible: formatBox.currentValue === "pytorch"
            text: "Writes NAME.py and NAME.safetensors beside it."
            color: Theme.textDim; font.pixelSize: 11
        }
        Label {
            objectName: "exportError"
            visible: exporter.lastError.length > 0
            text: "⚠ " + exporter.lastError
            color: Theme.errorText; wrapMode: Text.Wrap; font.pixelSize: 12
            Layout.fillWidth: true
        }
    }
    footer: DialogButtonBox {
        Button { text: "Export"; objectName: "exportButton"; DialogButtonBox.buttonRole: DialogButtonBox.ActionRole; onClicked: dialog.runExport() }
        Button { text: "Close"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
    }
    FileDialog {
        id: fileDialog
        fileMode: FileDialog.SaveFile
        nameFilters: [dialog.labels[formatBox.currentValue] + " (*" + exporter.extension(formatBox.currentValue) + ")"]
        onAccepted: pathField.text = decodeURIComponent(selectedFile.toString().replace(/^file:\/\//, ""))
    }
}
