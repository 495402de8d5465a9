pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 订阅日历 (个人中心): a secret address for the user's phone or calendar program, which then shows their
// courses, meetings and personal events. 生成订阅链接 makes one (shown as text and as a QR code; 复制 on a desk);
// 重置链接 makes a new one and the old stops working; 停用 stops it. The server keeps only the secret's hash, so
// the address is shown only right after it is made.
HomeCard {
    id: root
    objectName: "calendarFeedCard"
    title: qsTr("订阅日历")
    iconName: "calendar"
    visible: Session.loggedIn

    Text {
        Layout.fillWidth: true
        text: CalendarFeed.url.length > 0
              ? qsTr("用手机扫描二维码，或在日历应用中添加此订阅地址。请勿把地址告诉他人：有它就能看到您的日程。")
              : CalendarFeed.revoked ? qsTr("订阅链接已停用，用它订阅的日历不再更新。")
              : qsTr("在手机或电脑的日历应用中订阅您的课表、会议与个人日程。生成链接后，之前的链接将失效。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    RowLayout {
        Layout.fillWidth: true
        visible: CalendarFeed.url.length > 0
        spacing: Theme.spacingLarge
        Image {
            objectName: "calendarFeedQr"
            Layout.preferredWidth: Theme.kiosk ? 280 : 160
            Layout.preferredHeight: Layout.preferredWidth
            sourceSize.width: Layout.preferredWidth
            sourceSize.height: Layout.preferredWidth
            source: CalendarFeed.qrSource
            cache: false
            smooth: false
        }
        Text {
            objectName: "calendarFeedUrl"
            Layout.fillWidth: true
            text: CalendarFeed.url
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.text
            wrapMode: Text.WrapAnywhere
        }
    }
    Text {
        objectName: "calendarFeedError"
        Layout.fillWidth: true
        visible: text.length > 0
        text: CalendarFeed.error
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.error
        wrapMode: Text.Wrap
    }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.spacing
        AppButton {
            objectName: "calendarFeedMake"
            kind: CalendarFeed.url.length > 0 ? "secondary" : "primary"
            iconName: CalendarFeed.url.length > 0 ? "refresh" : "qrcode"
            text: CalendarFeed.busy ? qsTr("请稍候…") : CalendarFeed.url.length > 0 ? qsTr("重置链接") : qsTr("生成订阅链接")
            enabled: !CalendarFeed.busy
            onClicked: CalendarFeed.makeLink()
        }
        AppButton {
            objectName: "calendarFeedCopy"
            visible: !Theme.kiosk && CalendarFeed.url.length > 0
            text: qsTr("复制链接")
            onClicked: CalendarFeed.copy()
        }
        Text {
            id: copiedNote
            objectName: "calendarFeedCopied"
            visible: false
            height: Theme.touchMin
            verticalAlignment: Text.AlignVCenter
            text: qsTr("已复制")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.success
        }
        AppButton {
            objectName: "calendarFeedRevoke"
            text: qsTr("停用")
            enabled: !CalendarFeed.busy
            onClicked: CalendarFeed.revoke()
        }
    }
    Connections {
        target: CalendarFeed
        function onCopied() { copiedNote.visible = true; copiedTimer.restart() }
    }
    Timer { id: copiedTimer; interval: 2500; onTriggered: copiedNote.visible = false }
}
