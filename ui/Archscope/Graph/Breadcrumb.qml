import QtQuick
import Archscope.Controls

// The path of the canvas while a group is open in place:
// "‹  Design › outer › inner". Each crumb but the last goes back to that level;
// "‹" (or Escape on the canvas) goes up one level.
Rectangle {
    id: bar
    required property var path   // document.scopePath: [{id, label}], outermost first; [] at the top
    signal upRequested()
    signal levelRequested(string id)  // "" = the whole design
    objectName: "breadcrumb"
    visible: path.length > 0
    width: row.width + 20; height: 30; radius: 6
    color: Theme.overlayPanel; border.color: Theme.border

    component Crumb: Text {
        id: crumb
        property bool link: true
        signal activated()
        width: Math.min(implicitWidth, 220); elide: Text.ElideRight
        color: !link ? Theme.text : area.containsMouse ? Theme.accent : Theme.textDim
        font.pixelSize: 13; font.bold: !link; font.underline: link && area.containsMouse
        MouseArea { id: area; anchors.fill: parent; enabled: crumb.link; hoverEnabled: true; onClicked: crumb.activated() }
    }
    Row {
        id: row
        x: 10; anchors.verticalCenter: parent.verticalCenter
        spacing: 8
        Crumb { objectName: "breadcrumbBack"; text: "‹"; font.pixelSize: 16; onActivated: bar.upRequested() }
        Crumb { objectName: "breadcrumbRoot"; text: "Design"; onActivated: bar.levelRequested("") }
        Repeater {
            model: bar.path
            delegate: Row {
                required property var modelData
                required property int index
                spacing: 8
                Text { text: "›"; color: Theme.textDim; font.pixelSize: 13 }
                Crumb {
                    objectName: "crumb_" + modelData.id
                    text: modelData.label
                    link: index < bar.path.length - 1
                    onActivated: bar.levelRequested(modelData.id)
                }
            }
        }
    }
}
