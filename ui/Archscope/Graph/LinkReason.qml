import QtQuick
import Archscope.Controls

// While a connection is dragged over a port that refuses it: the reason
// (canConnect's message), beside the cursor.
Rectangle {
    required property string reason
    required property point at   // the cursor, in the parent's coordinates
    objectName: "linkReason"
    visible: reason !== ""
    x: Math.min(at.x + 16, parent.width - width - 8); y: at.y + 16
    width: Math.min(label.implicitWidth + 16, 420); height: label.implicitHeight + 10; radius: 5
    color: Theme.linkReason; border.color: Theme.error
    Text {
        id: label
        x: 8; y: 5; width: parent.width - 16
        text: parent.reason; color: Theme.linkReasonText; font.pixelSize: 12; wrapMode: Text.Wrap
    }
}
