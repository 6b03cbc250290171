import QtQuick
import Archscope.Controls
import QtQuick.Layouts

// Small caps heading inside a side panel.
Text {
    color: Theme.textDim
    font.pixelSize: 10; font.bold: true; font.letterSpacing: 1
    font.capitalization: Font.AllUppercase
    topPadding: 6
    Layout.fillWidth: true
}
