import QtQuick
import QtQuick.Controls
import Archscope.Controls

// "Save changes?" before an action that would drop the document's unsaved
// edits (close, new, open, a recent or dropped file, new from template). Save / Discard / Cancel.
Dialog {
    id: dialog
    required property var document
    property string action: ""  // what the user asked for: "close", "new", "open", "openPath", "template"
    signal saveRequested()
    signal discardRequested()
    title: "Save changes?"
    anchors.centerIn: parent
    // A fixed width: the footer's buttons are sized from the dialog's width, whose implicit
    // width is sized from the buttons (a binding loop once the document name changes).
    width: 460
    modal: true
    standardButtons: Dialog.Save | Dialog.Discard | Dialog.Cancel
    Label {
        width: parent.width
        wrapMode: Text.Wrap
        text: "Save the changes to " + dialog.document.displayName + " before "
              + ({close: "closing", "new": "starting a new design", open: "opening another design", openPath: "opening another design",
                  template: "starting a design from a template"}[dialog.action] ?? "continuing") + "?\n"
              + "Without saving, your changes will be lost."
    }
    onAccepted: saveRequested()
    onDiscarded: { close(); discardRequested() }
}
