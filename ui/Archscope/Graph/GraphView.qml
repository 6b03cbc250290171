import QtQuick
import QtQuick.Controls
import Archscope.Core
import Archscope.Controls

// The node-graph canvas: pan (middle drag, Alt+drag), zoom to cursor (wheel),
// box / Shift selection, multi-drag with grid snap, drag from a port to
// connect, drop a free node onto an edge to insert it, palette drops (onto an
// edge: inserted), double-click to open a composite block or a collapsed group, minimap,
// a group opened in place (its frame's ⤢ button, or Enter on a selected block or
// collapsed group) with a breadcrumb back up (Escape, or Backspace with nothing selected).
// Only nodes in view are instantiated (document.visibleNodes); all edges are
// drawn by one EdgeLayer.
Item {
    id: view
    required property GraphDocument document
    property real zoom: 1
    property real panX: 60
    property real panY: 60
    property point lastMouse: Qt.point(width / 2, height / 2)
    property var drag: null      // {last, dragId, moved}
    property var link: null      // {node, port, output}
    property string linkReason: ""  // why the port under the cursor refuses the dragged connection
    property point linkTipPos
    property string toast: ""
    property bool showMinimap: true
    property bool autoFit: true  // fit on resize until the user pans or zooms
    property var overlay: ({})   // profiling overlay: node id or "group:<id>" -> {label, color, badge} (ProfileModel)
    // Zoomed out below this, nodes are boxes drawn by the EdgeLayer (no delegates): fast overview.
    property real overviewZoom: 0.5
    readonly property bool overview: zoom < overviewZoom
    // Between overviewZoom and this, node delegates leave out their small texts (op, stats, port labels)
    // when many nodes are in view; with at most detailNodes in view (a small design fitted to the
    // window, say) they keep them: their cost is per node shown. Hysteresis: back above 1.5x that.
    property real detailZoom: 0.75
    property int detailNodes: 60
    property bool fewInView: true
    readonly property bool detailed: zoom >= detailZoom || fewInView
    Connections {
        target: view.document.visibleNodes
        function onViewportChanged() {
            const n = view.document.visibleNodes.visibleCount
            if (n <= view.detailNodes) view.fewInView = true
            else if (n > view.detailNodes * 1.5) view.fewInView = false
        }
    }
    signal quickAddRequested(point p)
    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_Tab || event.key === Qt.Key_Space) {
            view.quickAddRequested(view.lastMouse)
            event.accepted = true
        } else if ((event.key === Qt.Key_Escape || (event.key === Qt.Key_Backspace && document.selection.length === 0))
                   && document.scope !== "") {
            view.leaveGroup()  // up one level
            event.accepted = true
        } else if (event.key === Qt.Key_F && !(event.modifiers & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier))) {
            view.frameSelection()
            event.accepted = true
        } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            view.enterSelection()
            event.accepted = true
        } else if (event.key === Qt.Key_Delete || event.key === Qt.Key_Backspace) {
            document.removeSelected()
            event.accepted = true
        }
    }
    clip: true
    focus: true

    function toWorld(px, py) { return Qt.point((px - panX) / zoom, (py - panY) / zoom) }
    function local(scenePos) { return view.mapFromItem(null, scenePos.x, scenePos.y) }
    function zoomAt(factor, px, py) {
        autoFit = false
        const w = toWorld(px, py)
        zoom = Math.max(0.08, Math.min(3, zoom * factor))
        panX = px - w.x * zoom
        panY = py - w.y * zoom
    }
    function fitToView() { frameRect(document.bounds()) }
    // F: the selection fills the view (zoom at most 1.25), or the whole level when nothing is selected.
    function frameSelection() {
        const b = document.selectionBounds()
        frameRect(b.width > 0 ? b : document.bounds())
        autoFit = false
    }
    function frameRect(b) {
        if (b.width <= 0 || width <= 0) return
        zoom = Math.max(0.08, Math.min(1.25, Math.min((width - 120) / b.width, (height - 120) / b.height)))
        panX = (width - b.width * zoom) / 2 - b.x * zoom
        panY = (height - b.height * zoom) / 2 - b.y * zoom
    }
    function centerOn(wx, wy) { autoFit = false; panX = width / 2 - wx * zoom; panY = height / 2 - wy * zoom }
    function showToast(text) { toast = text; toastTimer.restart() }
    // Zoomed out (overview) with nothing selected, the slots keep their nodes (nodeWorld is hidden and
    // still), so zooming back in rebinds only the nodes that changed instead of creating every delegate
    // in one frame. With a selection, the selected nodes keep their delegates (shown, draggable).
    readonly property bool nodesShown: !overview || document.selection.length > 0
    function updateViewport() {
        if (!nodesShown) return
        document.visibleNodes.viewport = overview ? Qt.rect(-1e9, -1e9, 0, 0)
                                                  : Qt.rect(-panX / zoom - 50, -panY / zoom - 50, width / zoom + 100, height / zoom + 100)
    }
    onNodesShownChanged: Qt.callLater(updateViewport)
    // Coalesced: a pan step sets panX and panY, and the node slots are refiltered once.
    onZoomChanged: Qt.callLater(updateViewport)
    onPanXChanged: Qt.callLater(updateViewport)
    onPanYChanged: Qt.callLater(updateViewport)
    onWidthChanged: { if (autoFit) fitToView(); updateViewport() }
    onHeightChanged: { if (autoFit) fitToView(); updateViewport() }

    // --- node and port interaction (signals from the stateless delegates) ---
    function nodePressed(id, mouse, scenePos) {
        view.forceActiveFocus()
        const additive = mouse.modifiers & (Qt.ShiftModifier | Qt.ControlModifier)
        if (additive) document.select(id, true)
        else if (document.selection.indexOf(id) < 0) document.select(id, false)
        drag = { last: scenePos, dragId: document.beginDrag(), moved: false }
    }
    function nodeMoved(scenePos) {
        if (!drag) return
        document.moveNodes(document.selection, (scenePos.x - drag.last.x) / zoom, (scenePos.y - drag.last.y) / zoom, drag.dragId)
        drag = { last: scenePos, dragId: drag.dragId, moved: true }
    }
    function nodeReleased(id) {
        if (drag && drag.moved) {
            document.snapNodes(document.selection, drag.dragId)
            if (document.selection.length === 1) document.dropOnEdge(document.selection[0])
        }
        drag = null
    }
    // Double-click: a composite node opens inline, a collapsed group expands.
    function openNode(id) {
        drag = null
        if (id.startsWith("group:")) document.expandGroup(id.substring(6))
        else document.openBlock(id)
    }
    // Open a group in place (its members only, breadcrumb back up) and fit it.
    function enterGroup(id) { if (document.enterGroup(id)) { fitToView(); autoFit = false } }
    function leaveGroup() { document.exitGroup(); fitToView(); autoFit = false }  // up one level
    function goToLevel(id) { document.enterGroup(id); fitToView(); autoFit = false }  // a breadcrumb crumb ("" = top)
    // Enter: the selected composite block or collapsed group opens in place (breadcrumb extended).
    function enterSelection() {
        if (document.enterSelection()) { fitToView(); autoFit = false }
        else showToast(document.message)
    }
    function portPressed(node, port, output, scenePos) {
        link = { node: node, port: port, output: output }
        edges.pendingFrom = document.portPosition(node, port, output)
        edges.pendingTo = edges.pendingFrom
        edges.pendingOk = true
        edges.pending = true
    }
    function linkProblem(t) {
        if (!t.node) return null
        if (t.output === link.output) return "connect an output to an input"
        return link.output ? document.canConnect(link.node, link.port, t.node, t.port)
                           : document.canConnect(t.node, t.port, link.node, link.port)
    }
    function portMoved(scenePos) {
        const p = local(scenePos), w = toWorld(p.x, p.y)
        edges.pendingTo = w
        const why = linkProblem(document.portAt(w.x, w.y))
        edges.pendingOk = why === null || why === ""
        linkReason = edges.pendingOk ? "" : why  // shown beside the cursor while dragging
        linkTipPos = p
    }
    function portReleased(scenePos) {
        const p = local(scenePos), w = toWorld(p.x, p.y)
        const t = document.portAt(w.x, w.y)
        edges.pending = false
        linkReason = ""
        const why = linkProblem(t)
        if (why === null) {
            if (!link.output) document.disconnectInput(link.node, link.port)
        } else if (why !== "") {
            showToast("Cannot connect: " + why)
        } else if (link.output) {
            document.connectPorts(link.node, link.port, t.node, t.port)
        } else {
            document.connectPorts(t.node, t.port, link.node, link.port)
        }
        link = null
    }

    Rectangle { anchors.fill: parent; color: Theme.canvas }
    EdgeLayer {
        id: edges
        objectName: "edgeLayer"
        anchors.fill: parent
        document: view.document
        zoom: view.zoom; panX: view.panX; panY: view.panY
        gridStep: view.document.gridStep
        background: Theme.canvas
        colors: Theme.canvasColors
        nodeBoxes: view.overview
    }
    CanvasMouse { view: view; edges: edges; rubber: rubber }
    Item {
        id: world
        objectName: "world"
        x: view.panX; y: view.panY; scale: view.zoom
        transformOrigin: Item.TopLeft
        Repeater {
            model: view.document.groups
            delegate: GroupFrame {
                overlay: view.overlay["group:" + modelData.id] ?? null
                onCollapseRequested: (id) => view.document.collapseGroup(id)
                onEnterRequested: (id) => view.enterGroup(id)
            }
        }
    }
    Item {  // the node delegates: like world, but hidden and not moved in an overview without selection
        id: nodeWorld
        objectName: "nodeWorld"
        visible: view.nodesShown
        transformOrigin: Item.TopLeft
        Binding on x { when: view.nodesShown; value: view.panX; restoreMode: Binding.RestoreNone }
        Binding on y { when: view.nodesShown; value: view.panY; restoreMode: Binding.RestoreNone }
        Binding on scale { when: view.nodesShown; value: view.zoom; restoreMode: Binding.RestoreNone }
        Repeater {
            model: view.viewportReady ? view.document.visibleNodes : null  // never every node of a big design at start
            delegate: NodeItem {
                overlay: view.overlay[nodeId] ?? null
                detail: view.detailed
                headerHeight: view.document.headerHeight
                portRow: view.document.portRow
                onBodyPressed: (id, mouse, p) => view.nodePressed(id, mouse, p)
                onBodyMoved: (id, p) => view.nodeMoved(p)
                onBodyReleased: (id, p) => view.nodeReleased(id)
                onBodyDoubleClicked: (id) => view.openNode(id)
                onPortPressed: (id, port, output, p) => view.portPressed(id, port, output, p)
                onPortMoved: (p) => view.portMoved(p)
                onPortReleased: (p) => view.portReleased(p)
            }
        }
        // Draws nothing (opacity 0) but covers the view and changes with every pan and zoom step: the
        // software renderer, which merges the changed areas of all nodes front to back, starts from the
        // whole view instead of merging hundreds of small delegate rectangles (a fifth of a pan frame).
        Rectangle {
            opacity: 0; color: "black"
            x: -view.panX / view.zoom; y: -view.panY / view.zoom
            width: view.width / view.zoom; height: view.height / view.zoom
        }
    }
    LinkReason { reason: view.linkReason; at: view.linkTipPos }
    Rectangle {
        id: rubber
        visible: false
        color: "#22e8a33d"; border.color: Theme.accent; border.width: 1
    }
    DropArea {
        anchors.fill: parent
        keys: ["archscope/op"]
        onDropped: (drop) => {
            const w = view.toWorld(drop.x, drop.y)
            view.document.dropFromPalette(drop.source.dragOp, w.x, w.y)
            if (view.document.message.startsWith("Added ")) view.showToast(view.document.message)  // not inserted: why
            drop.accept()
        }
    }
    Breadcrumb {
        x: 12; y: 12
        path: view.document.scopePath
        onUpRequested: view.leaveGroup()
        onLevelRequested: (id) => view.goToLevel(id)
    }
    MinimapPanel { view: view; visible: view.showMinimap; anchors.right: parent.right; anchors.bottom: parent.bottom; anchors.margins: 12 }
    Toast { text: view.toast; shown: toastTimer.running; anchors.horizontalCenter: parent.horizontalCenter; y: 14 }
    Timer { id: toastTimer; interval: 3500 }
    property bool viewportReady: false
    Component.onCompleted: { updateViewport(); viewportReady = true }
}
