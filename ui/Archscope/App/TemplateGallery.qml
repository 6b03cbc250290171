import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// File > New from template: the engine's templates (engine/templates) with
// title, paper and description; the chosen one's parameters (sizes) can be
// edited before the design is created.
Dialog {
    id: gallery
    required property var document
    property var templates: []
    property int current: 0
    property var values: ({})  // parameter name -> text the user typed
    signal created()
    title: "New from template"
    anchors.centerIn: parent
    width: Math.min(980, parent.width - 40); height: Math.min(640, parent.height - 40)
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    onOpened: { templates = document.templateList(); values = ({}); current = 0 }
    function choose(i) { current = i; values = ({}) }
    function create() {
        const t = templates[current]
        if (t && document.newFromTemplate(t.name, values)) created()
    }
    onAccepted: create()

    RowLayout {
        anchors.fill: parent
        spacing: 12
        ListView {
            id: list
            objectName: "templateList"
            Layout.preferredWidth: 300; Layout.fillHeight: true
            clip: true
            model: gallery.templates
            currentIndex: gallery.current
            delegate: Rectangle {
                required property int index
                required property var modelData
                objectName: "template_" + modelData.name
                width: ListView.view.width; height: 50; radius: 4
                color: index === gallery.current ? Theme.hover : "transparent"
                Column {
                    x: 10; anchors.verticalCenter: parent.verticalCenter; width: parent.width - 20
                    Text { text: modelData.title; color: Theme.text; font.pixelSize: 13; font.bold: true; elide: Text.ElideRight; width: parent.width }
                    Text { text: modelData.name + " · " + modelData.paper; color: Theme.textDim; font.pixelSize: 10; elide: Text.ElideRight; width: parent.width }
                }
                MouseArea { anchors.fill: parent; onClicked: gallery.choose(index); onDoubleClicked: gallery.accept() }
            }
        }
        ScrollView {
            Layout.fillWidth: true; Layout.fillHeight: true
            clip: true
            ColumnLayout {
                width: parent.width
                spacing: 6
                readonly property var t: gallery.templates[gallery.current] ?? null
                Label { text: parent.t ? parent.t.title : ""; font.pixelSize: 16; font.bold: true }
                Label {
                    text: parent.t ? parent.t.description : ""
                    wrapMode: Text.WordWrap; Layout.fillWidth: true; color: Theme.textDim
                }
                SectionTitle { text: "Sizes and options" }
                Repeater {
                    model: parent.t ? parent.t.params : []
                    delegate: RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        Label { text: modelData.name; Layout.preferredWidth: 90; font.family: Theme.mono }
                        ComboBox {
                            visible: modelData.type === "enum"
                            model: modelData.choices
                            currentIndex: Math.max(0, modelData.choices.indexOf(String(modelData.value)))
                            onActivated: gallery.values[modelData.name] = currentText
                            Layout.preferredWidth: 140
                        }
                        TextField {
                            objectName: "param_" + modelData.name
                            visible: modelData.type !== "enum"
                            text: String(modelData.value)
                            onEditingFinished: gallery.values[modelData.name] = text
                            Layout.preferredWidth: 140
                        }
                        Label { text: modelData.doc; color: Theme.textDim; elide: Text.ElideRight; Layout.fillWidth: true }
                    }
                }
            }
        }
    }
}
