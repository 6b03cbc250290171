import QtQuick
import QtQuick.Controls
import Archscope.Core
import Archscope.Controls

// Quick-add popup (Tab or Space on the canvas): type to filter ops, Enter or
// click adds the op where the popup was opened.
Popup {
    id: popup
    signal chosen(string op)
    width: 280; height: 320
    padding: 6
    focus: true
    background: Rectangle { color: Theme.panel; border.color: Theme.border; radius: 6 }
    onOpened: { field.text = ""; field.forceActiveFocus(); list.currentIndex = 0 }

    PaletteModel { id: ops }

    TextField {
        id: field
        objectName: "quickAddField"
        width: parent.width
        placeholderText: "Add node…"
        onTextChanged: { ops.filter = text; list.currentIndex = ops.bestRow() }
        Keys.onDownPressed: list.incrementCurrentIndex()
        Keys.onUpPressed: list.decrementCurrentIndex()
        Keys.onReturnPressed: popup.pick(list.currentIndex)
        Keys.onEnterPressed: popup.pick(list.currentIndex)
    }
    function pick(row) {
        const op = ops.opAt(row)
        if (op.length) { popup.chosen(op); popup.close() }
    }
    ListView {
        id: list
        anchors { top: field.bottom; topMargin: 4; left: parent.left; right: parent.right; bottom: parent.bottom }
        clip: true
        model: ops
        highlightMoveDuration: 0
        highlight: Rectangle { color: Theme.hover; radius: 4 }
        delegate: Item {
            id: row
            required property int index
            required property string name
            required property string op
            required property string category
            required property color opColor
            width: ListView.view.width; height: 24
            Rectangle { x: 6; width: 8; height: 8; radius: 2; anchors.verticalCenter: parent.verticalCenter; color: row.opColor }
            Text { x: 22; anchors.verticalCenter: parent.verticalCenter; text: row.name; color: Theme.text; font.pixelSize: 12 }
            Text {
                anchors.right: parent.right; anchors.rightMargin: 8; anchors.verticalCenter: parent.verticalCenter
                text: row.category; color: Theme.textDim; font.pixelSize: 10
            }
            MouseArea { anchors.fill: parent; onClicked: popup.pick(row.index) }
        }
    }
}
