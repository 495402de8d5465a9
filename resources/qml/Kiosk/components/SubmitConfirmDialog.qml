pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// 提交 asks first: a kiosk user in a queue must not send by a stray touch. Says what sending does and, as the
// manual's 完成本操作后，流程将转到以下步骤 and 选择审核人, the first step and, when the applicant may choose, its
// handlers (none chosen: whichever of them takes it first).
Popup {
    id: root
    objectName: "confirmDialog"
    required property string processName
    required property bool resubmitting
    required property var nextStep        // {name, choose, handlers: [{user_id, name}]}, or {} while unknown
    required property string nextHandler  // the handler chosen, or ""
    signal handlerChosen(string userId)   // "" when the chosen one is tapped again
    signal confirmed()

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 720, 720)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.5) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }
    contentItem: ColumnLayout {
        spacing: Theme.spacingLarge
        Text {
            text: root.resubmitting ? qsTr("确认重新提交？") : qsTr("确认提交？")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            text: root.resubmitting
                  ? qsTr("修改后的“%1”将重新进入审批流程。").arg(root.processName)
                  : qsTr("提交“%1”后将进入审批流程，提交后不能再修改表单内容。").arg(root.processName)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "nextStep"
            visible: (root.nextStep.name || "").length > 0
            Layout.fillWidth: true
            text: qsTr("完成本操作后，流程将转到：%1").arg(root.nextStep.name || "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Flow {
            visible: root.nextStep.choose === true
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                model: root.nextStep.choose === true ? root.nextStep.handlers : []
                delegate: ChoiceChip {
                    required property var modelData
                    objectName: "handler_" + modelData.user_id
                    text: qsTr("办理人 %1").arg(modelData.name)
                    checked: root.nextHandler === modelData.user_id
                    onToggled: root.handlerChosen(checked ? "" : modelData.user_id)
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppButton {
                objectName: "confirmCancel"
                Layout.fillWidth: true
                text: qsTr("再检查一下")
                onClicked: root.close()
            }
            AppButton {
                objectName: "confirmSubmit"
                Layout.fillWidth: true
                kind: "primary"
                text: root.resubmitting ? qsTr("确认重新提交") : qsTr("确认提交")
                onClicked: { root.close(); root.confirmed() }
            }
        }
    }
}
