import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// The design's sizes (symbols such as B, T) with editors, and the live totals
// of parameters, FLOPs and memory under these sizes.
Rectangle {
    id: panel
    required property var document
    color: Theme.panel
    implicitHeight: column.implicitHeight + 16

    ColumnLayout {
        id: column
        x: 10; y: 8; width: parent.width - 20
        spacing: 4
        SectionTitle { text: "Sizes" }
        Repeater {
            model: panel.document.symbols
            delegate: RowLayout {
                required property var modelData
                objectName: "size_" + modelData.name
                Layout.fillWidth: true
                Text { text: modelData.name; color: Theme.text; font.bold: true; font.pixelSize: 12; Layout.preferredWidth: 28 }
                Text { text: modelData.doc; color: Theme.textDim; font.pixelSize: 11; Layout.fillWidth: true; elide: Text.ElideRight }
                SpinBox {
                    editable: true; from: 1; to: 2147483647
                    value: modelData.value
                    implicitWidth: 110
                    onValueModified: panel.document.setSymbolValue(modelData.name, value)
                }
            }
        }
        SectionTitle { text: "Totals" }
        KeyValue { objectName: "totalParams"; key: "parameters"; value: panel.document.totals.paramsText }
        KeyValue { key: "FLOPs"; value: panel.document.totals.flopsText }
        KeyValue { key: "weights"; value: panel.document.totals.weightsText }
        KeyValue { key: "activations"; value: panel.document.totals.activationsText }
        KeyValue { key: "graph"; value: panel.document.totals.nodes + " nodes, " + panel.document.totals.edges + " edges" }
    }
}
