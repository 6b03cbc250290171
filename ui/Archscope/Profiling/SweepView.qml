import QtQuick
import QtCharts
import Archscope.Controls

// Sweeps of the store (`archscope profile --sweep T=...`): total latency and
// peak activation memory against the swept value, log-log (QtCharts), one
// line per sweep, so crossovers between designs are visible.
Rectangle {
    id: root
    required property var profile
    property var document: null
    color: Theme.panel
    readonly property var series: profile.sweepSeries
    readonly property var colors: Theme.series
    property bool completed: false  // charts are filled only once they exist
    onSeriesChanged: if (completed) fill()
    onColorsChanged: if (completed) fill()  // the theme changed: lines recoloured
    Component.onCompleted: { completed = true; fill() }
    function bounds(key) {
        let lo = Infinity, hi = -Infinity, xlo = Infinity, xhi = -Infinity
        for (const s of series) for (const p of s.points) {
            if (p[key] > 0) { lo = Math.min(lo, p[key]); hi = Math.max(hi, p[key]) }
            xlo = Math.min(xlo, p.x); xhi = Math.max(xhi, p.x)
        }
        return { lo: lo, hi: hi, xlo: xlo, xhi: xhi }
    }
    function fillOne(chart, ax, ay, key) {
        chart.removeAllSeries()
        const b = bounds(key)
        if (!isFinite(b.lo)) return
        ax.min = b.xlo / 1.5; ax.max = b.xhi * 1.5
        ay.min = b.lo / 2; ay.max = b.hi * 2
        series.forEach((s, i) => {
            const line = chart.createSeries(ChartView.SeriesTypeLine, s.label, ax, ay)
            line.color = colors[i % colors.length]; line.width = 2; line.pointsVisible = true
            for (const p of s.points) if (p[key] > 0) line.append(p.x, p[key])
        })
    }
    function fill() {
        fillOne(latency, lx, ly, "ms")
        fillOne(memory, mx, my, "mem")
    }
    Text {
        visible: root.series.length === 0; anchors.centerIn: parent; color: Theme.textDim
        text: "no sweeps in this store (archscope profile FILE --db DB --sweep T=64,128,256,...)"
    }
    ChartView {
        id: latency
        objectName: "sweepLatency"
        visible: root.series.length > 0
        x: 0; y: 0; width: parent.width / 2; height: parent.height
        title: "total latency vs " + (root.series.length ? root.series[0].name : "") + " (log-log)"
        titleColor: Theme.text; titleFont.pixelSize: 12; backgroundColor: Theme.panel; antialiasing: true
        legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom
        LogValueAxis { id: lx; base: 2; gridLineColor: Theme.chartGrid; labelFormat: "%g"; labelsColor: Theme.textDim; titleText: root.series.length ? root.series[0].name : ""; titleBrush: Theme.textDim }
        LogValueAxis { id: ly; base: 10; gridLineColor: Theme.chartGrid; labelFormat: "%g"; labelsColor: Theme.textDim; titleText: "ms"; titleBrush: Theme.textDim }
    }
    ChartView {
        id: memory
        objectName: "sweepMemory"
        visible: root.series.length > 0
        x: parent.width / 2; y: 0; width: parent.width / 2; height: parent.height
        title: "peak activation memory (log-log)"
        titleColor: Theme.text; titleFont.pixelSize: 12; backgroundColor: Theme.panel; antialiasing: true
        legend.labelColor: Theme.text; legend.alignment: Qt.AlignBottom
        LogValueAxis { id: mx; base: 2; gridLineColor: Theme.chartGrid; labelFormat: "%g"; labelsColor: Theme.textDim; titleText: root.series.length ? root.series[0].name : ""; titleBrush: Theme.textDim }
        LogValueAxis { id: my; base: 2; gridLineColor: Theme.chartGrid; labelFormat: "%g"; labelsColor: Theme.textDim; titleText: "bytes"; titleBrush: Theme.textDim }
    }
}
