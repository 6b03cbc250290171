import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Archscope.Controls

// One attribute row of the inspector: the editor matching the attribute's
// declared type (from the OpDef), its doc line, and a reset button.
ColumnLayout {
    id: row
    required property var attr         // from document.nodeAttributes()
    required property string nodeId
    required property var document
    spacing: 2
    objectName: "attr_" + attr.name

    function commit(v) { row.document.setAttribute(row.nodeId, row.attr.name, v) }

    RowLayout {
        Layout.fillWidth: true
        Text {
            text: row.attr.name + (row.attr.required ? " *" : "")
            color: row.attr.isSet ? Theme.text : Theme.textDim
            font.pixelSize: 12; font.bold: row.attr.isSet
            Layout.preferredWidth: 96; elide: Text.ElideRight
        }
        Loader {
            id: editor
            Layout.fillWidth: true
            sourceComponent: row.attr.type === "bool" ? boolEditor
                           : row.attr.type === "enum" ? enumEditor
                           : row.attr.type === "int" ? intEditor : textEditor
        }
        ToolButton {
            text: "↺"; visible: row.attr.isSet && !row.attr.required
            implicitWidth: 24; implicitHeight: 24
            onClicked: row.document.resetAttribute(row.nodeId, row.attr.name)
            ToolTip.visible: hovered; ToolTip.text: "Reset to the default"
        }
    }
    Text {
        text: row.attr.doc; color: Theme.textDim; font.pixelSize: 10
        wrapMode: Text.WordWrap; Layout.fillWidth: true
    }
    Component {
        id: boolEditor
        CheckBox { checked: row.attr.value === true; onToggled: row.commit(checked) }
    }
    Component {
        id: enumEditor
        ComboBox {
            model: row.attr.choices
            currentIndex: Math.max(0, row.attr.choices.indexOf(row.attr.value))
            onActivated: (i) => row.commit(row.attr.choices[i])
        }
    }
    Component {
        id: intEditor
        SpinBox {
            editable: true
            from: Math.max(row.attr.min, -2147483647)
            to: Math.min(row.attr.max, 2147483647)
            value: row.attr.value === undefined ? from : row.attr.value
            onValueModified: row.commit(value)
        }
    }
    Component {
        id: textEditor
        TextField {
            text: row.attr.value === undefined ? "" : String(row.attr.value)
            font.family: row.attr.type === "shape" || row.attr.type === "ints" ? Theme.mono : ""
            validator: row.attr.type === "float" ? numberCheck : null
            onEditingFinished: if (text !== String(row.attr.value)) row.commit(text)
        }
    }
    DoubleValidator { id: numberCheck; bottom: row.attr.min; top: row.attr.max }
}
