import QtQuick
import QtQuick.Controls
import Archscope.Controls

// Per-node bars in execution order on a time axis, like a Perfetto track:
// a "blocks" track (top-level nodes, composite blocks rolled up) above the
// "nodes" track. Wheel zooms at the cursor, drag pans; clicking a bar
// selects its node in the graph, and the selected node is outlined here.
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    clip: true
    readonly property var stats: profile.nodeStats
    readonly property real total: stats.length ? stats[stats.length - 1].start + stats[stats.length - 1].ms : 0
    property real pxPerMs: total > 0 ? (width - 100) / total : 1
    readonly property string selected: document.selection.length ? document.selection[0] : ""
    readonly property var blocks: {
        const b = []
        for (const s of stats) {
            if (b.length && b[b.length - 1].top === s.top) b[b.length - 1].ms += s.ms
            else b.push({ top: s.top, start: s.start, ms: s.ms, op: s.op })
        }
        return b
    }
    onWidthChanged: pxPerMs = total > 0 ? (width - 100) / total : 1
    onTotalChanged: pxPerMs = total > 0 ? (width - 100) / total : 1

    function niceStep(ms) {
        const raw = ms / 8, p = Math.pow(10, Math.floor(Math.log10(raw)))
        for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p
        return 10 * p
    }
    function barColor(s) { return s.bound === "memory" ? "#1f6feb" : s.bound === "compute" ? "#a371f7" : "#6e7681" }
    function pick(top) { if (document.nodeInfo(top).id !== undefined) document.setSelection([top]) }

    Text { x: 8; y: 34; text: "blocks"; color: Theme.textDim; font.pixelSize: 11 }
    Text { x: 8; y: 74; text: "nodes"; color: Theme.textDim; font.pixelSize: 11 }
    Flickable {
        id: flick
        x: 70; y: 0; width: parent.width - 80; height: parent.height
        contentWidth: root.total * root.pxPerMs + 20
        contentHeight: height
        flickableDirection: Flickable.HorizontalFlick
        boundsBehavior: Flickable.StopAtBounds
        Repeater {  // time axis
            model: root.total > 0 ? Math.floor(root.total / root.niceStep(root.total)) + 1 : 0
            delegate: Item {
                required property int index
                readonly property real t: index * root.niceStep(root.total)
                x: t * root.pxPerMs; y: 0
                Rectangle { width: 1; height: root.height; color: Theme.timelineGrid }
                Text { x: 3; y: 4; text: +t.toPrecision(3) + " ms"; color: Theme.textDim; font.pixelSize: 10 }
            }
        }
        Repeater {
            model: root.blocks
            delegate: Rectangle {
                required property var modelData
                x: modelData.start * root.pxPerMs; y: 26; height: 30
                width: Math.max(1, modelData.ms * root.pxPerMs - 1)
                color: Theme.timelineTrack; radius: 2
                border.width: root.selected === modelData.top ? 2 : 0; border.color: Theme.selection
                Text {
                    anchors.fill: parent; anchors.margins: 4; text: modelData.top; elide: Text.ElideRight
                    visible: parent.width > 30; color: Theme.text; font.pixelSize: 11; verticalAlignment: Text.AlignVCenter
                }
                MouseArea { anchors.fill: parent; onClicked: root.pick(modelData.top) }
            }
        }
        Repeater {
            model: root.stats
            delegate: Rectangle {
                required property var modelData
                objectName: "bar_" + modelData.node
                x: modelData.start * root.pxPerMs; y: 64; height: 34
                width: Math.max(1, modelData.ms * root.pxPerMs - 1)
                color: root.barColor(modelData); radius: 2
                border.width: root.selected === modelData.top ? 2 : 0; border.color: Theme.selection
                Text {
                    anchors.fill: parent; anchors.margins: 4; elide: Text.ElideRight; visible: parent.width > 30
                    text: modelData.node.split("/").pop() + "  " + modelData.ms.toPrecision(3) + " ms"
                    color: "white"; font.pixelSize: 11; verticalAlignment: Text.AlignVCenter
                }
                MouseArea {
                    id: hover; anchors.fill: parent; hoverEnabled: true
                    onClicked: root.pick(modelData.top)
                }
                ToolTip.visible: hover.containsMouse
                ToolTip.text: modelData.node + " (" + modelData.op + ")\n" + modelData.ms.toFixed(4) + " ms median, p95 "
                              + modelData.p95.toFixed(4) + " ms\nstarts at " + modelData.start.toFixed(4) + " ms · "
                              + (modelData.share * 100).toFixed(1) + " % · " + modelData.gflops.toPrecision(3) + " GFLOP/s"
            }
        }
        WheelHandler {
            onWheel: (ev) => {
                const f = ev.angleDelta.y > 0 ? 1.25 : 0.8
                const t = (ev.x) / root.pxPerMs
                root.pxPerMs = Math.max(1e-3, root.pxPerMs * f)
                flick.contentX = Math.max(0, t * root.pxPerMs - (ev.x - flick.contentX))
            }
        }
    }
    Text {
        anchors.left: parent.left; anchors.bottom: parent.bottom; anchors.margins: 8
        text: root.stats.length ? root.stats.length + " nodes · " + root.total.toFixed(3) + " ms (sum of medians) · wheel to zoom, drag to pan"
                                : "no session loaded"
        color: Theme.textDim; font.pixelSize: 11
    }
}
