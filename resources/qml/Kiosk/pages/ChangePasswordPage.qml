pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 修改密码. At the first login the manual's rule applies: change the initial password before anything else;
// then the only other way is 退出.
Item {
    id: root
    objectName: "changePasswordPage"
    readonly property bool forced: Session.mustChangePassword
    signal done()
    signal cancelled()

    function submit() {
        Session.changePassword(oldField.text, newField.text, confirmField.text)
    }

    Connections {
        target: Session
        function onErrorChanged() {
            oldField.errorText = Session.errorField === "old" ? Session.error : ""
            newField.errorText = Session.errorField === "new" ? Session.error : ""
            confirmField.errorText = Session.errorField === "confirm" ? Session.error : ""
        }
        function onPasswordChanged() { root.done() }
    }

    FormScroller {
        id: flick
        anchors.fill: parent
        contentHeight: Math.max(height, card.implicitHeight + 2 * Theme.margin)
        keepVisible: submitButton

        Rectangle {
            id: card
            width: Math.min(flick.width - 2 * Theme.margin, 760)
            x: (flick.width - width) / 2
            y: Math.max(Theme.margin, (flick.contentHeight - implicitHeight) / 2)
            implicitHeight: column.implicitHeight + 2 * Theme.spacingLarge
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.border

            ColumnLayout {
                id: column
                anchors.fill: parent
                anchors.margins: Theme.spacingLarge
                spacing: Theme.spacing

                Text {
                    text: root.forced ? qsTr("修改初始密码") : qsTr("修改密码")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.primary
                }
                Text {
                    objectName: "forcedNotice"
                    Layout.fillWidth: true
                    visible: root.forced
                    text: qsTr("您是第一次登录，须要修改密码才能使用。")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: Theme.warning
                    wrapMode: Text.Wrap
                }
                Text {
                    Layout.fillWidth: true
                    text: qsTr("新密码至少 8 位，须同时包含字母和数字，不能包含学号/工号。")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                }
                AppTextField {
                    id: oldField
                    objectName: "oldPasswordField"
                    Layout.fillWidth: true
                    iconName: "lock"
                    placeholderText: root.forced ? qsTr("原密码（身份证后6位）") : qsTr("原密码")
                    echoMode: revealed ? TextInput.Normal : TextInput.Password
                    revealable: true
                    maximumLength: 128
                    inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                    onTextEdited: errorText = ""
                    onAccepted: newField.field.forceActiveFocus()
                }
                AppTextField {
                    id: newField
                    objectName: "newPasswordField"
                    Layout.fillWidth: true
                    iconName: "lock"
                    placeholderText: qsTr("新密码")
                    echoMode: revealed ? TextInput.Normal : TextInput.Password
                    revealable: true
                    maximumLength: 128
                    inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                    hint: Session.passwordHint(text)
                    onTextEdited: errorText = ""
                    onAccepted: confirmField.field.forceActiveFocus()
                }
                // Strength, as a bar and a word.
                RowLayout {
                    id: meter
                    objectName: "strengthMeter"
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    readonly property int score: Session.passwordStrength(newField.text)
                    Repeater {
                        model: 4
                        delegate: Rectangle {
                            required property int index
                            Layout.fillWidth: true
                            height: 8
                            radius: 4
                            color: index < meter.score
                                   ? (meter.score <= 1 ? Theme.error : meter.score === 2 ? Theme.warning : Theme.success)
                                   : Theme.border
                        }
                    }
                    Text {
                        objectName: "strengthText"
                        text: [qsTr("未输入"), qsTr("弱"), qsTr("中"), qsTr("强"), qsTr("很强")][meter.score]
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
                AppTextField {
                    id: confirmField
                    objectName: "confirmPasswordField"
                    Layout.fillWidth: true
                    iconName: "lock"
                    placeholderText: qsTr("再次输入新密码")
                    echoMode: revealed ? TextInput.Normal : TextInput.Password
                    revealable: true
                    maximumLength: 128
                    inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                    onTextEdited: errorText = ""
                    onAccepted: root.submit()
                }
                Text {
                    objectName: "changeMessage"
                    Layout.fillWidth: true
                    visible: Session.errorField === "" && Session.error.length > 0
                    text: Session.error
                    color: Theme.error
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    AppButton {
                        objectName: "cancelChangeButton"
                        Layout.fillWidth: true
                        kind: "secondary"
                        text: root.forced ? qsTr("退出") : qsTr("取消")
                        onClicked: root.forced ? Session.logout() : root.cancelled()
                    }
                    AppButton {
                        id: submitButton
                        objectName: "submitPasswordButton"
                        Layout.fillWidth: true
                        kind: "primary"
                        enabled: !Session.busy
                        text: Session.busy ? qsTr("正在提交…") : qsTr("确认修改")
                        onClicked: root.submit()
                    }
                }
            }
        }
    }
}
