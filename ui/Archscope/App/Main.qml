import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: root
    width: 1280
    height: 800
    visible: true
    title: "Archscope — " + designPath

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        Label { text: designStatus; font.pixelSize: 14 }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: designNodes
            delegate: Label { required property var modelData; text: modelData.id + "  (" + modelData.op + ")  " + modelData.shape }
        }
    }
}
