import QtQuick
import QtQuick.Controls
import Archscope.Controls

// One attention map, large: the image is coloured in C++ (image://heatmap,
// ui/heatmap.cpp) and only scaled here, so 4,096-token maps stay
// interactive. Wheel zooms at the cursor, drag pans, hover reads a cell;
// query/key token labels on the edges; colour scale on the right.
Rectangle {
    id: root
    required property var profile
    property var layerInfo: null   // an entry of profile.attentionLayers
    property var headInfo: null    // an entry of layerInfo.heads
    property int hoverRow: -1
    property int hoverCol: -1
    signal rowPicked(int row)
    color: Theme.panel
    clip: true
    readonly property int rows: layerInfo ? layerInfo.rows : 0
    readonly property int cols: layerInfo ? layerInfo.cols : 0
    readonly property int pool: layerInfo ? layerInfo.pool : 1
    readonly property real fit: rows > 0 && flick.width > 0 && flick.height > 0 ? Math.min(flick.width / cols, flick.height / rows) : 1
    property real zoom: fit
    onFitChanged: zoom = fit
    // Token strings when the session stored its input's vocabulary labels and they cover the map, else positions.
    readonly property var words: profile.tokenLabels
    readonly property bool useWords: pool === 1 && layerInfo !== null && words.length > 0 && words.length >= Math.max(layerInfo.tq, layerInfo.tk)
    function tokenLabel(i) {
        if (useWords) return i < words.length ? words[i] : "t" + i
        return pool > 1 ? "t" + (i * pool) + "–" + Math.min((i + 1) * pool - 1, (layerInfo.tk - 1)) : "t" + i
    }
    function hoverLabel(i) { return useWords ? "t" + i + " " + tokenLabel(i) : tokenLabel(i) }
    function labelStep(minPx) { let s = 1; while (zoom > 0 && s * zoom < minPx && s < 65536) s *= 2; return s }  // tokens between labels
    readonly property int topStep: labelStep(pool > 1 ? 64 : 40)
    readonly property int leftStep: labelStep(16)

    Flickable {
        id: flick
        x: 56; y: 22; width: parent.width - 130; height: parent.height - 30
        contentWidth: root.cols * root.zoom; contentHeight: root.rows * root.zoom
        boundsBehavior: Flickable.StopAtBounds
        Image {
            id: image
            objectName: "heatmapImage"
            width: root.cols * root.zoom; height: root.rows * root.zoom
            source: root.headInfo ? "image://heatmap/" + root.headInfo.key : ""
            smooth: root.zoom < 1
            cache: false
            MouseArea {
                anchors.fill: parent; hoverEnabled: true
                onPositionChanged: (m) => { root.hoverRow = Math.floor(m.y / root.zoom); root.hoverCol = Math.floor(m.x / root.zoom) }
                onExited: { root.hoverRow = -1; root.hoverCol = -1 }
                onClicked: (m) => root.rowPicked(Math.floor(m.y / root.zoom))
            }
        }
        WheelHandler {
            onWheel: (ev) => {
                const f = ev.angleDelta.y > 0 ? 1.25 : 0.8
                const cx = (ev.x) / root.zoom, cy = (ev.y) / root.zoom
                root.zoom = Math.max(root.fit * 0.5, Math.min(64, root.zoom * f))
                flick.contentX = Math.max(0, cx * root.zoom - (ev.x - flick.contentX))
                flick.contentY = Math.max(0, cy * root.zoom - (ev.y - flick.contentY))
            }
        }
    }
    Repeater {  // key tokens along the top
        model: root.cols > 0 ? Math.ceil(root.cols / root.topStep) : 0
        delegate: Text {
            required property int index
            readonly property int tok: index * root.topStep
            x: flick.x + (tok + 0.5) * root.zoom - flick.contentX - width / 2; y: 4
            visible: x > flick.x - 10 && x < flick.x + flick.width
            text: root.tokenLabel(tok); color: Theme.textDim; font.pixelSize: 10
        }
    }
    Repeater {  // query tokens down the left
        model: root.rows > 0 ? Math.ceil(root.rows / root.leftStep) : 0
        delegate: Text {
            required property int index
            readonly property int tok: index * root.leftStep
            x: 4; y: flick.y + (tok + 0.5) * root.zoom - flick.contentY - height / 2; width: 48
            visible: y > flick.y - 8 && y < flick.y + flick.height
            text: root.tokenLabel(tok); color: Theme.textDim; font.pixelSize: 10; horizontalAlignment: Text.AlignRight
        }
    }
    Rectangle {  // colour scale
        objectName: "colourScale"
        x: parent.width - 62; y: flick.y; width: 14; height: Math.min(flick.height, 260)
        gradient: Gradient {
            GradientStop { position: 0.0; color: "#fde725" }
            GradientStop { position: 0.25; color: "#6ece58" }
            GradientStop { position: 0.5; color: "#26828e" }
            GradientStop { position: 0.75; color: "#3e4989" }
            GradientStop { position: 1.0; color: "#440154" }
        }
        Text { x: 18; y: -2; text: root.headInfo ? root.headInfo.vmax.toPrecision(3) : ""; color: Theme.textDim; font.pixelSize: 10 }
        Text { x: 18; y: parent.height - 12; text: "0"; color: Theme.textDim; font.pixelSize: 10 }
    }
    Text {
        anchors.right: parent.right; anchors.bottom: parent.bottom; anchors.margins: 6
        width: 60; wrapMode: Text.WordWrap; color: Theme.text; font.pixelSize: 10
        text: root.hoverRow >= 0 && root.headInfo
              ? "q " + root.hoverLabel(root.hoverRow) + "\nk " + root.hoverLabel(root.hoverCol) + "\np "
                + root.profile.heatValue(root.layerInfo.layer, root.headInfo.head, root.hoverRow, root.hoverCol).toPrecision(3)
              : (root.zoom / root.fit).toFixed(1) + "×"
    }
}
