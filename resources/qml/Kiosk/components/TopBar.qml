pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// School name and logo, clock, language toggle and the network status, on every screen.
Rectangle {
    id: root
    objectName: "topBar"
    implicitHeight: Theme.topBarHeight
    color: Theme.primary

    // A portrait totem (or large text) leaves no room for everything: the school name, the date, the last sync's
    // time and spacing give way first, so 退出 and the language toggle always stay whole.
    readonly property bool crowded: width < 1300 * Theme.scale && Session.loggedIn
    signal notificationsRequested()

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: root.crowded ? Theme.spacing : Theme.spacingLarge

        Rectangle {
            Layout.preferredWidth: Theme.topBarHeight * 0.62
            Layout.preferredHeight: Layout.preferredWidth
            radius: width / 2
            color: Theme.textOnPrimary
            AppIcon {
                anchors.centerIn: parent
                name: "school"
                color: Theme.primary
                size: Math.round(parent.width * 0.62)
            }
        }
        Column {
            Layout.fillWidth: true
            visible: !root.crowded
            spacing: 0
            Text {
                objectName: "schoolName"
                text: Display.language === "zh_CN" ? AppState.schoolName : AppState.schoolNameEn
                color: Theme.textOnPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                // A long English name shrinks to fit (down to the body size) before it is cut short.
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.fontBody
                elide: Text.ElideRight
                width: parent.width
            }
            Text {
                text: qsTr("融合门户 · 一站式办事大厅")
                color: Qt.rgba(1, 1, 1, 0.8)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                visible: Theme.kiosk
                width: parent.width
                elide: Text.ElideRight
            }
        }
        Column {
            Layout.alignment: Qt.AlignVCenter
            Text {
                objectName: "clock"
                anchors.right: parent.right
                text: CampusClock.time
                color: Theme.textOnPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            // Under the time: the zone's name where this PC's zone is another one (the time is the campus's,
            // CampusClock), and the date on a kiosk. Under it, not beside it, so a long English school name keeps
            // its room; a crowded bar (a portrait kiosk: on campus) drops the line.
            Text {
                objectName: "clockZone"
                readonly property string zone: CampusClock.label === "" ? ""
                                                : CampusClock.label === "北京时间" ? qsTr("北京时间") : qsTr("校园时间")
                readonly property string day: !Theme.kiosk ? ""
                                              : Display.language === "zh_CN" ? CampusClock.date : CampusClock.dateEn
                anchors.right: parent.right
                visible: !root.crowded && text.length > 0
                text: zone.length > 0 && day.length > 0 ? zone + " · " + day : zone + day
                color: Qt.rgba(1, 1, 1, 0.85)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }
        StatusIndicator {
            Layout.alignment: Qt.AlignVCenter
            compact: root.crowded
        }
        // The bell: unread 办事通知 (new tasks, returns, urges, completions); opens 消息.
        Rectangle {
            id: bell
            objectName: "bell"
            visible: Session.loggedIn
            Layout.alignment: Qt.AlignVCenter
            implicitWidth: Theme.kiosk ? 64 : 36
            implicitHeight: implicitWidth
            radius: width / 2
            color: bellTap.pressed ? Qt.rgba(1, 1, 1, 0.25) : Qt.rgba(1, 1, 1, 0.12)
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("通知，%1 条未读").arg(Inbox.unreadCount)
            AppIcon {
                anchors.centerIn: parent
                name: "bell"
                color: Theme.textOnPrimary
                size: Theme.fontLarge
            }
            Rectangle {
                objectName: "unreadBadge"
                visible: Inbox.unreadCount > 0
                anchors.top: parent.top
                anchors.right: parent.right
                implicitWidth: Math.max(height, unread.implicitWidth + 10)
                implicitHeight: unread.implicitHeight + 4
                radius: height / 2
                color: Theme.error
                Text {
                    id: unread
                    anchors.centerIn: parent
                    text: Inbox.unreadCount > 99 ? "99+" : Inbox.unreadCount
                    color: Theme.textOnPrimary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall * 0.8
                    font.bold: true
                }
            }
            TapHandler {
                id: bellTap
                gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                onTapped: root.notificationsRequested()
            }
        }
        // Who is logged in, and the way out — always visible on a kiosk, so nobody walks away logged in.
        Rectangle {
            objectName: "userChip"
            visible: Session.loggedIn
            Layout.alignment: Qt.AlignVCenter
            implicitWidth: userRow.implicitWidth + 2 * Theme.spacing
            implicitHeight: Theme.kiosk ? 56 : 32
            radius: height / 2
            color: Qt.rgba(1, 1, 1, 0.12)
            Row {
                id: userRow
                anchors.centerIn: parent
                spacing: Theme.spacing / 2
                AppIcon {
                    anchors.verticalCenter: parent.verticalCenter
                    name: "user-circle"
                    color: Theme.textOnPrimary
                    size: Theme.fontLarge
                }
                Text {
                    objectName: "userName"
                    anchors.verticalCenter: parent.verticalCenter
                    text: Session.userName
                    color: Theme.textOnPrimary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                }
            }
        }
        AppButton {
            objectName: "logoutButton"
            visible: Session.loggedIn
            Layout.alignment: Qt.AlignVCenter
            kind: "secondary"
            iconName: "logout"
            text: qsTr("退出")
            onClicked: Session.logout()
        }
        AppButton {
            objectName: "languageToggle"
            Layout.alignment: Qt.AlignVCenter
            kind: "text"
            iconName: "language"
            // Each language names itself, so someone who cannot read the current one still finds theirs
            // (crowded: "EN", which an English reader knows as well).
            text: Display.language === "zh_CN" ? (root.crowded ? "EN" : "English") : "中文"
            foreground: Theme.textOnPrimary
            onClicked: Display.toggleLanguage()
        }
    }
}
