import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Archscope.Controls

// Attention maps of a session: a layer x head grid of thumbnails (left), the
// chosen map large (HeatmapView), the per-head entropy of the chosen layer
// (QtCharts bars: mean and min, nats, with ln(Tk) = uniform as the top), and
// for square key grids (vision patches) the picked query's attention laid
// out on the patch grid. Selecting an attention node in the graph picks its
// layer; clicking a thumbnail selects its node.
Rectangle {
    id: root
    required property var profile
    required property var document
    property int layerIndex: layers.length ? layers[0].layer : -1  // (Item.layer is taken)
    property int headIndex: 0
    property int queryRow: 0
    color: Theme.panel
    readonly property var layers: profile.attentionLayers
    readonly property var layerInfo: layers.find(l => l.layer === layerIndex) ?? null
    readonly property var headInfo: layerInfo ? (layerInfo.heads.find(h => h.head === headIndex) ?? null) : null
    readonly property int grid: {
        if (!layerInfo || profile.tokenInput) return 0  // token ids: a language model, no patches
        for (const extra of [0, 1]) { const g = Math.round(Math.sqrt(layerInfo.cols - extra)); if (g > 1 && g * g + extra === layerInfo.cols) return g }
        return 0
    }
    Connections {  // graph selection -> the first layer of that node
        target: root.document
        function onSelectionChanged() {
            const sel = root.document.selection
            if (!sel.length) return
            const l = root.layers.find(x => x.top === sel[0])
            if (l && l.top !== (root.layerInfo ? root.layerInfo.top : "")) root.layerIndex = l.layer
        }
    }

    Text {
        visible: root.layers.length === 0; anchors.centerIn: parent; color: Theme.textDim
        text: root.profile.sessionId ? "session #" + root.profile.sessionId + " has no attention maps (profile with the attention probe)" : "no session loaded"
    }
    ScrollView {  // thumbnails
        id: thumbs
        visible: root.layers.length > 0
        x: 8; y: 8; width: Math.min(parent.width * 0.3, 60 * 8 + 90); height: parent.height - 16
        clip: true
        Column {
            spacing: 6
            Repeater {
                model: root.layers
                delegate: Row {
                    id: layerRow
                    required property var modelData
                    spacing: 4
                    Text { width: 80; height: 52; text: "L" + modelData.layer + "\n" + modelData.node; color: Theme.textDim; font.pixelSize: 10; elide: Text.ElideRight; verticalAlignment: Text.AlignVCenter }
                    Repeater {
                        model: layerRow.modelData.heads
                        delegate: Rectangle {
                            required property var modelData
                            objectName: "thumb_" + layerRow.modelData.layer + "_" + modelData.head
                            width: 52; height: 52; color: "transparent"
                            border.width: 2
                            border.color: root.layerIndex === layerRow.modelData.layer && root.headIndex === modelData.head ? Theme.selection : "transparent"
                            Image { x: 2; y: 2; width: 48; height: 48; sourceSize: Qt.size(48, 48); source: "image://heatmap/" + modelData.key; smooth: false }
                            MouseArea {
                                anchors.fill: parent
                                onClicked: {
                                    root.layerIndex = layerRow.modelData.layer; root.headIndex = modelData.head
                                    if (root.document.nodeInfo(layerRow.modelData.top).id !== undefined) root.document.setSelection([layerRow.modelData.top])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Text {
        visible: root.layerInfo !== null
        x: thumbs.x + thumbs.width + 12; y: 6
        text: root.layerInfo ? "layer " + root.layerIndex + " · head " + root.headIndex + " · " + root.layerInfo.node + "." + root.layerInfo.port
              + " · Tq " + root.layerInfo.tq + " × Tk " + root.layerInfo.tk + (root.layerInfo.pool > 1 ? " · mean-pooled ×" + root.layerInfo.pool : "")
              : ""
        color: Theme.text; font.pixelSize: 12; font.bold: true
    }
    HeatmapView {
        id: heat
        visible: root.layerInfo !== null
        profile: root.profile; layerInfo: root.layerInfo; headInfo: root.headInfo
        x: thumbs.x + thumbs.width + 8; y: 26
        width: (parent.width - x) * 0.6; height: parent.height - 34
        onRowPicked: (r) => root.queryRow = r
    }
    ChartView {
        id: entropy
        objectName: "entropyChart"
        visible: root.layerInfo !== null
        x: heat.x + heat.width + 4; y: 20; width: parent.width - x - 4; height: root.grid > 0 ? parent.height * 0.55 : parent.height - 24
        title: "entropy per head (nats)"; titleColor: Theme.text; titleFont.pixelSize: 12
        legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom
        backgroundColor: Theme.panel; antialiasing: true; margins { top: 0; bottom: 0; left: 0; right: 0 }
        BarSeries {
            id: bars
            axisX: BarCategoryAxis { categories: root.headInfo ? root.layerInfo.heads.map(h => "h" + h.head) : []; labelsColor: Theme.textDim }
            axisY: ValueAxis { min: 0; max: root.layerInfo ? Math.max(0.1, root.layerInfo.heads[0].maxEntropy) : 1; gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%.2g" }
            BarSet { label: "mean"; color: Theme.seriesTeal; values: root.layerInfo ? root.layerInfo.heads.map(h => h.entropyMean) : [] }
            BarSet { label: "min"; color: Theme.seriesYellow; values: root.layerInfo ? root.layerInfo.heads.map(h => h.entropyMin) : [] }
            onClicked: (index, set) => root.headIndex = root.layerInfo.heads[index].head
        }
    }
    Column {  // vision: the picked query's attention on the patch grid
        visible: root.grid > 0
        x: entropy.x + 8; y: entropy.y + entropy.height + 4
        spacing: 4
        Text { text: "query " + heat.tokenLabel(root.queryRow) + " on the " + root.grid + "×" + root.grid + " patch grid"; color: Theme.textDim; font.pixelSize: 11 }
        Item {
            readonly property real side: Math.min(entropy.width - 16, root.height - entropy.height - 60)
            width: side; height: side
            Image {  // the input image (stored thumbnail) under the attention of the picked query
                objectName: "inputImage"
                anchors.fill: parent; visible: root.profile.inputImageKey !== ""; cache: false
                source: root.profile.inputImageKey !== "" ? "image://heatmap/" + root.profile.inputImageKey : ""
            }
            Image {
                objectName: "patchGrid"
                anchors.fill: parent; smooth: false; cache: false
                opacity: root.profile.inputImageKey !== "" ? 0.6 : 1.0
                source: root.grid > 0 && root.headInfo ? "image://heatmap/" + root.headInfo.key + "?row=" + root.queryRow : ""
            }
            Grid {  // patch outlines
                anchors.fill: parent; columns: root.grid
                Repeater {
                    model: root.grid * root.grid
                    delegate: Rectangle { width: parent.width / root.grid; height: parent.height / root.grid; color: "transparent"; border.color: "#40ffffff"; border.width: 1 }
                }
            }
        }
    }
}
