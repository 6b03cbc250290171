import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// The profiling views under the canvas, one tab each, all bound to the same
// ProfileModel and to the document's selection (select a node and every view
// shows it; click a bar, cell or row and the graph selects its node).
Rectangle {
    id: root
    required property var profile
    required property var document
    required property var runner
    property alias currentTab: tabs.currentIndex
    property bool overlayOn: true  // colour the canvas by the loaded session
    property bool expanded: false  // starts as the tab bar only; a tab click opens it
    readonly property real collapsedHeight: bar.implicitHeight
    color: Theme.panel
    ColumnLayout {
        anchors.fill: parent; spacing: 0
        RowLayout {
            id: bar
            Layout.fillWidth: true; spacing: 8
            TabBar {
                id: tabs
                objectName: "profilingTabs"
                Layout.fillWidth: true
                Repeater {
                    model: ["Run", "Latency", "Timeline", "Attention", "Sparsity", "MoE", "Sessions", "Sweep"]
                    delegate: TabButton {
                        required property string modelData
                        required property int index
                        text: modelData; width: implicitWidth + 16
                        onClicked: root.expanded = true
                    }
                }
            }
            CheckBox { text: "overlay"; checked: root.overlayOn; onToggled: root.overlayOn = checked }
            ToolButton { objectName: "panelToggle"; text: root.expanded ? "▾" : "▴"; onClicked: root.expanded = !root.expanded }
        }
        StackLayout {
            currentIndex: tabs.currentIndex
            Layout.fillWidth: true; Layout.fillHeight: true
            RunPanel { profile: root.profile; document: root.document; runner: root.runner }
            LatencyTable { profile: root.profile; document: root.document }
            TimelineView { profile: root.profile; document: root.document }
            AttentionView { profile: root.profile; document: root.document }
            SparsityView { profile: root.profile; document: root.document }
            RouterView { profile: root.profile; document: root.document }
            SessionsView { profile: root.profile; document: root.document }
            SweepView { profile: root.profile; document: root.document }
        }
    }
}
