import QtQuick
import Archscope.Controls

// The path of the canvas when a group is open in place ("Design › block"):
// clicking "Design" (or pressing Escape on the canvas) goes back up.
Rectangle {
    id: bar
    required property string label   // the open group's title; "" at the top
    signal upRequested()
    objectName: "breadcrumb"
    visible: label !== ""
    width: row.width + 20; height: 30; radius: 6
    color: "#e0181a20"; border.color: Theme.border
    Row {
        id: row
        x: 10; anchors.verticalCenter: parent.verticalCenter
        spacing: 8
        Text {
            objectName: "breadcrumbRoot"
            text: "Design"; color: rootArea.containsMouse ? Theme.accent : Theme.textDim
            font.pixelSize: 13; font.underline: rootArea.containsMouse
            MouseArea { id: rootArea; anchors.fill: parent; hoverEnabled: true; onClicked: bar.upRequested() }
        }
        Text { text: "›"; color: Theme.textDim; font.pixelSize: 13 }
        Text { text: bar.label; color: Theme.text; font.pixelSize: 13; font.bold: true }
    }
}
