pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// What became of a form once sent, in one state that the badge under it repeats (no toast contradicts it):
// 已保存，待同步 while it waits in the outbox, 提交成功 with its 流水号 and 单号 once the school has it, or 提交未被
// 受理 with the server's reason. Then what happens next: the next step and its 办理人, how long, where, what to
// bring; then 完成.
ColumnLayout {
    id: root
    objectName: "formSaved"
    required property string submitState  // pending | applied | rejected | parked, as SyncBadge says
    required property string submitError
    required property string serial
    required property string docNo
    required property bool resubmitting
    required property var info        // Catalog.process(code): office, expected days, materials
    required property var nextStep    // {name, choose, handlers}
    required property string nextHandler
    signal done()

    function handlerName(): string {
        const people = root.nextStep.handlers || []
        for (let i = 0; i < people.length; ++i)
            if (people[i].user_id === root.nextHandler)
                return people[i].name
        return ""
    }

    spacing: Theme.spacingLarge
    Item { Layout.fillHeight: true }
    AppIcon {
        Layout.alignment: Qt.AlignHCenter
        name: root.submitState === "rejected" ? "alert-circle" : "circle-check"
        size: Theme.iconSize * 3
        color: root.submitState === "rejected" ? Theme.error : Theme.success
    }
    Text {
        objectName: "savedTitle"
        Layout.alignment: Qt.AlignHCenter
        text: root.submitState === "applied" ? (root.resubmitting ? qsTr("已重新提交") : qsTr("提交成功"))
              : root.submitState === "rejected" ? qsTr("提交未被受理") : qsTr("已保存，待同步")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontHero
        font.bold: true
        color: Theme.text
    }
    Text {
        objectName: "savedDetail"
        Layout.alignment: Qt.AlignHCenter
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: root.submitState === "applied"
              ? qsTr("流水号 %1%2。可在“我的申请”中查看办理进度。").arg(root.serial)
                    .arg(root.docNo.length > 0 ? qsTr("，单号 %1").arg(root.docNo) : "")
              : root.submitState === "rejected" ? root.submitError
              : qsTr("申请已保存在本机，联网后自动提交到学校；退出登录也不会丢失。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: root.submitState === "rejected" ? Theme.error : Theme.textSecondary
    }
    SyncBadge {
        Layout.alignment: Qt.AlignHCenter
        state_: root.submitState
        reason: root.submitError
    }
    // 接下来: where the application goes and what the student does next.
    Rectangle {
        objectName: "whatNext"
        visible: root.submitState !== "rejected"
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: Math.min(root.width, 960)
        implicitHeight: nextColumn.implicitHeight + 2 * Theme.spacing
        radius: Theme.radius
        color: Theme.card
        border.color: Theme.border
        ColumnLayout {
            id: nextColumn
            anchors.fill: parent
            anchors.margins: Theme.spacing
            spacing: Theme.spacing / 2
            Text {
                text: qsTr("接下来")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.primary
            }
            NextLine {
                objectName: "whatNextStep"
                visible: (root.nextStep.name || "").length > 0
                text: root.handlerName().length > 0
                      ? qsTr("下一步：%1（办理人 %2）").arg(root.nextStep.name || "").arg(root.handlerName())
                      : (root.nextStep.handlers || []).length > 1
                        ? qsTr("下一步：%1（由先有空的办理人办理）").arg(root.nextStep.name || "")
                        : qsTr("下一步：%1").arg(root.nextStep.name || "")
            }
            NextLine {
                objectName: "whatNextWhen"
                text: (root.info.expectedDays || 0) > 0
                      ? qsTr("约 %1 个工作日办好，办好后会在“消息”和“我的申请”中通知您。").arg(root.info.expectedDays)
                      : qsTr("办好后会在“消息”和“我的申请”中通知您。")
            }
            NextLine {
                objectName: "whatNextWhere"
                visible: (root.info.contactOffice || "").length > 0
                text: qsTr("办理地点：%1 %2").arg(root.info.departmentName || "").arg(root.info.contactOffice || "")
            }
            NextLine {
                objectName: "whatNextBring"
                visible: (root.info.materials || []).length > 0
                text: qsTr("请带：%1").arg((root.info.materials || []).join(qsTr("、")))
            }
        }
    }
    AppButton {
        objectName: "doneButton"
        Layout.alignment: Qt.AlignHCenter
        kind: "primary"
        text: qsTr("完成")
        onClicked: root.done()
    }
    Item { Layout.fillHeight: true }

    component NextLine: Text {
        Layout.fillWidth: true
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.Wrap
    }
}
