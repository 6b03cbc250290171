import QtQuick
import QtQuick.Controls
import QtCharts
import Archscope.Controls

// MoE router load of a session (QtCharts): for each router (an output whose
// op marks it probe = "router_load", e.g. moe_route's load and kept), the
// share of tokens sent to each expert, before capacity ("load") and after
// ("kept"), with the uniform share k/E as a line. The list on the left picks
// the router; selecting a MoE node in the graph picks its router; clicking a
// row selects its node.
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    readonly property var routers: profile.routers
    readonly property var names: [...new Set(routers.map(r => r.node))]
    property string chosen: ""  // the router picked by a click or the graph selection
    readonly property string picked: names.includes(chosen) ? chosen : (names.length ? names[0] : "")
    readonly property var load: routers.find(r => r.node === picked && r.port === "load") ?? routers.find(r => r.node === picked) ?? null
    readonly property var kept: routers.find(r => r.node === picked && r.port === "kept") ?? null
    readonly property real uniform: load && load.experts > 0 ? load.fractions.reduce((a, b) => a + b, 0) / load.experts : 0
    function pct(x) { return (100 * x).toFixed(1) + "%" }
    Connections {  // graph selection -> that block's router
        target: root.document
        function onSelectionChanged() {
            const sel = root.document.selection
            const n = sel.length ? root.names.find(x => x === sel[0] || x.split("/")[0] === sel[0]) : undefined
            if (n) root.chosen = n
        }
    }

    Text {
        visible: root.routers.length === 0; anchors.centerIn: parent; color: Theme.textDim
        text: root.profile.sessionId ? "session #" + root.profile.sessionId + " has no router loads (profile a MoE design with the sparsity probe)" : "no session loaded"
    }
    ListView {
        id: list
        objectName: "routerList"
        visible: root.routers.length > 0
        x: 8; y: 8; width: 220; height: parent.height - 16; clip: true
        model: root.names
        delegate: Rectangle {
            required property string modelData
            width: list.width; height: 24
            color: modelData === root.picked ? Theme.panelAlt : "transparent"
            border.color: modelData === root.picked ? Theme.selection : "transparent"
            Text { x: 6; anchors.verticalCenter: parent.verticalCenter; text: modelData; color: Theme.text; font.pixelSize: 11; elide: Text.ElideMiddle; width: parent.width - 12 }
            MouseArea {
                anchors.fill: parent
                onClicked: {
                    root.chosen = modelData
                    const top = modelData.split("/")[0]
                    if (root.document.nodeInfo(top).id !== undefined) root.document.setSelection([top])
                }
            }
        }
    }
    ChartView {
        id: chart
        objectName: "routerChart"
        visible: root.load !== null
        x: list.x + list.width + 8; y: 0; width: parent.width - x; height: parent.height
        title: root.load ? root.picked + " · " + root.load.tokens + " tokens · " + root.load.experts + " experts · busiest "
                           + root.pct(Math.max(...root.load.fractions)) + ", idlest " + root.pct(Math.min(...root.load.fractions)) : ""
        titleColor: Theme.text; titleFont.pixelSize: 12; backgroundColor: Theme.panel; antialiasing: true
        legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom
        BarCategoryAxis { id: ex; categories: root.load ? root.load.fractions.map((f, e) => "e" + e) : []; labelsColor: Theme.textDim }
        ValueAxis { id: ey; min: 0; max: root.load ? Math.max(root.uniform * 1.5, ...root.load.fractions) * 1.1 : 1; gridLineColor: Theme.chartGrid
                    labelsColor: Theme.textDim; labelFormat: "%.2f"; titleText: "share of tokens"; titleBrush: Theme.textDim }
        BarSeries {
            axisX: ex; axisY: ey
            BarSet { label: "routed (before capacity)"; color: Theme.seriesTeal; values: root.load ? root.load.fractions : [] }
            BarSet { label: "kept (after capacity)"; color: Theme.seriesOrange; values: root.kept ? root.kept.fractions : [] }
        }
        LineSeries {
            name: "uniform (k / E)"; axisY: ey; color: Theme.seriesRed; width: 1.5
            axisX: ValueAxis { visible: false; min: 0; max: 1 }
            XYPoint { x: 0; y: root.uniform }
            XYPoint { x: 1; y: root.uniform }
        }
    }
}
