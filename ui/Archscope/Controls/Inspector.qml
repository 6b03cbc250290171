import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// Properties of the selected node: op doc, inputs and their sources, output
// shapes, cost, problems, and an editor per attribute (all from the OpDef).
Rectangle {
    id: inspector
    required property var document
    readonly property string nodeId: document.selection.length === 1 ? document.selection[0] : ""
    // Re-read whenever the analysis changes (totals is re-announced with it).
    readonly property var info: {
        document.totals
        const i = nodeId ? document.nodeInfo(nodeId) : null
        return i && i.id ? i : null  // a node just deleted has no info
    }
    readonly property var attrs: { document.totals; return nodeId ? document.nodeAttributes(nodeId) : [] }
    color: Theme.panel

    Text {
        visible: !inspector.info
        anchors.centerIn: parent; width: parent.width - 32
        horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
        color: Theme.textDim; font.pixelSize: 12
        text: inspector.document.selection.length > 1
              ? inspector.document.selection.length + " nodes selected"
              : "Select a node to edit its attributes.\nTab or Space on the canvas adds a node."
    }
    ScrollView {
        anchors.fill: parent
        visible: !!inspector.info
        contentWidth: availableWidth
        ColumnLayout {
            width: parent.width - 20; x: 10
            spacing: 8
            Item { Layout.preferredHeight: 2 }
            RowLayout {
                Rectangle { width: 10; height: 10; radius: 3; color: inspector.info ? inspector.info.color : "gray" }
                Text {
                    text: inspector.info ? inspector.info.id : ""
                    color: Theme.text; font.pixelSize: 15; font.bold: true
                    Layout.fillWidth: true; elide: Text.ElideRight
                }
                Text { text: inspector.info ? inspector.info.category : ""; color: Theme.textDim; font.pixelSize: 11 }
            }
            Text {
                text: inspector.info ? inspector.info.name + " — " + inspector.info.doc : ""
                color: Theme.textDim; font.pixelSize: 11; wrapMode: Text.WordWrap; Layout.fillWidth: true
            }
            Repeater {
                model: inspector.info ? inspector.info.errors : []
                delegate: Text {
                    required property string modelData
                    text: "⚠ " + modelData; color: Theme.errorText; font.pixelSize: 11
                    wrapMode: Text.WordWrap; Layout.fillWidth: true
                }
            }
            SectionTitle { text: "Inputs"; visible: inspector.info && inspector.info.inputs.length > 0 }
            Repeater {
                model: inspector.info ? inspector.info.inputs : []
                delegate: KeyValue {
                    required property var modelData
                    key: modelData.port
                    value: modelData.source.length ? "← " + modelData.source : (modelData.optional ? "(optional)" : "not connected")
                }
            }
            SectionTitle { text: "Outputs"; visible: inspector.info && inspector.info.outputs.length > 0 }
            Repeater {
                model: inspector.info ? inspector.info.outputs : []
                delegate: KeyValue {
                    required property var modelData
                    key: modelData.port
                    value: modelData.shape + "  " + modelData.dtype
                }
            }
            KeyValue {
                key: "cost"
                value: inspector.info ? Number(inspector.info.params).toLocaleString(Qt.locale("en_US"), 'f', 0) + " params, "
                                        + Number(inspector.info.flops).toLocaleString(Qt.locale("en_US"), 'f', 0) + " FLOPs" : ""
            }
            SectionTitle { text: "Attributes"; visible: inspector.attrs.length > 0 }
            Repeater {
                model: inspector.attrs
                delegate: AttributeEditor {
                    required property var modelData
                    attr: modelData
                    nodeId: inspector.nodeId
                    document: inspector.document
                    Layout.fillWidth: true
                }
            }
            Item { Layout.preferredHeight: 8 }
        }
    }
}
