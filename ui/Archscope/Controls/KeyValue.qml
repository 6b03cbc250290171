import QtQuick
import Archscope.Controls
import QtQuick.Layouts

// A "key  value" line of a side panel; values in the monospace font.
RowLayout {
    property string key
    property string value
    property color valueColor: Theme.text
    Layout.fillWidth: true
    Text { text: parent.key; color: Theme.textDim; font.pixelSize: 12; Layout.preferredWidth: 90; elide: Text.ElideRight }
    Text {
        text: parent.value; color: parent.valueColor; font.pixelSize: 12; font.family: Theme.mono
        Layout.fillWidth: true; elide: Text.ElideRight
    }
}
