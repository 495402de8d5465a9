pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 邮箱授权码: on a campus whose mail counter logs in with each user's own app password (docs/portal.md), the user
// gives it here. It goes once to the school's server over HTTPS and is not kept on this terminal: the field is
// emptied as soon as it is sent.
HomeCard {
    id: root
    objectName: "mailPasswordCard"
    title: qsTr("邮箱授权码")
    iconName: "mail"
    property Item saveButton: saveButton

    function send() {
        if (field.text.length === 0) {
            field.errorText = qsTr("请输入授权码")
            return
        }
        MailPassword.save(field.text)
        field.text = ""
        field.revealed = false
        field.field.focus = false
    }

    Text {
        Layout.fillWidth: true
        text: qsTr("首页的未读邮件用您邮箱的授权码读取。请在邮箱的设置中生成授权码后填写；授权码加密保存在学校服务器，本机不保留。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    Text {
        objectName: "mailPasswordStatus"
        Layout.fillWidth: true
        text: MailPassword.isSet ? qsTr("已填写（%1）").arg(MailPassword.updatedAt)
                                 : qsTr("未填写：首页暂不显示未读邮件数")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: MailPassword.isSet ? Theme.success : Theme.warning
        wrapMode: Text.Wrap
    }
    AppTextField {
        id: field
        objectName: "mailPasswordField"
        Layout.fillWidth: true
        iconName: "lock"
        placeholderText: MailPassword.isSet ? qsTr("输入新的授权码以更换") : qsTr("请输入邮箱授权码")
        revealable: true
        echoMode: revealed ? TextInput.Normal : TextInput.Password
        maximumLength: 256
        // As the login's password: nothing learned or predicted by the virtual keyboard.
        inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                          | Qt.ImhLatinOnly | Qt.ImhPreferLatin | Qt.ImhNoAutoUppercase
        onTextEdited: errorText = ""
        onAccepted: root.send()
    }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.spacing
        AppButton {
            id: saveButton
            objectName: "mailPasswordSave"
            kind: "primary"
            enabled: !MailPassword.busy
            text: MailPassword.busy ? qsTr("正在提交…") : qsTr("保存授权码")
            onClicked: root.send()
        }
        AppButton {
            objectName: "mailPasswordRemove"
            visible: MailPassword.isSet
            enabled: !MailPassword.busy
            kind: "secondary"
            iconName: "x"
            text: qsTr("删除授权码")
            onClicked: MailPassword.remove()
        }
    }
    Text {
        objectName: "mailPasswordMessage"
        Layout.fillWidth: true
        visible: text.length > 0
        text: MailPassword.message
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
}
