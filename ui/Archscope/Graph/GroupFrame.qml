import QtQuick
import Archscope.Controls

// The frame drawn behind the members of a group (from document.groups).
Rectangle {
    required property var modelData
    property var overlay: null  // {label}: profiled time of the members (ProfileModel)
    x: modelData.x; y: modelData.y
    width: modelData.width; height: modelData.height
    radius: 10
    color: "#0fe8a33d"
    border.color: "#55e8a33d"; border.width: 1.5
    Text {
        x: 12; y: 8
        text: modelData.label + "  (" + modelData.count + ")" + (overlay ? "   " + overlay.label : "")
        color: "#c9a467"; font.pixelSize: 13; font.bold: true
    }
}
