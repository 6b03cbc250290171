pragma Singleton
import QtQuick
import Archscope.Core

// Colours and sizes shared by every module, in a dark and a light theme.
// mode: "dark", "light" or "system" (follows the platform palette: a dark
// window colour means dark); chosen in View > Theme, applied live (every
// colour below is a binding on `dark`) and remembered in AppSettings under
// "theme/mode" ($ARCHSCOPE_THEME overrides it: screenshots, `archscope render`). The C++-painted canvas parts get their colours from here too
// (GraphView.qml passes `canvasColors` to the edge layer).
QtObject {
    id: theme
    property string mode: "dark"
    readonly property bool dark: mode === "dark" || (mode === "system" && systemPalette.window.hslLightness < 0.5)
    function setMode(m) {
        if (m !== "dark" && m !== "light" && m !== "system") return
        mode = m
        store.setThemeMode(m)
    }
    readonly property AppSettings store: AppSettings {}
    readonly property SystemPalette systemPalette: SystemPalette { colorGroup: SystemPalette.Active }
    Component.onCompleted: mode = store.themeMode()

    // Window and panels
    readonly property color window: dark ? "#16181d" : "#e7e9ee"
    readonly property color canvas: dark ? "#1b1e24" : "#f6f7f9"
    readonly property color panel: dark ? "#20232a" : "#f2f3f6"
    readonly property color panelAlt: dark ? "#262a32" : "#e6e8ed"
    readonly property color border: dark ? "#30353f" : "#c8ccd4"
    readonly property color text: dark ? "#d7dce5" : "#1f2329"
    readonly property color textDim: dark ? "#8b93a3" : "#5a6270"
    readonly property color accent: dark ? "#e8a33d" : "#c57f12"
    readonly property color selection: dark ? "#f0b54a" : "#d98b0f"
    readonly property color error: dark ? "#e5484d" : "#cf222e"
    readonly property color ok: dark ? "#46a758" : "#1a7f37"
    readonly property color hover: dark ? "#3a3f4b" : "#d5d9e0"          // list highlight, hovered row
    readonly property color overlayPanel: dark ? "#e0181a20" : "#e8ffffff"  // breadcrumb, minimap, legend
    readonly property color statusBar: dark ? "#121419" : "#dcdfe5"
    readonly property color okBack: dark ? "#1f3a28" : "#d3f0da"
    readonly property color okText: dark ? "#8fd19e" : "#1a7f37"
    readonly property color errorBack: dark ? "#4a1f24" : "#fbe0e2"
    readonly property color errorText: dark ? "#ff9ea1" : "#b3141f"
    readonly property color toast: dark ? "#3a1e22" : "#fbe0e2"
    readonly property color toastText: dark ? "#ffd6d8" : "#8a1019"
    readonly property color rowA: dark ? "#3a2f1a" : "#f6e6c8"             // session A / selected row
    readonly property color rowB: dark ? "#1a2f3a" : "#cfe6f3"             // session B
    readonly property color memoryText: dark ? "#58a6ff" : "#0b5cc7"
    readonly property color computeText: dark ? "#bc8cff" : "#7c3bd6"
    readonly property color chartGrid: dark ? "#353a45" : "#d3d7de"
    readonly property color timelineGrid: dark ? "#2a2e37" : "#dde0e6"
    readonly property color timelineTrack: dark ? "#3a3f4b" : "#cdd1d9"
    // Chart series: the same hues in both themes, darker on light so that each keeps
    // at least 3:1 contrast against the chart background (Theme.panel).
    readonly property color seriesOrange: dark ? "#e8a33d" : "#b86e00"
    readonly property color seriesTeal: dark ? "#26828e" : "#1d6b75"
    readonly property color seriesViolet: dark ? "#a371f7" : "#7c3bd6"
    readonly property color seriesRed: dark ? "#f85149" : "#cf222e"
    readonly property color seriesGreen: dark ? "#3fb950" : "#1a7f37"
    readonly property color seriesBlue: dark ? "#1f6feb" : "#0b5cc7"
    readonly property color seriesYellow: dark ? "#fde725" : "#8a7500"
    readonly property color seriesLime: dark ? "#6ece58" : "#3d8b2f"
    readonly property var series: [seriesOrange, seriesTeal, seriesViolet, seriesRed, seriesGreen, seriesBlue, seriesYellow]

    // Controls palette (Fusion style), set on the main window and inherited by dialogs and menus
    readonly property color base: dark ? "#181a20" : "#ffffff"
    readonly property color button: dark ? "#2c303a" : "#e9ebef"
    readonly property color highlight: dark ? "#b7791f" : "#d4891a"
    readonly property color highlightedText: "#ffffff"
    readonly property color light3d: dark ? "#3a3f4b" : "#ffffff"
    readonly property color dark3d: dark ? "#111317" : "#9da3ae"

    // Canvas: nodes, ports, edges, groups
    readonly property color nodeBody: dark ? "#2b2f38" : "#ffffff"
    readonly property color nodeShadow: dark ? "#111316" : "#d3d6dc"
    readonly property color nodeBorder: dark ? "#414754" : "#b4bac5"
    readonly property color nodeTitle: dark ? "#f2f4f8" : "#16191e"
    function nodeHeader(c) { return dark ? Qt.darker(c, 1.35) : Qt.lighter(c, 1.55) }
    function nodeOpText(c) { return dark ? Qt.lighter(c, 1.5) : Qt.darker(c, 1.9) }
    readonly property color port: dark ? "#9aa3b5" : "#7a8394"
    readonly property color portText: dark ? "#c3c9d4" : "#3b424d"
    readonly property color edge: dark ? "#7d8799" : "#8a93a3"
    readonly property color edgeHover: dark ? "#d8dde8" : "#2f3540"
    readonly property color edgeLabel: dark ? "#1d2028" : "#ffffff"
    readonly property color edgeLabelBorder: dark ? "#343a46" : "#c8ccd4"
    readonly property color edgeLabelText: dark ? "#aeb6c6" : "#3b424d"
    readonly property color edgeErrorText: dark ? "#ff8a8e" : "#b3141f"
    readonly property color pendingEdge: dark ? "#e8c547" : "#c58f00"
    readonly property color grid: dark ? "#1f2228" : "#eceef2"
    readonly property color gridMajor: dark ? "#252930" : "#e0e3e8"
    readonly property color group: dark ? "#0fe8a33d" : "#14c57f12"
    readonly property color groupBorder: dark ? "#55e8a33d" : "#88c57f12"
    readonly property color groupHover: dark ? "#40e8a33d" : "#40c57f12"
    readonly property color groupTitle: dark ? "#c9a467" : "#8a5a0f"
    readonly property color linkReason: dark ? "#f0301a1c" : "#f8fde8ea"
    readonly property color linkReasonText: dark ? "#ffd0d2" : "#8a1019"
    readonly property color minimapView: dark ? "#12ffffff" : "#14000000"
    readonly property color minimapViewBorder: dark ? "#d8dde8" : "#3b424d"
    // Colours of the C++-painted canvas (EdgeLayer.colors), by name.
    readonly property var canvasColors: ({
        grid: grid, gridMajor: gridMajor, edge: edge, edgeHover: edgeHover, error: error,
        label: edgeLabel, labelBorder: edgeLabelBorder, labelText: edgeLabelText, labelErrorText: edgeErrorText,
        pending: pendingEdge, nodeBody: nodeBody, nodeTitle: nodeTitle, selection: selection,
        headerLighter: !dark
    })

    readonly property string mono: "DejaVu Sans Mono"
    readonly property int fontSize: 12
}
