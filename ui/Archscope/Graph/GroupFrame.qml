import QtQuick
import Archscope.Controls

// The frame drawn behind the members of an open group (from document.groups),
// with a button that opens it in place (only its members shown, breadcrumb
// back up) and one that collapses it (an unedited opened block becomes its
// composite node again; any other group is drawn as one node).
Rectangle {
    id: frame
    required property var modelData
    property var overlay: null  // {label}: profiled time of the members (ProfileModel)
    signal collapseRequested(string id)
    signal enterRequested(string id)
    objectName: "group_" + modelData.id
    x: modelData.x; y: modelData.y
    width: modelData.width; height: modelData.height
    radius: 10
    color: Theme.group
    border.color: Theme.groupBorder; border.width: 1.5
    Text {
        x: 12; y: 8; width: parent.width - 78; elide: Text.ElideRight
        text: modelData.label + "  (" + modelData.count + ")" + (modelData.block ? "  · " + modelData.block : "")
              + (overlay ? "   " + overlay.label : "")
        color: Theme.groupTitle; font.pixelSize: 13; font.bold: true
    }
    Rectangle {
        objectName: "enter_" + frame.modelData.id
        x: parent.width - 58; y: 6; width: 22; height: 20; radius: 4
        color: enterArea.containsMouse ? Theme.groupHover : "transparent"
        border.color: Theme.groupBorder
        Text { anchors.centerIn: parent; text: "⤢"; color: Theme.groupTitle; font.bold: true; font.pixelSize: 13 }
        MouseArea {
            id: enterArea
            anchors.fill: parent; hoverEnabled: true
            onClicked: frame.enterRequested(frame.modelData.id)
        }
    }
    Rectangle {
        objectName: "collapse_" + frame.modelData.id
        x: parent.width - 30; y: 6; width: 22; height: 20; radius: 4
        color: collapseArea.containsMouse ? Theme.groupHover : "transparent"
        border.color: Theme.groupBorder
        Text { anchors.centerIn: parent; text: "–"; color: Theme.groupTitle; font.bold: true; font.pixelSize: 14 }
        MouseArea {
            id: collapseArea
            anchors.fill: parent; hoverEnabled: true
            onClicked: frame.collapseRequested(frame.modelData.id)
        }
    }
}
