pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// What became of a form once sent: 提交成功 with its 流水号 and 单号, 提交未被受理 with the server's reason, or
// 已保存，待同步 while it waits in the outbox; then 完成.
ColumnLayout {
    id: root
    objectName: "formSaved"
    required property string submitState  // pending | applied | rejected | parked, as SyncBadge says
    required property string submitError
    required property string serial
    required property string docNo
    required property bool resubmitting
    signal done()

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
              : qsTr("申请已保存在本机，联网后自动提交；退出登录也不会丢失。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: root.submitState === "rejected" ? Theme.error : Theme.textSecondary
    }
    SyncBadge {
        Layout.alignment: Qt.AlignHCenter
        state_: root.submitState
        reason: root.submitError
    }
    AppButton {
        objectName: "doneButton"
        Layout.alignment: Qt.AlignHCenter
        kind: "primary"
        text: qsTr("完成")
        onClicked: root.done()
    }
    Item { Layout.fillHeight: true }
}
