import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// The Run panel: backend and device, bound sizes, repeats, probes; Run with a
// progress bar and Cancel (the run is on RunController's worker thread).
// What-if: the design's live totals beside those of the loaded session, and
// one click re-profiles the edited design.
Rectangle {
    id: root
    required property var profile
    required property var document
    required property var runner
    color: Theme.panel
    readonly property var probeNames: ["latency", "attention", "sparsity", "outliers", "memory"]
    property var probeOn: ({ latency: true, attention: true, sparsity: true, outliers: true, memory: true })
    function start() {
        runner.probes = probeNames.filter(p => probeOn[p]).join(",") || "none"
        const b = {}
        for (const s of document.symbols) b[s.name] = s.value
        runner.bindings = b
        runner.run(document, profile)
    }
    function pct(a, b) { return b > 0 ? ((a / b - 1) * 100).toFixed(1) + " %" : "–" }
    RowLayout {
        anchors.fill: parent; anchors.margins: 10; spacing: 24
        ColumnLayout {
            Layout.alignment: Qt.AlignTop; spacing: 4
            SectionTitle { text: "Backend" }
            ComboBox { id: backend; objectName: "backendPicker"; model: root.runner.backends; implicitWidth: 150
                       onActivated: root.runner.backend = currentText }
            ComboBox {
                objectName: "devicePicker"; visible: backend.currentText === "vulkan"; implicitWidth: 260
                model: [{ index: -1, name: "best device" }].concat(root.runner.devices); textRole: "name"
                onActivated: (i) => root.runner.device = model[i].index
            }
            SectionTitle { text: "Sizes (this run)" }
            Repeater {
                model: root.document.symbols
                delegate: RowLayout {
                    required property var modelData
                    Text { text: modelData.name; color: Theme.text; font.bold: true; Layout.preferredWidth: 28 }
                    SpinBox { editable: true; from: 1; to: 1048576; value: modelData.value; implicitWidth: 110
                              onValueModified: root.document.setSymbolValue(modelData.name, value) }
                }
            }
        }
        ColumnLayout {
            Layout.alignment: Qt.AlignTop; spacing: 4
            SectionTitle { text: "Repeats" }
            RowLayout { Text { text: "timed"; color: Theme.textDim; Layout.preferredWidth: 50 }
                        SpinBox { objectName: "repeatBox"; from: 1; to: 10000; value: root.runner.repeat; onValueModified: root.runner.repeat = value } }
            RowLayout { Text { text: "warm-up"; color: Theme.textDim; Layout.preferredWidth: 50 }
                        SpinBox { from: 0; to: 1000; value: root.runner.warmup; onValueModified: root.runner.warmup = value } }
            SectionTitle { text: "Sweep (one session per value)" }
            RowLayout {
                TextField { objectName: "sweepName"; placeholderText: "T or node.attr"; implicitWidth: 110; text: root.runner.sweepName
                            ToolTip.visible: hovered; ToolTip.text: "a size of the design, or NODE.ATTR (an integer attribute); empty = one session"
                            onTextEdited: root.runner.sweepName = text }
                TextField { objectName: "sweepValues"; placeholderText: "128,256,512"; implicitWidth: 140; text: root.runner.sweepValues
                            onTextEdited: root.runner.sweepValues = text }
            }
            TextField { objectName: "vocabPath"; placeholderText: "vocabulary: file or bytes (default: design's)"; Layout.fillWidth: true
                        text: root.runner.vocabPath; onTextEdited: root.runner.vocabPath = text
                        ToolTip.visible: hovered; ToolTip.text: "token strings for token-id inputs, to label attention maps (one per line, a JSON array, or bytes)" }
            SectionTitle { text: "Probes" }
            Flow {
                Layout.preferredWidth: 260; spacing: 2
                Repeater {
                    model: root.probeNames
                    delegate: CheckBox { required property string modelData; text: modelData; checked: root.probeOn[modelData]
                                         onToggled: { const p = Object.assign({}, root.probeOn); p[modelData] = checked; root.probeOn = p } }
                }
            }
        }
        ColumnLayout {
            Layout.alignment: Qt.AlignTop; Layout.fillWidth: true; spacing: 6
            SectionTitle { text: "Run" }
            RowLayout {
                Button { objectName: "runButton"; text: root.runner.sweepName.trim() !== "" ? "Run sweep" : root.profile.sessionId ? "Re-profile" : "Run"; enabled: !root.runner.running; onClicked: root.start() }
                Button { objectName: "cancelButton"; text: "Cancel"; enabled: root.runner.running; onClicked: root.runner.cancel() }
                ProgressBar { objectName: "runProgress"; from: 0; to: 1; value: root.runner.progress; Layout.fillWidth: true }
            }
            Text { text: root.runner.status; color: Theme.textDim; font.pixelSize: 11; Layout.fillWidth: true; elide: Text.ElideRight }
            Text { text: "store: " + root.runner.storePathFor(root.document); color: Theme.textDim; font.pixelSize: 10; Layout.fillWidth: true; elide: Text.ElideMiddle }
            SectionTitle { text: "What-if: design now vs. session #" + root.profile.sessionId; visible: root.profile.sessionId > 0 }
            GridLayout {
                visible: root.profile.sessionId > 0; columns: 4; columnSpacing: 14; rowSpacing: 2
                Text { text: ""; color: Theme.textDim } Text { text: "now"; color: Theme.textDim } Text { text: "session"; color: Theme.textDim } Text { text: "change"; color: Theme.textDim }
                Text { text: "parameters"; color: Theme.textDim }
                Text { text: root.document.totals.paramsText; color: Theme.text; font.family: Theme.mono }
                Text { text: Math.round(root.profile.info.params ?? 0).toLocaleString(Qt.locale("C"), "f", 0); color: Theme.text; font.family: Theme.mono }
                Text { text: root.pct(root.document.totals.params, root.profile.info.params); color: Theme.accent; font.family: Theme.mono }
                Text { text: "FLOPs"; color: Theme.textDim }
                Text { text: root.document.totals.flopsText; color: Theme.text; font.family: Theme.mono }
                Text { text: Math.round(root.profile.info.flops ?? 0).toLocaleString(Qt.locale("C"), "f", 0); color: Theme.text; font.family: Theme.mono }
                Text { text: root.pct(root.document.totals.flops, root.profile.info.flops); color: Theme.accent; font.family: Theme.mono }
                Text { text: "activations"; color: Theme.textDim }
                Text { text: root.document.totals.activationsText; color: Theme.text; font.family: Theme.mono }
                Text { text: root.profile.info.peakActivation || "–"; color: Theme.text; font.family: Theme.mono }
                Text { text: ""; color: Theme.accent }
            }
        }
    }
}
