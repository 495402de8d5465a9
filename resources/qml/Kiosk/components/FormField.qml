pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// One field of a process's form, drawn for its widget: the label (with * when required), the input, the hint
// beside it as the manual shows it (没有条码请填写暂无), help under it, and the error in red under that.
ColumnLayout {
    id: root
    required property FormController controller
    required property string name
    required property string widget
    required property string label
    required property bool required_
    required property string placeholder
    required property string help
    required property string hint
    required property var options
    required property var value
    required property string error
    required property bool readOnly
    required property bool deskOnly
    required property int maxLength

    objectName: "field_" + name
    spacing: 4

    function set(v: var) { root.controller.setValue(root.name, v) }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing / 2
        Text {
            objectName: "fieldLabel"
            text: root.label + (root.required_ ? " *" : "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }
        Text {
            visible: root.hint.length > 0
            Layout.fillWidth: true
            text: root.hint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.warning
            elide: Text.ElideRight
        }
        Item { Layout.fillWidth: true; visible: root.hint.length === 0 }
    }

    Loader {
        id: input
        Layout.fillWidth: true
        sourceComponent: root.widget === "section" ? null
                         : root.deskOnly ? deskOnlyNote
                         : root.readOnly ? readOnlyText
                         : root.widget === "textarea" ? multiline
                         : root.widget === "radio" || (root.widget === "select" && root.options.length <= 6) ? single
                         : root.widget === "select" ? dropdown
                         : root.widget === "checkboxes" ? multiple
                         : root.widget === "date" ? dateButton
                         : root.widget === "daterange" ? dateRange
                         : root.widget === "time" ? timeField
                         : root.widget === "signature" ? signature
                         : root.widget === "attachment" ? attachment
                         : lineEdit
    }

    Text {
        visible: root.help.length > 0
        Layout.fillWidth: true
        text: root.help
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    Text {
        objectName: "fieldError"
        visible: root.error.length > 0
        Layout.fillWidth: true
        text: root.error
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.error
        wrapMode: Text.Wrap
    }

    Component {
        id: lineEdit
        AppTextField {
            objectName: "input_" + root.name
            text: typeof root.value === "string" ? root.value : String(root.value)
            placeholderText: root.placeholder
            maximumLength: root.maxLength > 0 ? root.maxLength : 32767
            inputMethodHints: root.widget === "mobile" || root.widget === "number" ? Qt.ImhDigitsOnly
                              : root.widget === "money" ? Qt.ImhFormattedNumbersOnly
                              : root.widget === "idcard" || root.widget === "userid" ? (Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText)
                              : Qt.ImhNone
            invalid: root.error.length > 0  // the message is drawn under the field, with help before it
            onTextEdited: root.set(text)
            field.onActiveFocusChanged: if (!field.activeFocus) root.controller.touch(root.name)
        }
    }
    Component {
        id: multiline
        TextArea {
            objectName: "input_" + root.name + "Input"  // the editable part, named as AppTextField names its own
            text: typeof root.value === "string" ? root.value : ""
            placeholderText: root.placeholder
            wrapMode: TextEdit.Wrap
            implicitHeight: Math.max(Theme.touchMin * 2, contentHeight + topPadding + bottomPadding)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            padding: Theme.spacing
            background: Rectangle {
                radius: Theme.radius
                color: Theme.card
                border.width: parent.activeFocus ? 2 : 1
                border.color: root.error.length > 0 ? Theme.error : parent.activeFocus ? Theme.accent : Theme.border
            }
            onTextChanged: if (text !== root.value) root.set(text)
            onActiveFocusChanged: if (!activeFocus) root.controller.touch(root.name)
        }
    }
    Component {
        id: single
        Flow {
            spacing: Theme.spacing
            Repeater {
                model: root.options
                delegate: ChoiceChip {
                    required property string modelData
                    text: modelData
                    checked: root.value === modelData
                    onToggled: root.set(modelData)
                }
            }
        }
    }
    Component {
        id: multiple
        Flow {
            spacing: Theme.spacing
            Repeater {
                model: root.options
                delegate: ChoiceChip {
                    required property string modelData
                    multiple: true
                    text: modelData
                    checked: (root.value || []).indexOf(modelData) >= 0
                    onToggled: {
                        const current = (root.value || []).slice()
                        const at = current.indexOf(modelData)
                        if (at >= 0) current.splice(at, 1); else current.push(modelData)
                        root.set(current)
                    }
                }
            }
        }
    }
    Component {
        id: dropdown
        ComboBox {
            objectName: "input_" + root.name
            model: root.options
            currentIndex: root.options.indexOf(root.value)
            displayText: currentIndex < 0 ? (root.placeholder.length > 0 ? root.placeholder : qsTr("请选择")) : currentText
            implicitHeight: Theme.touchMin
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            delegate: ItemDelegate {
                required property string modelData
                required property int index
                width: ListView.view ? ListView.view.width : implicitWidth
                height: Theme.touchMin
                text: modelData
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            onActivated: (index) => root.set(root.options[index])
        }
    }
    Component {
        id: dateButton
        PickerButton {
            objectName: "input_" + root.name
            text: typeof root.value === "string" && root.value.length > 0 ? root.value : qsTr("请选择日期")
            empty: !(typeof root.value === "string" && root.value.length > 0)
            iconName: "calendar-event"
            onClicked: { picker.target = ""; picker.openWith(typeof root.value === "string" ? root.value : "") }
        }
    }
    Component {
        id: dateRange
        RowLayout {
            spacing: Theme.spacing
            PickerButton {
                objectName: "input_" + root.name + "_start"
                Layout.fillWidth: true
                text: root.value && root.value.start ? root.value.start : qsTr("开始日期")
                empty: !(root.value && root.value.start)
                iconName: "calendar-event"
                onClicked: { picker.target = "start"; picker.openWith(root.value ? root.value.start : "") }
            }
            Text { text: qsTr("至"); font.family: Theme.fontFamily; font.pixelSize: Theme.fontBody; color: Theme.text }
            PickerButton {
                objectName: "input_" + root.name + "_end"
                Layout.fillWidth: true
                text: root.value && root.value.end ? root.value.end : qsTr("结束日期")
                empty: !(root.value && root.value.end)
                iconName: "calendar-event"
                onClicked: { picker.target = "end"; picker.openWith(root.value ? root.value.end : "") }
            }
        }
    }
    Component {
        id: timeField
        AppTextField {
            objectName: "input_" + root.name
            text: typeof root.value === "string" ? root.value : ""
            placeholderText: root.placeholder.length > 0 ? root.placeholder : qsTr("时:分，如 14:30")
            inputMethodHints: Qt.ImhTime
            maximumLength: 5
            invalid: root.error.length > 0
            onTextEdited: root.set(text)
            field.onActiveFocusChanged: if (!field.activeFocus) root.controller.touch(root.name)
        }
    }
    Component {
        id: signature
        SignaturePad {
            objectName: "input_" + root.name
            onSigned: (png) => root.set(png)
            onCleared: root.set("")
        }
    }
    Component {
        id: attachment
        Text {
            text: qsTr("附件上传将在下一版本提供；如需提交材料，请按办事指南送至受理部门。")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
    }
    Component {
        id: deskOnlyNote
        Text {
            text: qsTr("此项需在办公电脑上传，自助终端上可不填。")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
    }
    Component {
        id: readOnlyText
        Rectangle {
            objectName: "input_" + root.name
            implicitHeight: Theme.touchMin
            radius: Theme.radius
            color: Theme.page
            border.color: Theme.border
            Text {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                verticalAlignment: Text.AlignVCenter
                // Server-assigned fields (单号, 流水号) have no value until the application reaches the server.
                text: String(root.value).length > 0 ? root.value : qsTr("提交后生成")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: String(root.value).length > 0 ? Theme.text : Theme.textSecondary
                elide: Text.ElideRight
            }
        }
    }

    DatePickerPopup {
        id: picker
        property string target: ""
        parent: Overlay.overlay
        onPicked: (date) => {
            if (target === "") {
                root.set(date)
            } else {
                const range = { start: root.value ? root.value.start : "", end: root.value ? root.value.end : "" }
                range[target] = date
                root.set(range)
            }
            root.controller.touch(root.name)
        }
    }

    component PickerButton: Rectangle {
        id: pickerButton
        property string text
        property string iconName
        property bool empty: false
        signal clicked()
        implicitHeight: Theme.touchMin
        radius: Theme.radius
        color: pickerTap.pressed ? Theme.primaryLight : Theme.card
        border.width: 1
        border.color: root.error.length > 0 ? Theme.error : Theme.border
        Row {
            anchors.left: parent.left
            anchors.leftMargin: Theme.spacing
            anchors.verticalCenter: parent.verticalCenter
            spacing: Theme.spacing / 2
            AppIcon { anchors.verticalCenter: parent.verticalCenter; name: pickerButton.iconName; color: Theme.textSecondary }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: pickerButton.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: pickerButton.empty ? Theme.textSecondary : Theme.text
            }
        }
        TapHandler { id: pickerTap; onTapped: pickerButton.clicked() }
    }
}
