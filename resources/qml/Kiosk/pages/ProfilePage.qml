pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 我的 (个人中心): who I am, my password, 我的申请 and favourites, how the screen reads (language, 字号, 高对比度 —
// applied live everywhere; a kiosk forgets them at logout), and the devices I am logged in on.
Item {
    id: root
    objectName: "profilePage"
    signal loginRequested()
    signal changePasswordRequested()
    signal openTasks(string box)
    signal openHall()

    Component.onCompleted: {
        if (Session.loggedIn) {
            Session.loadDevices()
            MailPassword.refresh()  // whether this campus asks for a 授权码 (signed in offline: not known yet)
        }
    }

    // A FormScroller: with the virtual keyboard up, the 授权码 field and its button stay in view.
    FormScroller {
        id: flick
        objectName: "profileScroll"
        anchors.fill: parent
        contentHeight: page.implicitHeight + 2 * Theme.margin
        keepVisible: mailPassword.saveButton

        ColumnLayout {
            id: page
            x: Theme.margin
            y: Theme.margin
            width: flick.width - 2 * Theme.margin
            spacing: Theme.spacingLarge

            PageHeader {
                Layout.fillWidth: true
                title: qsTr("我的")
                subtitle: qsTr("个人中心：个人信息、我的申请与登录设备")
            }

            // Logged out: what this page is for and the way in.
            ColumnLayout {
                visible: !Session.loggedIn
                Layout.fillWidth: true
                spacing: Theme.spacingLarge
                EmptyState {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingLarge * 2
                    iconName: "user-circle"
                    title: qsTr("登录后查看个人中心")
                }
                AppButton {
                    Layout.alignment: Qt.AlignHCenter
                    kind: "primary"
                    iconName: "user-circle"
                    text: qsTr("登录")
                    onClicked: root.loginRequested()
                }
            }

            // Logged in.
            Rectangle {
                objectName: "profileCard"
                visible: Session.loggedIn
                Layout.fillWidth: true
                implicitHeight: info.implicitHeight + 2 * Theme.spacingLarge
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border
                RowLayout {
                    id: info
                    anchors.fill: parent
                    anchors.margins: Theme.spacingLarge
                    spacing: Theme.spacingLarge
                    AppIcon {
                        name: "user-circle"
                        size: Theme.iconSize * 2
                        color: Theme.primary
                    }
                    Column {
                        Layout.fillWidth: true
                        spacing: 4
                        Text {
                            objectName: "profileName"
                            text: Session.userName + "  " + Session.userId
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontTitle
                            font.bold: true
                            color: Theme.text
                        }
                        Text {
                            text: [Session.departmentName, Session.className].filter(t => t.length > 0).join(" · ")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                        }
                    }
                    AppButton {
                        objectName: "changePasswordButton"
                        kind: "secondary"
                        iconName: "lock"
                        text: qsTr("修改密码")
                        onClicked: root.changePasswordRequested()
                    }
                }
            }

            // 我的申请 and 我的收藏, one tap away.
            Flow {
                objectName: "profileShortcuts"
                visible: Session.loggedIn
                Layout.fillWidth: true
                spacing: Theme.spacing
                AppButton {
                    objectName: "myApplicationsButton"
                    kind: "secondary"
                    iconName: "file-text"
                    text: qsTr("我的申请（%1）").arg(Inbox.mineCount)
                    onClicked: root.openTasks("mine")
                }
                AppButton {
                    objectName: "myFavoritesButton"
                    kind: "secondary"
                    iconName: "star"
                    text: qsTr("我的收藏（%1）").arg(Catalog.favoriteCount)
                    onClicked: root.openHall()
                }
            }

            ParkedOpsCard { Layout.fillWidth: true }

            DisplaySettingsCard { Layout.fillWidth: true }

            NotifySettingsCard { visible: Session.loggedIn; Layout.fillWidth: true }

            CalendarFeedCard { Layout.fillWidth: true }

            // Only where the campus reads mail with each user's app password (or one is still stored).
            MailPasswordCard {
                id: mailPassword
                visible: Session.loggedIn && (MailPassword.mode === "app_password" || MailPassword.isSet)
                Layout.fillWidth: true
            }

            Text {
                visible: Session.loggedIn
                text: qsTr("我的登录设备")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            ListView {
                id: devices
                objectName: "deviceList"
                visible: Session.loggedIn
                Layout.fillWidth: true
                Layout.preferredHeight: contentHeight
                interactive: false
                spacing: Theme.spacing / 2
                model: Session.devices
                boundsBehavior: Flickable.StopAtBounds
                delegate: Rectangle {
                    id: device
                    required property string sessionId
                    required property string kind
                    required property string deviceName
                    required property string lastSeen
                    required property bool current
                    width: devices.width
                    implicitHeight: Theme.touchMin + Theme.spacing
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.border
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.spacing
                        anchors.rightMargin: Theme.spacing
                        spacing: Theme.spacing
                        AppIcon {
                            name: device.kind === "手机" ? "qrcode" : "device-desktop"
                            color: Theme.textSecondary
                        }
                        Text {
                            Layout.fillWidth: true
                            text: device.deviceName + " · " + device.kind
                                  + (device.current ? qsTr("（本机）") : "")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Text {
                            text: qsTr("最近使用 %1").arg(device.lastSeen)
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                        AppButton {
                            objectName: "revoke_" + device.sessionId
                            visible: !device.current
                            kind: "text"
                            text: qsTr("退出该设备")
                            onClicked: Session.revokeDevice(device.sessionId)
                        }
                    }
                }
            }
            AppButton {
                objectName: "profileLogoutButton"
                visible: Session.loggedIn
                Layout.alignment: Qt.AlignHCenter
                kind: "secondary"
                iconName: "logout"
                text: qsTr("退出登录")
                onClicked: Session.logout()
            }

            // 关于: which client this is, for IT on the phone with the hall (version and build id of the bundle).
            Text {
                objectName: "aboutText"
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("关于：融合门户客户端 %1 · 构建 %2").arg(AppState.version).arg(AppState.buildId)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
        }
    }
}
