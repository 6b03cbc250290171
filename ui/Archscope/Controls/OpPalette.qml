import QtQuick
import QtQuick.Controls
import Archscope.Controls

// Every op of the registry grouped by category, with a search field. Drag an
// op onto the canvas, or double-click it to add it at the centre of the view.
Rectangle {
    id: palette
    required property var model       // PaletteModel
    property alias searchField: search
    signal addRequested(string op)
    color: Theme.panel

    TextField {
        id: search
        objectName: "paletteSearch"
        x: 8; y: 8; width: parent.width - 16
        placeholderText: "Search ops…"
        onTextChanged: palette.model.filter = text
        Keys.onReturnPressed: if (list.count > 0) palette.addRequested(palette.model.opAt(palette.model.bestRow()))
    }
    ListView {
        id: list
        objectName: "paletteList"
        anchors { top: search.bottom; topMargin: 6; left: parent.left; right: parent.right; bottom: parent.bottom }
        clip: true
        model: palette.model
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        section.property: "category"
        section.delegate: Text {
            required property string section
            leftPadding: 10; topPadding: 10; bottomPadding: 3
            text: section.toUpperCase(); color: Theme.textDim; font.pixelSize: 10; font.bold: true; font.letterSpacing: 1
        }
        delegate: Rectangle {
            id: entry
            required property string op
            required property string name
            required property string doc
            required property color opColor
            objectName: "palette_" + op
            width: ListView.view.width; height: 26
            color: mouse.containsMouse ? Theme.panelAlt : "transparent"
            Rectangle { x: 10; width: 8; height: 8; radius: 2; anchors.verticalCenter: parent.verticalCenter; color: entry.opColor }
            Text {
                x: 26; width: idText.x - x - 8
                anchors.verticalCenter: parent.verticalCenter
                text: entry.name; color: Theme.text; font.pixelSize: 12; elide: Text.ElideRight
            }
            Text {
                id: idText
                anchors.right: parent.right; anchors.rightMargin: 10; anchors.verticalCenter: parent.verticalCenter
                text: entry.op; color: Theme.textDim; font.pixelSize: 10; font.family: Theme.mono
            }
            MouseArea {
                id: mouse
                anchors.fill: parent
                hoverEnabled: true
                drag.target: proxy
                drag.smoothed: false
                preventStealing: true  // the list must not take the drag for a flick
                onPressed: (m) => {
                    const p = entry.mapToItem(proxy.parent, m.x, m.y)
                    proxy.dragOp = entry.op
                    proxy.label = entry.name
                    proxy.x = p.x - proxy.width / 2
                    proxy.y = p.y - proxy.height / 2
                }
                drag.onActiveChanged: {
                    if (!drag.active && proxy.dragging) proxy.Drag.drop()
                    proxy.dragging = drag.active
                }
                onDoubleClicked: palette.addRequested(entry.op)
                ToolTip.visible: containsMouse && !pressed
                ToolTip.text: entry.doc
                ToolTip.delay: 600
            }
        }
    }
    Rectangle {  // what is dragged onto the canvas
        id: proxy
        property string dragOp
        property string label
        parent: Overlay.overlay
        property bool dragging: false
        objectName: "paletteDragProxy"
        visible: dragging
        width: 160; height: 30; radius: 6
        color: Theme.nodeBody; border.color: Theme.accent
        Drag.active: dragging
        Drag.keys: ["archscope/op"]
        Drag.hotSpot.x: width / 2
        Drag.hotSpot.y: height / 2
        Text { anchors.centerIn: parent; text: proxy.label; color: Theme.text; font.pixelSize: 12 }
    }
}
