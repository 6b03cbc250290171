import QtQuick
import Archscope.Graph

// The graph with the latency overlay and its legend (`archscope render --view
// latency`; the editor shows the same overlay on its own canvas).
Item {
    id: root
    required property var profile
    required property var document
    property alias graph: graph
    GraphView {
        id: graph
        anchors.fill: parent
        document: root.document
        showMinimap: false
        overlay: root.profile.overlay
    }
    LatencyLegend {
        profile: root.profile
        interactive: false
        anchors.right: parent.right; anchors.top: parent.top; anchors.margins: 12
    }
    function fitToView() { graph.fitToView() }
}
