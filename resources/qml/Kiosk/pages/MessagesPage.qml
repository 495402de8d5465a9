pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 消息中心: 办事通知 (new tasks, returns, urges, completions of the user's applications) first; the news
// categories (全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知) follow with the portal's content.
Item {
    id: root
    objectName: "messagesPage"
    signal openApplication(string applicationId)

    Component.onCompleted: Inbox.reload()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            PageHeader {
                Layout.fillWidth: true
                title: qsTr("消息中心")
                subtitle: Session.loggedIn ? qsTr("办事通知 · %1 条未读").arg(Inbox.unreadCount)
                                           : qsTr("全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知")
            }
            AppButton {
                objectName: "markAllRead"
                visible: Session.loggedIn && Inbox.unreadCount > 0
                text: qsTr("全部标为已读")
                iconName: "check"
                onClicked: Inbox.markAllRead()
            }
        }
        ListView {
            id: list
            objectName: "notifications"
            visible: Session.loggedIn
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing
            model: Inbox.notifications
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: note
                required property string id
                required property string title
                required property string body
                required property string applicationId
                required property bool read
                required property string when
                objectName: "notification_" + id
                width: ListView.view.width
                implicitHeight: noteBody.implicitHeight + 2 * Theme.spacing
                radius: Theme.radius
                color: tap.pressed ? Theme.primaryLight : Theme.card
                border.color: note.read ? Theme.border : Theme.accent
                RowLayout {
                    id: noteBody
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.spacing
                    Rectangle {
                        Layout.alignment: Qt.AlignTop
                        Layout.topMargin: 10
                        implicitWidth: 12
                        implicitHeight: 12
                        radius: 6
                        color: note.read ? "transparent" : Theme.error
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 4
                        Text {
                            Layout.fillWidth: true
                            text: note.title
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontLarge
                            font.bold: !note.read
                            color: Theme.text
                            wrapMode: Text.Wrap
                        }
                        Text {
                            Layout.fillWidth: true
                            visible: text.length > 0
                            text: note.body
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                            wrapMode: Text.Wrap
                        }
                    }
                    Text {
                        Layout.alignment: Qt.AlignTop
                        text: note.when
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                    }
                }
                TapHandler {
                    id: tap
                    onTapped: {
                        if (!note.read)
                            Inbox.markRead(note.id)
                        if (note.applicationId.length > 0)
                            root.openApplication(note.applicationId)
                    }
                }
            }
            EmptyState {
                anchors.centerIn: parent
                width: list.width * 0.6
                visible: list.count === 0
                iconName: "bell"
                title: qsTr("暂无办事通知")
            }
        }
        EmptyState {
            visible: !Session.loggedIn
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingLarge * 2
            iconName: "message-circle"
            title: qsTr("新闻与通知将在这里显示")
        }
        Item { Layout.fillHeight: true; visible: !Session.loggedIn }
    }
}
