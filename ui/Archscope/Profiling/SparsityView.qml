import QtQuick
import QtQuick.Controls
import QtCharts
import Archscope.Controls

// Activation sparsity of a session (QtCharts): zero and near-zero fractions
// of every node output in execution order (bars; click one to select its
// node), the value histogram of the selected node's output, and its
// per-channel absmax with the outlier channels (absmax > 6 x median) in red.
Rectangle {
    id: root
    required property var profile
    required property var document
    color: Theme.panel
    readonly property var rows: profile.tensors.filter(t => t.hasSparsity)
    readonly property var barRows: rows.slice().reverse()  // the chart draws bottom-up: execution order reads top-down
    readonly property string selected: document.selection.length ? document.selection[0] : (rows.length ? rows[0].top : "")
    readonly property var detail: profile.sessionId > 0 && selected !== "" ? profile.tensorDetail(selected) : ({})
    readonly property var bins: detail.bins ?? []
    readonly property var channels: detail.channelAbsmax ?? []
    readonly property var outliers: detail.outliers ?? []
    function pick(i) { const t = barRows[i].top; if (document.nodeInfo(t).id !== undefined) document.setSelection([t]) }
    onDetailChanged: fillChannels()
    Component.onCompleted: fillChannels()
    function fillChannels() {
        const channels = detail.channelAbsmax ?? [], outliers = detail.outliers ?? [], bins = detail.bins ?? []
        chAll.clear(); chOut.clear()
        for (let c = 0; c < channels.length; ++c) chAll.append(c, channels[c])
        for (const c of outliers) chOut.append(c, channels[c])
        histLine.clear()
        const n = bins.length, r = detail.absmax ?? 0
        for (let i = 0; i < n; ++i) {  // a step line: each bin's count across its width
            const y = Math.log10(1 + bins[i])
            histLine.append(-r + 2 * r * i / n, y)
            histLine.append(-r + 2 * r * (i + 1) / n, y)
        }
    }

    Text {
        visible: root.rows.length === 0; anchors.centerIn: parent; color: Theme.textDim
        text: root.profile.sessionId ? "session #" + root.profile.sessionId + " has no sparsity data (profile with the sparsity probe)" : "no session loaded"
    }
    ChartView {
        id: layers
        objectName: "sparsityBars"
        visible: root.rows.length > 0
        x: 0; y: 0; width: parent.width * 0.5; height: parent.height
        title: "zero and near-zero fraction per node output"; titleColor: Theme.text; titleFont.pixelSize: 12
        backgroundColor: Theme.panel; legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom; antialiasing: true
        HorizontalBarSeries {
            axisY: BarCategoryAxis { categories: root.barRows.map(t => t.node + "." + t.port + (t.top === root.selected ? "  ◀" : "")); gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelsFont.pixelSize: 10 }
            axisX: ValueAxis { min: 0; max: 1; gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%.1f"; tickCount: 6 }
            BarSet { label: "exactly zero"; color: Theme.seriesBlue; values: root.barRows.map(t => t.zero) }
            BarSet { label: "near zero (|x| under eps)"; color: Theme.seriesOrange; values: root.barRows.map(t => t.nearZero) }
            onClicked: (index, set) => root.pick(index)
        }
    }
    ChartView {
        id: hist
        objectName: "histogram"
        visible: root.bins.length > 0
        x: layers.width; y: 0; width: parent.width - x; height: parent.height * 0.5
        title: "histogram of " + (root.detail.node ?? "") + "." + (root.detail.port ?? "") + " (" + root.bins.length + " bins)"
        titleColor: Theme.text; titleFont.pixelSize: 12; backgroundColor: Theme.panel; legend.visible: false; antialiasing: true
        ValueAxis { id: hx; min: -(root.detail.absmax ?? 1); max: root.detail.absmax ?? 1; gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%.2g"; tickCount: 5 }
        ValueAxis { id: hy; min: 0; max: Math.log10(1 + Math.max(1, ...root.bins)) * 1.1; gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%.1f"; titleText: "log10(1 + count)"; titleBrush: Theme.textDim }
        AreaSeries {
            axisX: hx; axisY: hy; color: Theme.seriesTeal; borderColor: Theme.seriesLime; borderWidth: 1
            upperSeries: LineSeries { id: histLine }
        }
    }
    ChartView {
        id: chans
        objectName: "channelChart"
        visible: root.channels.length > 0
        x: layers.width; y: hist.height; width: parent.width - x; height: parent.height - y
        title: "per-channel absmax · " + root.outliers.length + " outlier channel" + (root.outliers.length === 1 ? "" : "s") + " (> 6× median)"
        titleColor: Theme.text; titleFont.pixelSize: 12; backgroundColor: Theme.panel; antialiasing: true
        legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom
        ValueAxis { id: cx; min: 0; max: Math.max(1, root.channels.length - 1); gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%d" }
        ValueAxis { id: cy; min: 0; max: Math.max(1e-6, ...root.channels) * 1.1; gridLineColor: Theme.chartGrid; labelsColor: Theme.textDim; labelFormat: "%.2g" }
        LineSeries { id: chAll; name: "absmax"; axisX: cx; axisY: cy; color: Theme.seriesTeal; width: 1.5 }
        ScatterSeries { id: chOut; name: "outlier"; axisX: cx; axisY: cy; color: Theme.seriesRed; markerSize: 9; borderColor: Theme.seriesRed }
    }
}
