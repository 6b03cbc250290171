import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// History of the store's sessions, newest first: design, backend, device,
// date, sizes, total latency. Click a row (or "A") to open it in every view;
// "B" compares it against A (CompareTable beside the list; the graph is then
// coloured by speed-up).
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    ListView {
        id: list
        objectName: "sessionList"
        x: 0; y: 0; width: root.profile.compareId > 0 ? parent.width * 0.45 : parent.width; height: parent.height
        clip: true
        model: root.profile.sessions
        header: Rectangle {
            width: list.width; height: 24; color: Theme.panelAlt
            Text { x: 8; anchors.verticalCenter: parent.verticalCenter; color: Theme.textDim; font.pixelSize: 11; font.bold: true
                   text: root.profile.dbPath ? root.profile.sessions.length + " sessions in " + root.profile.dbPath : "no profile store open" }
        }
        delegate: Rectangle {
            required property var modelData
            required property int index
            width: list.width; height: 28
            readonly property bool isA: modelData.id === root.profile.sessionId
            readonly property bool isB: modelData.id === root.profile.compareId
            color: isA ? Theme.rowA : isB ? Theme.rowB : index % 2 ? Theme.panel : Theme.panelAlt
            MouseArea { anchors.fill: parent; onClicked: root.profile.loadSession(modelData.id) }
            RowLayout {
                anchors.fill: parent; anchors.leftMargin: 8; anchors.rightMargin: 6; spacing: 8
                Text { text: "#" + modelData.id; color: Theme.text; font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 34 }
                Text { text: modelData.design; color: Theme.text; font.pixelSize: 11; Layout.preferredWidth: 120; elide: Text.ElideRight }
                Text { text: modelData.backend; color: Theme.textDim; font.pixelSize: 11; Layout.preferredWidth: 44 }
                Text { text: modelData.device; color: Theme.textDim; font.pixelSize: 11; Layout.fillWidth: true; elide: Text.ElideRight }
                Text { text: modelData.bindings; color: Theme.textDim; font.family: Theme.mono; font.pixelSize: 10; Layout.preferredWidth: 90; elide: Text.ElideRight }
                Text { text: modelData.date; color: Theme.textDim; font.pixelSize: 10; Layout.preferredWidth: 96 }
                Text { text: modelData.status === "ok" ? modelData.totalMs.toFixed(3) + " ms" : modelData.status; color: modelData.status === "ok" ? Theme.text : Theme.error
                       font.family: Theme.mono; font.pixelSize: 11; Layout.preferredWidth: 76; horizontalAlignment: Text.AlignRight }
                Button { text: "B"; implicitWidth: 26; implicitHeight: 20; font.pixelSize: 10; enabled: !isA; highlighted: isB
                         onClicked: root.profile.loadCompare(isB ? 0 : modelData.id) }
            }
        }
    }
    CompareTable {
        visible: root.profile.compareId > 0
        profile: root.profile; document: root.document
        x: list.width + 4; y: 0; width: parent.width - x; height: parent.height
    }
}
