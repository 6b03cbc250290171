import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// Bottom bar: validation state (click to list every problem), the latest
// message, zoom and whether there are unsaved changes.
Rectangle {
    id: bar
    required property var document
    property real zoom: 1
    height: 26
    color: Theme.statusBar
    Rectangle { width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent; anchors.leftMargin: 10; anchors.rightMargin: 10
        spacing: 14
        Rectangle {
            objectName: "validationBadge"
            implicitWidth: stateText.implicitWidth + 16; implicitHeight: 18; radius: 9
            color: bar.document.errors.length ? Theme.errorBack : Theme.okBack
            Text {
                id: stateText
                anchors.centerIn: parent; font.pixelSize: 11
                color: bar.document.errors.length ? Theme.errorText : Theme.okText
                text: bar.document.errors.length ? "⚠ " + bar.document.errors.length + " problem" + (bar.document.errors.length > 1 ? "s" : "") : "✓ valid"
            }
            MouseArea { anchors.fill: parent; onClicked: if (bar.document.errors.length) problems.open() }
        }
        Text {
            text: bar.document.errors.length ? bar.document.errors[0] : bar.document.message
            color: bar.document.errors.length ? Theme.errorText : Theme.textDim
            font.pixelSize: 11; elide: Text.ElideRight; Layout.fillWidth: true
        }
        Text { text: Math.round(bar.zoom * 100) + "%"; color: Theme.textDim; font.pixelSize: 11 }
        Text { text: bar.document.dirty ? "● modified" : "saved"; color: bar.document.dirty ? Theme.accent : Theme.textDim; font.pixelSize: 11 }
    }
    Popup {
        id: problems
        y: -height - 4; x: 8
        width: Math.min(700, bar.width - 16); height: Math.min(300, list.contentHeight + 20)
        background: Rectangle { color: Theme.panel; border.color: Theme.error; radius: 6 }
        ListView {
            id: list
            anchors.fill: parent
            clip: true
            model: bar.document.errors
            delegate: Text {
                required property string modelData
                width: ListView.view.width; wrapMode: Text.WordWrap
                text: "⚠ " + modelData; color: Theme.errorText; font.pixelSize: 12; bottomPadding: 4
            }
        }
    }
}
