pragma Singleton
import QtQuick

// Colours and sizes of the dark theme, shared by every module.
QtObject {
    readonly property color window: "#16181d"
    readonly property color canvas: "#1b1e24"
    readonly property color panel: "#20232a"
    readonly property color panelAlt: "#262a32"
    readonly property color border: "#30353f"
    readonly property color text: "#d7dce5"
    readonly property color textDim: "#8b93a3"
    readonly property color accent: "#e8a33d"
    readonly property color selection: "#f0b54a"
    readonly property color error: "#e5484d"
    readonly property color ok: "#46a758"
    readonly property color nodeBody: "#2b2f38"
    readonly property string mono: "DejaVu Sans Mono"
    readonly property int fontSize: 12
}
