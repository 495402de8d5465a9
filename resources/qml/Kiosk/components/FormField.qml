pragma ComponentBehavior: Bound
import QtCore
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Dialogs
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
    // Attachment fields (desk mode): files on their way or refused, the last problem with a choice, the limits.
    required property var uploads
    required property string notice
    required property var accept
    required property int maxCount
    // A handler's 批注 on this field (a returned application being corrected).
    property string annotation: ""
    // What a read-only field shows instead of its value (a 身份证号 masked on a kiosk).
    property string shown: ""
    // The options as shown (English mode: the form's English); the value stays the option itself.
    property var optionLabels: []
    // Filled from the school's records (联系电话), yet the applicant may give another value for this application.
    property bool changeable: false

    objectName: "field_" + name
    spacing: 4

    signal nextRequested()  // ↵ on a one-line field: on to the next field to type, as a phone does

    function set(v: var) { root.controller.setValue(root.name, v) }
    // 使用其他号码: the field opens empty, focused, with its keyboard up (the digit pad for a phone); 用登记的号码
    // puts the school's value back, read-only.
    function useSchoolValue(use: bool) {
        root.controller.useSchoolValue(root.name, use)
        const typing = input.item as AppTextField  // the line edit that took the read-only text's place
        if (!use && typing !== null) {
            typing.field.forceActiveFocus()
            Qt.inputMethod.show() // qmllint disable missing-property
        }
    }
    // A choice, a date or a signature ends the typing: the keyboard goes and the text field lets go of the focus,
    // so the form gets the screen back (with the keyboard up a choice left ≈ 270 px of form).
    function closeKeyboard() {
        root.forceActiveFocus()
        Qt.inputMethod.hide() // qmllint disable missing-property
    }

    RowLayout {
        id: labelRow
        // A read-only field says its label inside its one line (姓名 王子涵 🔒): what the school filled in is short.
        visible: !root.readOnly || root.hint.length > 0
        Layout.fillWidth: true
        spacing: Theme.spacing / 2
        Text {
            objectName: "fieldLabel"
            // No * on what the user cannot change (姓名 from the profile, a 单号 the server assigns): nothing to fill.
            text: root.label + (root.required_ && !root.readOnly ? " *" : "")
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
        AppButton {
            objectName: "keepSchool_" + root.name
            visible: root.changeable && !root.readOnly
            kind: "text"
            implicitHeight: Math.round(Theme.touchMin * 0.75)
            text: root.widget === "mobile" ? qsTr("用登记的号码") : qsTr("用登记的信息")
            onClicked: Qt.callLater(root.useSchoolValue, true)
        }
    }

    Rectangle {
        objectName: "annotation"
        visible: root.annotation.length > 0
        Layout.fillWidth: true
        implicitHeight: annotationText.implicitHeight + Theme.spacing
        radius: Theme.radius / 2
        color: Qt.rgba(Theme.warning.r, Theme.warning.g, Theme.warning.b, 0.10)
        border.color: Theme.warning
        Text {
            id: annotationText
            anchors.fill: parent
            anchors.margins: Theme.spacing / 2
            text: qsTr("批注 · %1").arg(root.annotation)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.text
            wrapMode: Text.Wrap
        }
    }

    Loader {
        id: input
        Layout.fillWidth: true
        sourceComponent: root.widget === "section" ? null
                         : root.deskOnly ? deskOnlyNote
                         : root.readOnly ? readOnlyText
                         : root.widget === "textarea" ? multiline
                         : root.widget === "radio" || (root.widget === "select" && root.options.length <= 6) ? chips
                         : root.widget === "select" ? dropdown
                         : root.widget === "checkboxes" ? chips
                         : root.widget === "date" ? dateButton
                         : root.widget === "daterange" ? dateRange
                         : root.widget === "time" ? timeField
                         : root.widget === "signature" ? signature
                         : root.widget === "attachment" ? attachment
                         : lineEdit
    }

    Text {
        // A desk-only field's help is about files a kiosk does not take.
        visible: root.help.length > 0 && !root.deskOnly
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
            // The keyboard follows the field: the digit pad for numbers (and, with the X key beside the field, for
            // a 身份证号), digits first with letters a tap away for a 学号/工号, Pinyin (the UI's language) for text.
            inputMethodHints: root.widget === "mobile" || root.widget === "number" || root.widget === "idcard"
                              ? (Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText)
                              : root.widget === "money" ? Qt.ImhFormattedNumbersOnly
                              : root.widget === "userid" ? (Qt.ImhPreferNumbers | Qt.ImhLatinOnly | Qt.ImhPreferUppercase
                                                            | Qt.ImhNoPredictiveText)
                              : Qt.ImhNone
            extraKey: root.widget === "idcard" && Theme.kiosk ? "X" : ""
            invalid: root.error.length > 0  // the message is drawn under the field, with help before it
            onTextEdited: root.set(text)
            onAccepted: root.nextRequested()
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
        id: chips
        ChoiceField {
            options: root.options
            labels: root.optionLabels
            value: root.value
            multiple: root.widget === "checkboxes"
            onChosen: (choice) => { root.closeKeyboard(); root.set(choice) }
        }
    }
    Component {
        id: dropdown
        ComboBox {
            objectName: "input_" + root.name
            model: root.options
            currentIndex: root.options.indexOf(root.value)
            displayText: currentIndex < 0 ? (root.placeholder.length > 0 ? root.placeholder : qsTr("请选择"))
                         : (root.optionLabels[currentIndex] || currentText)
            implicitHeight: Theme.touchMin
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            delegate: ItemDelegate {
                required property string modelData
                required property int index
                width: ListView.view ? ListView.view.width : implicitWidth
                height: Theme.touchMin
                text: root.optionLabels[index] || modelData
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            onActivated: (index) => root.set(root.options[index])
            // A tap beside the open list only closes it: not modal, the list let it through to the page (查看未填项,
            // 返回, a chip) as it closed.
            popup.modal: true
            popup.dim: false
            // The keyboard goes, but the focus stays with the box: taken from it (closeKeyboard) its press was
            // cancelled and the list never opened.
            onPressedChanged: if (pressed) Qt.inputMethod.hide() // qmllint disable missing-property
        }
    }
    Component {
        id: dateButton
        DateField {
            name: root.name
            value: root.value
            invalid: root.error.length > 0
            onClicked: root.closeKeyboard()
            onPicked: (date) => { root.set(date); root.controller.touch(root.name) }
        }
    }
    Component {
        id: dateRange
        DateRangeField {
            name: root.name
            value: root.value
            invalid: root.error.length > 0
            onOpening: root.closeKeyboard()
            onPicked: (range) => {
                root.set(range)
                // The start alone is not a mistake yet: the field is judged once its end is picked too.
                if (range.start.length > 0 && range.end.length > 0)
                    root.controller.touch(root.name)
            }
        }
    }
    Component {
        id: timeField
        AppTextField {
            objectName: "input_" + root.name
            text: typeof root.value === "string" ? root.value : ""
            placeholderText: root.placeholder.length > 0 ? root.placeholder : qsTr("时:分，如 14:30")
            // The digit pad, with the ":" it lacks beside the field (Qt.ImhTime opened the Pinyin keyboard).
            inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
            extraKey: Theme.kiosk ? ":" : ""
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
            onStarted: root.closeKeyboard()
            onSigned: (png) => root.set(png)
            onCleared: root.set("")
        }
    }
    Component {
        id: attachment
        // 选择文件 opens the system's file dialog; each file is checked and uploaded at once (its progress shown),
        // then listed with its size and a ✕. The form's value is the list of uploaded files.
        AttachmentField {
            name: root.name
            files: (root.value || []).map(f => ({ id: f.id, name: f.name, sizeText: root.controller.sizeText(f.size) }))
            uploads: root.uploads
            notice: root.notice
            maxCount: root.maxCount
            onChooseFiles: fileDialog.active = true
            onRemoveFile: (id) => root.controller.removeAttachment(root.name, id)
            onDismissUpload: (token) => root.controller.dismissUpload(root.name, token)
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
        // Read-only looks unlike an input: no white box and no frame, text on the page's grey, and a lock.
        Rectangle {
            objectName: "input_" + root.name
            // Nothing to touch but 使用其他号码 (a 48 px target on a kiosk): lower than an input.
            implicitHeight: Math.round(Theme.touchMin * 0.75)
            // As wide as what it says, so several of them share a line (the form page packs them).
            implicitWidth: 2 * Theme.spacing + readOnlyValue.implicitWidth + Theme.iconSize
                           + (readOnlyLabel.visible ? readOnlyLabel.implicitWidth + Theme.spacing / 2 : 0)
                           + (changeButton.visible ? changeButton.implicitWidth + Theme.spacing / 2 : 0)
            radius: Theme.radius
            color: Theme.page
            Row {
                id: readOnlyRow
                x: Theme.spacing / 2
                width: parent.width - Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                spacing: Theme.spacing / 2
                Text {
                    id: readOnlyLabel
                    visible: !labelRow.visible
                    anchors.verticalCenter: parent.verticalCenter
                    text: root.label
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.textSecondary
                }
                Text {
                    id: readOnlyValue
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.min(implicitWidth, readOnlyRow.width - (readOnlyLabel.visible ? readOnlyLabel.width
                           + readOnlyRow.spacing : 0) - readOnlyRow.spacing - Theme.iconSize
                           - (changeButton.visible ? changeButton.width + readOnlyRow.spacing : 0))
                    // Server-assigned fields (单号, 流水号) have no value until the application reaches the server.
                    text: root.shown.length > 0 ? root.shown
                          : String(root.value).length > 0 ? root.value : qsTr("提交后生成")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: String(root.value).length > 0 ? Theme.text : Theme.textSecondary
                    elide: Text.ElideRight
                }
                AppIcon {
                    objectName: "readOnlyMark"
                    anchors.verticalCenter: parent.verticalCenter
                    name: "lock"
                    color: Theme.textSecondary
                }
                AppButton {
                    id: changeButton
                    objectName: "change_" + root.name
                    visible: root.changeable
                    anchors.verticalCenter: parent.verticalCenter
                    implicitHeight: Math.round(Theme.touchMin * 0.75)
                    kind: "text"
                    text: root.widget === "mobile" ? qsTr("使用其他号码") : qsTr("修改")
                    onClicked: Qt.callLater(root.useSchoolValue, false)  // after this button's own handler: it goes
                }
            }
        }
    }

    // The system's file dialog, made only when 选择文件 is pressed (desk mode; a kiosk never shows one).
    Loader {
        id: fileDialog
        objectName: "fileDialogLoader"
        active: false
        sourceComponent: FileDialog {
            title: qsTr("选择要上传的文件")
            fileMode: FileDialog.OpenFiles
            currentFolder: StandardPaths.standardLocations(StandardPaths.HomeLocation)[0]  // not the program's folder
            nameFilters: [qsTr("附件 (%1)").arg((root.accept || []).map(e => "*." + e + " *." + e.toUpperCase()).join(" "))]
            Component.onCompleted: open()
            onAccepted: { root.controller.addFiles(root.name, selectedFiles); fileDialog.active = false }
            onRejected: fileDialog.active = false
        }
    }
}
