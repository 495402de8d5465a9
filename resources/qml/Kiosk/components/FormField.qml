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
        // 选择文件 opens the system's file dialog; each file is checked and uploaded at once (its progress shown),
        // then listed with its size and a ✕. The form's value is the list of uploaded files.
        ColumnLayout {
            id: attachmentBox
            spacing: Theme.spacing / 2
            readonly property var files: root.value || []
            readonly property int inFlight: (root.uploads || []).filter(u => u.state === "uploading").length
            RowLayout {
                spacing: Theme.spacing
                AppButton {
                    objectName: "input_" + root.name + "_choose"
                    iconName: "paperclip"
                    text: qsTr("选择文件")
                    enabled: attachmentBox.files.length + attachmentBox.inFlight < root.maxCount
                    onClicked: fileDialog.active = true
                }
                Text {
                    Layout.fillWidth: true
                    text: qsTr("已上传 %1 / %2 个").arg(attachmentBox.files.length).arg(root.maxCount)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                }
            }
            Repeater {
                model: attachmentBox.files
                delegate: FileRow {
                    required property var modelData
                    objectName: "attachment_" + modelData.name
                    fileName: modelData.name
                    detail: root.controller.sizeText(modelData.size) + " · " + qsTr("已上传")
                    onRemove: root.controller.removeAttachment(root.name, modelData.id)
                }
            }
            Repeater {
                model: root.uploads || []
                delegate: FileRow {
                    required property var modelData
                    objectName: "upload_" + modelData.name
                    fileName: modelData.name
                    failed: modelData.state === "failed"
                    progress: modelData.state === "uploading" ? modelData.progress : -1
                    detail: modelData.state === "failed" ? modelData.message
                            : qsTr("上传中 %1%").arg(Math.round(modelData.progress * 100))
                    removable: modelData.state === "failed"
                    onRemove: root.controller.dismissUpload(root.name, modelData.token)
                }
            }
            Text {
                objectName: "attachmentNotice"
                visible: root.notice.length > 0
                Layout.fillWidth: true
                text: root.notice
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.error
                wrapMode: Text.Wrap
            }
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
                root.controller.touch(root.name)
            } else {
                const range = { start: root.value ? root.value.start : "", end: root.value ? root.value.end : "" }
                range[target] = date
                root.set(range)
                // The start alone is not a mistake yet: the field is judged once its end is picked too.
                if (range.start.length > 0 && range.end.length > 0)
                    root.controller.touch(root.name)
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

    component FileRow: Rectangle {
        id: fileRow
        property string fileName
        property string detail
        property bool failed: false
        property bool removable: true
        property real progress: -1   // 0…1 while uploading
        signal remove()
        Layout.fillWidth: true
        implicitHeight: Theme.touchMin
        radius: Theme.radius
        color: failed ? Theme.errorLight : Theme.card
        border.color: failed ? Theme.error : Theme.border
        // The upload's progress fills the row from the left.
        Rectangle {
            visible: fileRow.progress >= 0
            width: parent.width * Math.max(0, fileRow.progress)
            height: parent.height
            radius: parent.radius
            color: Theme.primaryLight
        }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing / 2
            spacing: Theme.spacing
            AppIcon { name: fileRow.failed ? "alert-circle" : "file"; color: fileRow.failed ? Theme.error : Theme.primary }
            Text {
                objectName: "fileName"
                Layout.maximumWidth: fileRow.width * 0.5
                text: fileRow.fileName
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                elide: Text.ElideMiddle
            }
            Text {
                objectName: "fileDetail"
                Layout.fillWidth: true
                text: fileRow.detail
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: fileRow.failed ? Theme.error : Theme.textSecondary
                elide: Text.ElideRight
            }
            AppButton {
                objectName: "removeFile"
                visible: fileRow.removable
                kind: "text"
                iconName: "x"
                text: ""
                Accessible.name: qsTr("移除 %1").arg(fileRow.fileName)
                onClicked: fileRow.remove()
            }
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
