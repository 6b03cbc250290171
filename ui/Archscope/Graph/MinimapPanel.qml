import QtQuick
import Archscope.Core
import Archscope.Controls

// Overview of the whole graph with the visible area outlined; click or drag to move there.
Rectangle {
    id: panel
    required property Item view
    width: 220; height: 150
    radius: 6
    color: Theme.overlayPanel
    border.color: Theme.border
    Minimap {
        id: map
        objectName: "minimap"
        anchors.fill: parent
        anchors.margins: 2
        document: panel.view.document
        viewRect: Qt.rect(-panel.view.panX / panel.view.zoom, -panel.view.panY / panel.view.zoom,
                          panel.view.width / panel.view.zoom, panel.view.height / panel.view.zoom)
    }
    Rectangle {  // the visible area
        objectName: "minimapView"
        x: map.x + map.viewBox.x; y: map.y + map.viewBox.y
        width: map.viewBox.width; height: map.viewBox.height
        color: Theme.minimapView; border.color: Theme.minimapViewBorder; border.width: 1
    }
    MouseArea {
        anchors.fill: map
        function go(mouse) { const w = map.toWorld(mouse.x, mouse.y); panel.view.centerOn(w.x, w.y) }
        onPressed: (mouse) => go(mouse)
        onPositionChanged: (mouse) => go(mouse)
    }
}
