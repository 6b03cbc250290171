import QtQuick
import QtQuick.Controls
import Archscope.Controls

// One node on the canvas. Stateless: everything comes in through required
// properties (the node model's roles), user actions go out as signals.
// Delegates are recycled (document.visibleNodes): a free slot has an empty
// nodeId and hides itself; rarely shown parts (warning badge, profiling
// overlay) are loaded only when needed, so a slot is cheap to rebind.
Item {
    id: node
    required property string nodeId
    required property string title
    required property string op
    required property color nodeColor
    required property real posX
    required property real posY
    required property real nodeHeight
    required property var inputs
    required property var outputs
    required property var outputShapes
    required property string stats
    required property string errors
    required property bool selected
    required property bool composite
    property real headerHeight: 42
    property real portRow: 22
    property var overlay: null  // profiling overlay {label, color, badge} or null (ProfileModel)
    property bool detail: true  // level of detail: false (zoomed out) hides the small texts (op, stats, port labels)

    signal bodyPressed(string nodeId, var mouse, point scenePos)
    signal bodyMoved(string nodeId, point scenePos)
    signal bodyReleased(string nodeId, point scenePos)
    signal bodyDoubleClicked(string nodeId)
    signal portPressed(string nodeId, string port, bool output, point scenePos)
    signal portMoved(point scenePos)
    signal portReleased(point scenePos)

    visible: nodeId !== ""
    x: posX
    y: posY
    width: 200
    height: nodeHeight
    objectName: "node_" + nodeId

    function scenePoint(item, mouse) { return item.mapToItem(null, mouse.x, mouse.y) }

    Rectangle {  // drop shadow, offset down-right; opaque (the canvas colour darkened): a fill, not a blend
        x: 2; y: 3; width: node.width; height: node.height
        radius: 6; color: Theme.nodeShadow
    }
    Rectangle {
        id: body
        anchors.fill: parent
        radius: 6
        color: Theme.nodeBody
        border.width: node.selected ? 2 : 1
        border.color: node.selected ? Theme.selection : (node.errors.length ? Theme.error : Theme.nodeBorder)
        Rectangle {  // header in the category colour
            id: header
            x: 1; y: 1; width: parent.width - 2; height: node.headerHeight - 4
            radius: 5
            color: Theme.nodeHeader(node.nodeColor)
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 6; color: parent.color }
            Rectangle { width: 4; height: parent.height; radius: 2; color: node.nodeColor }
            Text {
                x: 12; y: 4; width: parent.width - 40
                text: node.title + (node.composite ? "  ▣" : "")
                color: Theme.nodeTitle; font.pixelSize: 13; font.bold: true; elide: Text.ElideRight
            }
            Text {
                visible: node.detail
                x: 12; y: 21; width: parent.width - 24
                text: node.op; color: Theme.nodeOpText(node.nodeColor); font.pixelSize: 10; elide: Text.ElideRight
            }
        }
        MouseArea {
            anchors.fill: parent
            acceptedButtons: Qt.LeftButton
            onPressed: (mouse) => node.bodyPressed(node.nodeId, mouse, node.scenePoint(this, mouse))
            onPositionChanged: (mouse) => node.bodyMoved(node.nodeId, node.scenePoint(this, mouse))
            onReleased: (mouse) => node.bodyReleased(node.nodeId, node.scenePoint(this, mouse))
            onDoubleClicked: node.bodyDoubleClicked(node.nodeId)
        }
        Text {
            visible: node.detail
            x: 10; y: node.height - 20; width: parent.width - 20
            text: node.stats; color: Theme.textDim; font.pixelSize: 10; elide: Text.ElideRight
        }
    }
    Repeater {
        model: node.inputs
        delegate: Port {
            required property int index
            required property string modelData
            x: -12
            y: node.headerHeight + index * node.portRow
            name: modelData
            showLabel: node.detail
            output: false
            onDown: (p) => node.portPressed(node.nodeId, modelData, false, p)
            onDragged: (p) => node.portMoved(p)
            onUp: (p) => node.portReleased(p)
        }
    }
    Repeater {
        model: node.outputs
        delegate: Port {
            required property int index
            required property string modelData
            x: node.width - 12
            y: node.headerHeight + index * node.portRow
            name: modelData
            detail: node.outputShapes[index] || ""
            showLabel: node.detail
            output: true
            onDown: (p) => node.portPressed(node.nodeId, modelData, true, p)
            onDragged: (p) => node.portMoved(p)
            onUp: (p) => node.portReleased(p)
        }
    }
    Loader {  // profiling overlay: a band in the measured colour with the label
        active: node.overlay !== null
        x: 1; y: node.height - 23; width: node.width - 2; height: 22
        sourceComponent: overlayBand
    }
    Loader {  // warning badge, with the errors on hover
        active: node.errors.length > 0
        x: node.width - 26; y: 8; width: 18; height: 18
        sourceComponent: warningBadge
    }
    Component {
        id: overlayBand
        Rectangle {
            objectName: "overlay_" + node.nodeId
            radius: 5
            color: node.overlay ? node.overlay.color : "transparent"
            Text {
                x: 8; anchors.verticalCenter: parent.verticalCenter; width: parent.width - 56
                text: node.overlay ? node.overlay.label : ""
                color: node.overlay ? node.overlay.ink : "white"
                font.pixelSize: 12; font.bold: true; elide: Text.ElideRight
            }
            Rectangle {  // memory- or compute-bound badge
                visible: node.overlay !== null && node.overlay.badge !== ""
                anchors.right: parent.right; anchors.rightMargin: 4; anchors.verticalCenter: parent.verticalCenter
                width: 40; height: 16; radius: 8
                color: node.overlay && node.overlay.badge === "memory" ? "#1f6feb" : "#a371f7"
                Text {
                    anchors.centerIn: parent; font.pixelSize: 9; font.bold: true; color: "white"
                    text: node.overlay && node.overlay.badge === "memory" ? "MEM" : "COMP"
                }
            }
        }
    }
    Component {
        id: warningBadge
        Rectangle {
            radius: 9
            color: Theme.error
            Text { anchors.centerIn: parent; text: "!"; color: "white"; font.bold: true; font.pixelSize: 12 }
            MouseArea { id: badgeHover; anchors.fill: parent; hoverEnabled: true }
            ToolTip.visible: badgeHover.containsMouse
            ToolTip.text: node.errors
            ToolTip.delay: 200
        }
    }
}
