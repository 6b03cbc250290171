import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// Asks for a name and saves the selection as a block in the user library; it
// then appears in the palette under "My blocks".
Dialog {
    id: dialog
    required property var document
    title: "Save selection as block"
    anchors.centerIn: parent
    modal: true
    standardButtons: Dialog.Save | Dialog.Cancel
    onOpened: { name.text = ""; name.forceActiveFocus() }
    ColumnLayout {
        Label { text: dialog.document.selection.length + " nodes and the edges between them" }
        TextField { id: name; objectName: "blockNameField"; placeholderText: "Block name"; Layout.preferredWidth: 280 }
    }
    onAccepted: dialog.document.saveSelectionAsBlock(name.text)
}
