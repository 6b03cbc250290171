import QtQuick
import Archscope.Controls

// A transient message box (e.g. why a connection was refused).
Rectangle {
    id: toast
    property string text
    property bool shown: false
    objectName: "toast"
    visible: opacity > 0
    opacity: shown ? 1 : 0
    Behavior on opacity { NumberAnimation { duration: 150 } }
    width: label.implicitWidth + 28
    height: label.implicitHeight + 14
    radius: 6
    color: Theme.toast
    border.color: Theme.error
    Text { id: label; anchors.centerIn: parent; text: toast.text; color: Theme.toastText; font.pixelSize: 12 }
}
