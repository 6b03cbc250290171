import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// The profiled nodes, slowest first, with time, share, GFLOP/s, GB/s and the
// roofline verdict; click a row to select the node in the graph.
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    readonly property string selected: document.selection.length ? document.selection[0] : ""
    ListView {
        id: table
        anchors.fill: parent; anchors.margins: 6; clip: true
        model: root.profile.nodeStats.slice().sort((a, b) => b.ms - a.ms)
        header: Text { text: root.profile.sessionId ? "session #" + root.profile.sessionId + ", slowest first" : "no session loaded"; color: Theme.textDim; font.pixelSize: 11; height: 20 }
        delegate: Rectangle {
            required property var modelData
            width: table.width; height: 22
            color: modelData.top === root.selected ? Theme.rowA : "transparent"
            MouseArea { anchors.fill: parent; onClicked: if (root.document.nodeInfo(modelData.top).id !== undefined) root.document.setSelection([modelData.top]) }
            RowLayout {
                anchors.fill: parent; spacing: 8
                Text { text: modelData.node; color: Theme.text; font.pixelSize: 11; Layout.fillWidth: true; elide: Text.ElideRight }
                Text { text: modelData.op; color: Theme.textDim; font.pixelSize: 11; Layout.preferredWidth: 80 }
                Rectangle { Layout.preferredWidth: 120; height: 10; color: Theme.border
                            Rectangle { width: parent.width * modelData.share; height: parent.height; color: Theme.accent } }
                Text { text: modelData.ms.toFixed(4) + " ms"; color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 90 }
                Text { text: (modelData.share * 100).toFixed(1) + " %"; color: Theme.textDim; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 54 }
                Text { text: modelData.gflops.toPrecision(3) + " GF/s"; color: Theme.textDim; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 80 }
                Text { text: modelData.gbps.toPrecision(3) + " GB/s"; color: Theme.textDim; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 80 }
                Text { text: modelData.bound; color: modelData.bound === "memory" ? Theme.memoryText : Theme.computeText; font.pixelSize: 11; Layout.preferredWidth: 60 }
            }
        }
    }
}
