pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// 提交 asks first: a kiosk user in a queue must not send by a stray touch. Reads as the manual's dialog: what
// sending does, 完成本操作后，流程将转到以下步骤 with the step's 办理人 already chosen (its only holder; with several,
// 任一办理人: whichever of them is free first, and a word that choosing is not needed), then 取消 / 好.
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
        // The manual's 完成本操作后，流程将转到以下步骤 — “现教中心实验室管理科接收：办理人 贾孟杰”: the step and
        // who will handle it, already chosen, so that 好 is all a student needs.
        Text {
            objectName: "nextStep"
            visible: (root.nextStep.name || "").length > 0
            Layout.fillWidth: true
            text: qsTr("完成本操作后，流程将转到：%1").arg(root.nextStep.name || "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Flow {
            visible: root.nextStep.choose === true
            Layout.fillWidth: true
            spacing: Theme.spacing
            // Several people hold the post: by default it goes to all of them and the first free one takes it;
            // naming one sends it to that person only.
            ChoiceChip {
                objectName: "handler_any"
                visible: (root.nextStep.handlers || []).length > 1
                text: qsTr("任一办理人（最快）")
                checked: root.nextHandler.length === 0
                onToggled: root.handlerChosen("")
            }
            Repeater {
                model: root.nextStep.choose === true ? root.nextStep.handlers : []
                delegate: ChoiceChip {
                    required property var modelData
                    objectName: "handler_" + modelData.user_id
                    text: qsTr("办理人 %1").arg(modelData.name)
                    checked: root.nextHandler === modelData.user_id
                    onToggled: root.handlerChosen(checked && (root.nextStep.handlers || []).length > 1
                                                  ? "" : modelData.user_id)
                }
            }
        }
        Text {
            objectName: "handlerNote"
            visible: root.nextStep.choose === true
            Layout.fillWidth: true
            text: (root.nextStep.handlers || []).length > 1
                  ? qsTr("不必选择：由先有空的办理人办理。选择某位办理人后，只交给他一人办理。")
                  : qsTr("该步骤只有这一位办理人，已为您选好。")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppButton {
                objectName: "confirmCancel"
                Layout.fillWidth: true
                text: qsTr("取消")
                onClicked: root.close()
            }
            AppButton {
                objectName: "confirmSubmit"
                Layout.fillWidth: true
                kind: "primary"
                text: qsTr("好")
                onClicked: { root.close(); root.confirmed() }
            }
        }
    }
}
