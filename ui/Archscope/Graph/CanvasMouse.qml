import QtQuick
import QtQuick.Controls
import Archscope.Controls

// Mouse handling on the empty canvas: wheel zooms at the cursor, middle or
// Alt+left drag pans, left drag draws a selection box (Shift adds), a click
// clears the selection, hovering an edge highlights it and shows its shape or error.
MouseArea {
    id: area
    required property Item view
    required property Item edges
    required property Item rubber
    property point start
    property real startPanX
    property real startPanY
    property bool panning: false
    property string tip: ""
    objectName: "canvasMouse"
    anchors.fill: parent
    acceptedButtons: Qt.LeftButton | Qt.MiddleButton
    hoverEnabled: true

    onPressed: (mouse) => {
        view.forceActiveFocus()
        start = Qt.point(mouse.x, mouse.y)
        panning = mouse.button === Qt.MiddleButton || (mouse.modifiers & Qt.AltModifier)
        startPanX = view.panX
        startPanY = view.panY
    }
    onPositionChanged: (mouse) => {
        view.lastMouse = Qt.point(mouse.x, mouse.y)
        if (!pressed) {
            const w = view.toWorld(mouse.x, mouse.y)
            const e = view.document.edgeAt(w.x, w.y, 6 / view.zoom)
            edges.hoverKey = e.toNode ? e.toNode + ":" + e.toPort : ""
            tip = e.toNode ? (e.error ? e.error : e.label) : ""
            return
        }
        if (panning) {
            view.autoFit = false
            view.panX = startPanX + mouse.x - start.x
            view.panY = startPanY + mouse.y - start.y
            return
        }
        rubber.visible = true
        rubber.x = Math.min(start.x, mouse.x)
        rubber.y = Math.min(start.y, mouse.y)
        rubber.width = Math.abs(mouse.x - start.x)
        rubber.height = Math.abs(mouse.y - start.y)
    }
    onReleased: (mouse) => {
        const additive = (mouse.modifiers & Qt.ShiftModifier) !== 0
        if (rubber.visible) {
            const a = view.toWorld(rubber.x, rubber.y)
            view.document.selectInRect(a.x, a.y, rubber.width / view.zoom, rubber.height / view.zoom, additive)
            rubber.visible = false
        } else if (!panning && !additive) {
            view.document.setSelection([])
        }
        panning = false
    }
    onWheel: (wheel) => view.zoomAt(wheel.angleDelta.y > 0 ? 1.15 : 1 / 1.15, wheel.x, wheel.y)

    ToolTip.visible: tip.length > 0 && !pressed
    ToolTip.text: tip
    ToolTip.delay: 250
}
