pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 统一身份认证平台: the manual's login box — 学号/工号 and password, or the phone QR code — with its two rules.
// Reflows: side by side in landscape, stacked on a portrait totem.
Item {
    id: root
    objectName: "loginPage"
    signal browse()

    readonly property bool landscape: width >= height
    property bool qrMode: false
    // The server's answer (Chinese from the server, shown as is) unless it belongs to one field.
    readonly property string message: Session.errorField === "" ? Session.error : ""

    function submit() {
        const id = userField.text.trim()
        userField.errorText = id.length === 0 ? qsTr("请输入工号/学号") : ""
        passwordField.errorText = passwordField.text.length === 0 ? qsTr("请输入密码") : ""
        if (userField.errorText.length > 0 || passwordField.errorText.length > 0)
            return
        Session.login(id, passwordField.text, rememberMe.checked)
    }

    onQrModeChanged: qrMode ? QrLogin.start() : QrLogin.stop()
    // Leaving the page (not quitting the app) ends the QR polling.
    StackView.onRemoved: QrLogin.stop()

    Connections {
        target: Session
        function onErrorChanged() {
            userField.errorText = Session.errorField === "user" ? Session.error : ""
            passwordField.errorText = Session.errorField === "password" ? Session.error : ""
            // A wrong password is typed again from scratch; the ID stays.
            if (Session.error.length > 0)
                passwordField.text = ""
        }
    }

    FormScroller {
        id: flick
        anchors.fill: parent
        contentHeight: Math.max(height, layout.implicitHeight + 2 * Theme.margin)
        keepVisible: loginButton

        GridLayout {
            id: layout
            width: Math.min(flick.width - 2 * Theme.margin, root.landscape ? 1500 : 900)
            x: (flick.width - width) / 2
            y: Math.max(Theme.margin, (flick.contentHeight - implicitHeight) / 2)
            columns: root.landscape ? 2 : 1
            columnSpacing: Theme.spacingLarge * 2
            rowSpacing: Theme.spacingLarge

            // Welcome, as the hall's home page greets its users.
            Column {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
                spacing: Theme.spacing
                Text {
                    width: parent.width
                    text: AppState.schoolName
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    color: Theme.primary
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: AppState.schoolNameEn
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                }
                Item { width: 1; height: Theme.spacing }
                Text {
                    width: parent.width
                    text: qsTr("一站式办事大厅欢迎您！")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontTitle
                    color: Theme.text
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: qsTr("全天候 零距离 · 少跑腿、多办事")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                }
                AppButton {
                    objectName: "browseButton"
                    kind: "secondary"
                    iconName: "building-community"
                    text: qsTr("先看看办事指南")
                    onClicked: root.browse()
                }
            }

            // The login card.
            Rectangle {
                objectName: "loginCard"
                Layout.fillWidth: true
                Layout.preferredWidth: root.landscape ? 640 : -1
                Layout.maximumWidth: 720
                Layout.alignment: Qt.AlignHCenter | Qt.AlignVCenter
                implicitHeight: card.implicitHeight + 2 * Theme.spacingLarge
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border

                ColumnLayout {
                    id: card
                    anchors.fill: parent
                    anchors.margins: Theme.spacingLarge
                    spacing: Theme.spacing

                    Text {
                        Layout.alignment: Qt.AlignHCenter
                        text: qsTr("统一身份认证平台")
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                        color: Theme.primary
                    }

                    // IT stopped honouring this terminal (or never enrolled it): say so before anyone types.
                    Rectangle {
                        objectName: "deviceProblem"
                        Layout.fillWidth: true
                        visible: Enrollment.problem.length > 0
                        implicitHeight: problemRow.implicitHeight + 2 * Theme.spacing
                        radius: Theme.radius
                        color: Theme.errorLight
                        border.color: Theme.error
                        RowLayout {
                            id: problemRow
                            anchors.fill: parent
                            anchors.margins: Theme.spacing
                            spacing: Theme.spacing
                            AppIcon {
                                name: "alert-circle"
                                color: Theme.error
                            }
                            Text {
                                objectName: "deviceProblemText"
                                Layout.fillWidth: true
                                text: Enrollment.problem === "device_revoked" ? qsTr("此设备已被停用，请联系信息中心")
                                      : Enrollment.problem === "device_unknown" ? qsTr("此设备未登记，请联系信息中心")
                                      : qsTr("设备登记失败：%1").arg(Enrollment.detail)
                                color: Theme.error
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                wrapMode: Text.Wrap
                            }
                        }
                    }

                    // Account / QR switch.
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        Repeater {
                            model: [
                                { qr: false, label: qsTr("账号登录"), name: "tabAccount" },
                                { qr: true, label: qsTr("扫码登录"), name: "tabQr" }
                            ]
                            delegate: AppButton {
                                required property var modelData
                                objectName: modelData.name
                                Layout.fillWidth: true
                                kind: root.qrMode === modelData.qr ? "primary" : "secondary"
                                implicitHeight: Theme.touchMin
                                text: modelData.label
                                onClicked: root.qrMode = modelData.qr
                            }
                        }
                    }

                    // Account login.
                    ColumnLayout {
                        visible: !root.qrMode
                        Layout.fillWidth: true
                        spacing: Theme.spacing

                        AppTextField {
                            id: userField
                            objectName: "userField"
                            Layout.fillWidth: true
                            iconName: "user"
                            placeholderText: qsTr("请输入工号/学号")
                            maximumLength: 32
                            // Digits first (a 学号 is digits), letters of a 工号 one tap away, never Pinyin.
                            inputMethodHints: Qt.ImhPreferNumbers | Qt.ImhLatinOnly | Qt.ImhPreferUppercase
                                              | Qt.ImhNoPredictiveText
                            hint: qsTr("字母会自动转为大写")
                            // The manual's rule: letters in a 学号/工号 are upper-case.
                            onTextEdited: {
                                const upper = text.toUpperCase()
                                if (upper !== text) {
                                    const pos = field.cursorPosition
                                    text = upper
                                    field.cursorPosition = pos
                                }
                                errorText = ""
                            }
                            onAccepted: passwordField.field.forceActiveFocus()
                        }
                        AppTextField {
                            id: passwordField
                            objectName: "passwordField"
                            Layout.fillWidth: true
                            iconName: "lock"
                            placeholderText: qsTr("请输入密码")
                            revealable: true
                            echoMode: revealed ? TextInput.Normal : TextInput.Password
                            maximumLength: 128
                            // Latin with Shift (the keyboard panel follows these hints), nothing learned or predicted.
                            inputMethodHints: Qt.ImhHiddenText | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                                              | Qt.ImhLatinOnly | Qt.ImhPreferLatin | Qt.ImhNoAutoUppercase
                            onTextEdited: errorText = ""
                            onAccepted: root.submit()
                        }
                        Text {
                            objectName: "loginMessage"
                            Layout.fillWidth: true
                            visible: root.message.length > 0
                            text: root.message
                            color: Theme.error
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            wrapMode: Text.Wrap
                        }
                        CheckBox {
                            id: rememberMe
                            objectName: "rememberMe"
                            visible: Session.canRemember
                            text: qsTr("记住我（仅限个人办公电脑）")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }
                        AppButton {
                            id: loginButton
                            objectName: "loginButton"
                            Layout.fillWidth: true
                            kind: "primary"
                            enabled: !Session.busy
                            text: Session.busy ? qsTr("正在登录…") : qsTr("登录")
                            onClicked: root.submit()
                        }
                    }

                    // QR login: the kiosk shows a code; the user confirms on their phone.
                    Column {
                        objectName: "qrPanel"
                        visible: root.qrMode
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        Rectangle {
                            anchors.horizontalCenter: parent.horizontalCenter
                            // About 10 cm on a 21.5" 1080p panel: a phone reads it from 40 cm.
                            width: Theme.kiosk ? 400 : 240
                            height: width
                            radius: Theme.radius
                            color: "white"
                            border.color: Theme.border
                            Image {
                                id: qrImage
                                objectName: "qrImage"
                                anchors.fill: parent
                                anchors.margins: 4
                                // Contested, the code is of no use to anyone here: the warning gets the square.
                                visible: QrLogin.source.length > 0
                                         && (QrLogin.state === "pending" || QrLogin.state === "scanned")
                                source: QrLogin.source
                                sourceSize.width: width
                                sourceSize.height: height
                                smooth: false
                                cache: false
                                opacity: QrLogin.state === "scanned" ? 0.15 : 1
                            }
                            EmptyState {
                                objectName: "qrState"
                                anchors.centerIn: parent
                                width: parent.width - 2 * Theme.spacing
                                visible: !qrImage.visible || QrLogin.state === "scanned"
                                iconName: QrLogin.state === "scanned" ? "circle-check"
                                          : QrLogin.state === "contested" ? "alert-circle"
                                          : QrLogin.state === "error" ? "wifi-off"
                                          : QrLogin.state === "denied" ? "x" : "loader-2"
                                title: QrLogin.state === "scanned" ? qsTr("已扫码")
                                       : QrLogin.state === "contested" ? qsTr("二维码已被他人扫描")
                                       : QrLogin.state === "denied" ? qsTr("已在手机上取消")
                                       : QrLogin.state === "error" ? qsTr("暂时无法获取二维码")
                                       : QrLogin.state === "confirmed" ? qsTr("正在登录…")
                                       : qsTr("正在获取二维码…")
                                detail: QrLogin.state === "scanned" ? qsTr("%1，请在手机上点“确认登录”").arg(QrLogin.message)
                                        // The server names the first scanner, the only one who can confirm: the
                                        // person at the terminal sees whether that is them.
                                        : QrLogin.state === "contested"
                                          ? qsTr("另一个账号也扫描了此二维码，已被拒绝。只有 %1 能在手机上确认登录。").arg(QrLogin.message)
                                        : QrLogin.state === "error" ? QrLogin.message : ""
                            }
                        }
                        Text {
                            objectName: "qrHint"
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            text: QrLogin.state === "pending"
                                  ? qsTr("请用手机扫描二维码，并在手机上确认登录（%1 秒后自动刷新）").arg(QrLogin.secondsLeft)
                                  : QrLogin.state === "scanned" || QrLogin.state === "contested"
                                  ? qsTr("如非本人操作，请刷新二维码")
                                  : qsTr("用手机扫描二维码，在手机上确认后即可登录本机")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                            wrapMode: Text.Wrap
                        }
                        AppButton {
                            objectName: "qrRefresh"
                            anchors.horizontalCenter: parent.horizontalCenter
                            kind: QrLogin.state === "contested" ? "primary" : "secondary"
                            iconName: "refresh"
                            text: qsTr("刷新二维码")
                            onClicked: QrLogin.start()
                        }
                    }

                    // The manual's two account rules.
                    Rectangle {
                        Layout.fillWidth: true
                        implicitHeight: rules.implicitHeight + 2 * Theme.spacing
                        radius: Theme.radius
                        color: Theme.primaryLight
                        Column {
                            id: rules
                            anchors.fill: parent
                            anchors.margins: Theme.spacing
                            spacing: Theme.spacing / 2
                            Repeater {
                                model: [
                                    qsTr("账号规则：用户名为学工号，如若学工号中包含字母，字母需为大写。"),
                                    qsTr("密码规则：初始密码为身份证后6位，首次登录需要修改密码。")
                                ]
                                delegate: Row {
                                    id: ruleRow
                                    required property string modelData
                                    width: rules.width
                                    spacing: Theme.spacing / 2
                                    AppIcon {
                                        name: "info-circle"
                                        color: Theme.primary
                                        size: Theme.fontBody + 4
                                    }
                                    Text {
                                        width: ruleRow.width - Theme.fontBody - 4 - ruleRow.spacing
                                        text: ruleRow.modelData
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        color: Theme.text
                                        wrapMode: Text.Wrap
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
