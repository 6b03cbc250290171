import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// A/B comparison of two sessions (A = profile.sessionId, B = profile.compareId):
// totals, the structural diff of the two design snapshots and sizes, and a
// table of per-node deltas, each row tinted by speed-up (green: B faster).
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    readonly property var diff: profile.structuralDiff
    readonly property string selected: document.selection.length ? document.selection[0] : ""
    function tint(r) {
        if (!(r > 0)) return "transparent"
        const t = Math.max(-1, Math.min(1, Math.log2(r) / 2))
        return t >= 0 ? Qt.rgba(0.25, 0.73, 0.31, 0.45 * t) : Qt.rgba(0.97, 0.32, 0.29, -0.45 * t)
    }
    ColumnLayout {
        anchors.fill: parent; anchors.margins: 8; spacing: 4
        Text {
            text: "A #" + (root.diff.idA ?? "") + " (" + (root.diff.backendA ?? "") + ") " + (root.diff.totalA ?? 0).toFixed(3) + " ms  →  B #"
                  + (root.diff.idB ?? "") + " (" + (root.diff.backendB ?? "") + ") " + (root.diff.totalB ?? 0).toFixed(3) + " ms   ×"
                  + ((root.diff.totalB ?? 0) > 0 ? (root.diff.totalA / root.diff.totalB).toFixed(2) : "–")
            color: Theme.text; font.bold: true; font.pixelSize: 12; Layout.fillWidth: true; elide: Text.ElideRight
        }
        Text {
            objectName: "structuralDiff"
            Layout.fillWidth: true; wrapMode: Text.WordWrap; font.pixelSize: 11; color: Theme.textDim
            text: root.diff.sameDesign ? "same design" + ((root.diff.sizes ?? []).length ? "; sizes " + root.diff.sizes.join(", ") : "")
                  : "designs differ — added: " + ((root.diff.added ?? []).join(", ") || "none") + "; removed: " + ((root.diff.removed ?? []).join(", ") || "none")
                    + "; changed: " + ((root.diff.changed ?? []).join("; ") || "none") + ((root.diff.sizes ?? []).length ? "; sizes " + root.diff.sizes.join(", ") : "")
        }
        ListView {
            id: table
            objectName: "deltaTable"
            Layout.fillWidth: true; Layout.fillHeight: true; clip: true
            model: root.profile.compareRows
            header: RowLayout {
                width: table.width; spacing: 6
                Repeater {
                    model: [["node", 0], ["op", 70], ["A ms", 70], ["B ms", 70], ["Δ ms", 76], ["speed-up", 64]]
                    delegate: Text { required property var modelData; text: modelData[0]; color: Theme.textDim; font.pixelSize: 11; font.bold: true
                                     Layout.preferredWidth: modelData[1]; Layout.fillWidth: modelData[1] === 0 }
                }
            }
            delegate: Rectangle {
                required property var modelData
                width: table.width; height: 22
                color: root.tint(modelData.ratio)
                border.width: modelData.top === root.selected ? 1 : 0; border.color: Theme.selection
                MouseArea { anchors.fill: parent; onClicked: if (root.document.nodeInfo(modelData.top).id !== undefined) root.document.setSelection([modelData.top]) }
                RowLayout {
                    anchors.fill: parent; spacing: 6
                    Text { text: modelData.node; color: Theme.text; font.pixelSize: 11; Layout.fillWidth: true; elide: Text.ElideRight }
                    Text { text: modelData.op; color: Theme.textDim; font.pixelSize: 11; Layout.preferredWidth: 70; elide: Text.ElideRight }
                    Text { text: modelData.status === "only B" ? "–" : modelData.msA.toFixed(4); color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 70 }
                    Text { text: modelData.status === "only A" ? "–" : modelData.msB.toFixed(4); color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 70 }
                    Text { text: modelData.status === "both" ? (modelData.delta >= 0 ? "+" : "") + modelData.delta.toFixed(4) : modelData.status
                           color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 76 }
                    Text { text: modelData.ratio > 0 ? "×" + modelData.ratio.toFixed(2) : ""; color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 64 }
                }
            }
        }
    }
}
