import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// Legend of the graph's profiling overlay: what the colours mean, the colour
// scale with its ends, the session total, and (when interactive) the choice
// of measure: time, share of total, GFLOP/s, bytes moved, or speed-up (A/B).
Rectangle {
    id: legend
    required property var profile
    property bool interactive: true
    width: 300
    height: column.implicitHeight + 16
    radius: 6
    color: Theme.overlayPanel
    border.color: Theme.border

    ColumnLayout {
        id: column
        x: 10; y: 8; width: parent.width - 20
        spacing: 4
        RowLayout {
            Layout.fillWidth: true
            Text {
                text: legend.profile.legend.title ?? "no session"
                color: Theme.text; font.pixelSize: 12; font.bold: true; Layout.fillWidth: true
            }
            ComboBox {
                objectName: "overlayMode"
                visible: legend.interactive
                implicitWidth: 110; implicitHeight: 24; font.pixelSize: 11
                model: legend.profile.compareId > 0 ? ["time", "share", "gflops", "memory", "speedup"] : ["time", "share", "gflops", "memory"]
                currentIndex: Math.max(0, model.indexOf(legend.profile.overlayMode))
                onActivated: legend.profile.overlayMode = currentText
            }
        }
        Rectangle {  // the colour scale
            objectName: "legendScale"
            Layout.fillWidth: true; height: 12; radius: 2
            gradient: Gradient {
                orientation: Gradient.Horizontal
                GradientStop { position: 0.0; color: legend.stop(0) }
                GradientStop { position: 0.25; color: legend.stop(0.25) }
                GradientStop { position: 0.5; color: legend.stop(0.5) }
                GradientStop { position: 0.75; color: legend.stop(0.75) }
                GradientStop { position: 1.0; color: legend.stop(1) }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Text { text: legend.profile.legend.min ?? ""; color: Theme.textDim; font.pixelSize: 11; Layout.fillWidth: true }
            Text { text: legend.profile.legend.max ?? ""; color: Theme.textDim; font.pixelSize: 11 }
        }
        RowLayout {
            spacing: 6
            Rectangle { width: 34; height: 14; radius: 7; color: "#1f6feb"; Text { anchors.centerIn: parent; text: "MEM"; color: "white"; font.pixelSize: 9; font.bold: true } }
            Text { text: "memory-bound"; color: Theme.textDim; font.pixelSize: 11 }
            Rectangle { width: 38; height: 14; radius: 7; color: "#a371f7"; Text { anchors.centerIn: parent; text: "COMP"; color: "white"; font.pixelSize: 9; font.bold: true } }
            Text { text: "compute-bound"; color: Theme.textDim; font.pixelSize: 11 }
        }
        Text {
            visible: legend.profile.sessionId > 0
            text: "session #" + legend.profile.sessionId + " · " + (legend.profile.info.design ?? "") + " · " + (legend.profile.info.backend ?? "")
                  + " · total " + (legend.profile.info.totalMs ?? 0).toFixed(3) + " ms"
            color: Theme.textDim; font.pixelSize: 11; elide: Text.ElideRight; Layout.fillWidth: true
        }
    }
    function stop(t) {
        const s = legend.profile.legend.stops
        if (!s || s.length === 0) return "#444"
        return s[Math.round(t * (s.length - 1))]
    }
}
