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
    modal: true
    standardButtons: Dialog.Save | Dialog.Discard | Dialog.Cancel
    Label {
        text: "Save the changes to " + dialog.document.displayName + " before "
              + ({close: "closing", "new": "starting a new design", open: "opening another design", openPath: "opening another design",
                  template: "starting a design from a template"}[dialog.action] ?? "continuing") + "?\n"
              + "Without saving, your changes will be lost."
    }
    onAccepted: saveRequested()
    onDiscarded: { close(); discardRequested() }
}
