import QtQuick
import Archscope.Controls

// A named port of a node: the connector circle on the node's edge (the item
// itself, 24 px wide, centred on the edge, is the hit area), the port name
// and, for outputs, the inferred shape beside it. Drags start connections.
// The root is the MouseArea: one item fewer per port (delegates stay cheap).
MouseArea {
    id: port
    property string name
    property string detail
    property bool output: false
    property bool showLabel: true  // the canvas hides port labels when zoomed out (level of detail)
    signal down(point scenePos)     // a connection drag starts here
    signal dragged(point scenePos)
    signal up(point scenePos)

    width: 24
    height: 22
    objectName: (output ? "out_" : "in_") + name
    hoverEnabled: true
    preventStealing: true
    cursorShape: Qt.CrossCursor
    onPressed: (mouse) => port.down(mapToItem(null, mouse.x, mouse.y))
    onPositionChanged: (mouse) => { if (pressed) port.dragged(mapToItem(null, mouse.x, mouse.y)) }
    onReleased: (mouse) => port.up(mapToItem(null, mouse.x, mouse.y))

    Rectangle {
        x: 6; y: 5; width: 12; height: 12; radius: 6
        color: port.containsMouse ? Theme.accent : Theme.port
        border.color: Theme.nodeBody; border.width: 2
    }
    Text {
        visible: port.showLabel
        anchors.verticalCenter: parent.verticalCenter
        x: port.output ? -width : 24
        text: port.output && port.detail.length ? port.detail + "  " + port.name : port.name
        color: Theme.portText; font.pixelSize: 11
        font.family: port.output ? Theme.mono : ""
    }
}
