pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 通知设置: which notifications the school's server also sends by e-mail. The in-app 消息 always arrive; a switch
// is saved here at once (offline too) and reaches the user's other devices through the server.
HomeCard {
    id: root
    objectName: "notifySettings"
    title: qsTr("通知设置")
    iconName: "bell"

    Text {
        Layout.fillWidth: true
        text: qsTr("站内消息总会送达，以下选择是否同时发送邮件。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    SwitchRow {
        objectName: "notifyEmailTodo"
        Layout.fillWidth: true
        text: qsTr("待办邮件")
        detail: qsTr("有新的待办或催办时发邮件")
        checked: NotifySettings.emailTodo
        onToggled: NotifySettings.setEmail("email_todo", !NotifySettings.emailTodo)
    }
    SwitchRow {
        objectName: "notifyEmailResult"
        Layout.fillWidth: true
        text: qsTr("办理结果邮件")
        detail: qsTr("申请办结、被驳回或退回时发邮件")
        checked: NotifySettings.emailResult
        onToggled: NotifySettings.setEmail("email_result", !NotifySettings.emailResult)
    }
    SyncBadge {
        objectName: "notifySyncBadge"
        state_: NotifySettings.syncState
        reason: NotifySettings.syncError
    }
}
