import QtQuick
import Archscope.Graph

// `archscope render --view compare`: the graph coloured by speed-up of B over
// A with its legend (top) and the A/B table with the structural diff (below).
Item {
    id: root
    required property var profile
    required property var document
    property alias graph: graph
    GraphView {
        id: graph
        x: 0; y: 0; width: parent.width; height: parent.height * 0.55
        document: root.document
        showMinimap: false
        overlay: root.profile.overlay
    }
    LatencyLegend { profile: root.profile; interactive: false; x: graph.width - width - 12; y: 12 }
    CompareTable { profile: root.profile; document: root.document; y: graph.height; width: parent.width; height: parent.height - y }
    function fitToView() { graph.fitToView() }
}
