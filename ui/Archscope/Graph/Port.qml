import QtQuick
import Archscope.Controls

// A named port row of a node: the connector circle on the node's edge, the
// port name and, for outputs, the inferred shape. Drags start connections.
Item {
    id: port
    property string name
    property string detail
    property bool output: false
    signal pressed(point scenePos)
    signal moved(point scenePos)
    signal released(point scenePos)

    width: output ? 160 : 90
    height: 22
    objectName: (output ? "out_" : "in_") + name

    Rectangle {
        id: dot
        width: 12; height: 12; radius: 6
        x: port.output ? port.width - 6 : -6
        anchors.verticalCenter: parent.verticalCenter
        color: area.containsMouse ? Theme.accent : "#9aa3b5"
        border.color: Theme.nodeBody; border.width: 2
    }
    Text {
        anchors.verticalCenter: parent.verticalCenter
        x: port.output ? port.width - width - 12 : 12
        text: port.output && port.detail.length ? port.detail + "  " + port.name : port.name
        color: "#c3c9d4"; font.pixelSize: 11
        font.family: port.output ? Theme.mono : ""
    }
    MouseArea {
        id: area
        x: dot.x - 6; width: 24; height: parent.height
        hoverEnabled: true
        preventStealing: true
        cursorShape: Qt.CrossCursor
        onPressed: (mouse) => port.pressed(mapToItem(null, mouse.x, mouse.y))
        onPositionChanged: (mouse) => { if (pressed) port.moved(mapToItem(null, mouse.x, mouse.y)) }
        onReleased: (mouse) => port.released(mapToItem(null, mouse.x, mouse.y))
    }
}
