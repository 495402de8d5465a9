pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 消息中心: 办事通知 (new tasks, returns, urges, completions of the user's applications; signed in only) and the
// manual's news tabs 全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知, from the local store (offline too).
Item {
    id: root
    objectName: "messagesPage"
    signal openApplication(string applicationId)
    signal openArticle(int articleId)

    // "notices" (办事通知, a signed-in user's) or a news tab. Someone with unread 办事通知 came for them (the
    // top bar's bell says so); anyone else opens on the manual's 全部新闻.
    property string section: Session.loggedIn && Inbox.unreadCount > 0 ? "notices" : Messages.tab
    readonly property bool onNews: root.section !== "notices"
    readonly property var tabNames: ({
        "notices": qsTr("办事通知"), "all": qsTr("全部新闻"), "notice": qsTr("通知公告"),
        "school_news": qsTr("学校新闻"), "research": qsTr("科研动态"), "student_affairs": qsTr("学工动态"),
        "portal": qsTr("门户通知")
    })

    Component.onCompleted: Inbox.reload()
    Connections {
        target: Session
        function onSignedOut() { root.section = Messages.tab }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingLarge
            PageHeader {
                Layout.fillWidth: true
                title: qsTr("消息中心")
                subtitle: !root.onNews ? qsTr("办事通知 · %1 条未读").arg(Inbox.unreadCount)
                          : Messages.query.length > 0 ? qsTr("找到 %1 条").arg(Messages.total)
                          : qsTr("共 %1 条").arg(Messages.total)
            }
            AppButton {
                objectName: "markAllRead"
                visible: !root.onNews && Session.loggedIn && Inbox.unreadCount > 0
                text: qsTr("全部标为已读")
                iconName: "check"
                onClicked: Inbox.markAllRead()
            }
            // At the top of the page: the kiosk's keyboard rises from the bottom and never covers it.
            AppTextField {
                id: search
                objectName: "newsSearch"
                visible: root.onNews
                Layout.preferredWidth: Math.min(root.width * 0.42, 640)
                iconName: "search"
                placeholderText: qsTr("搜索标题或摘要")
                maximumLength: 60
                onTextEdited: Messages.search(search.text + search.field.preeditText)
                field.onPreeditTextChanged: Messages.search(search.text + search.field.preeditText)
            }
        }
        Flow {
            objectName: "messageTabs"
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            Repeater {
                // The manual's tabs (kiosk/services/news.py TABS), after 办事通知 for a signed-in user.
                model: (Session.loggedIn ? ["notices"] : []).concat(["all", "notice", "school_news", "research",
                                                                     "student_affairs", "portal"])
                delegate: ChoiceChip {
                    required property string modelData
                    objectName: "messageTab_" + modelData
                    text: root.tabNames[modelData] || modelData
                    checked: root.section === modelData
                    onToggled: {
                        root.section = modelData
                        if (modelData !== "notices")
                            Messages.showTab(modelData)
                    }
                }
            }
        }
        // Offline: what was synced last, and how old it is.
        Text {
            objectName: "newsAge"
            visible: root.onNews && AppState.connection !== "online" && Messages.age.length > 0
            Layout.fillWidth: true
            text: qsTr("离线 · 内容更新于 %1").arg(Messages.age)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.warning
            wrapMode: Text.Wrap
        }
        ListView {
            id: newsList
            objectName: "newsList"
            visible: root.onNews
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing / 2
            model: Messages.news
            reuseItems: true
            cacheBuffer: 600
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: NewsRow {
                objectName: "news_" + newsId
                width: ListView.view.width
                onOpen: (id) => root.openArticle(id)
            }
            EmptyState {
                anchors.centerIn: parent
                width: newsList.width * 0.6
                visible: newsList.count === 0 && !Messages.news.loading
                iconName: Messages.query.length > 0 ? "search" : "message-circle"
                title: Messages.query.length > 0 ? qsTr("没有找到与“%1”相关的内容").arg(Messages.query)
                       : AppState.connection === "online" ? qsTr("暂无内容") : qsTr("离线，连接服务器后显示")
            }
        }
        ListView {
            id: list
            objectName: "notifications"
            visible: !root.onNews
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
                    gesturePolicy: TapHandler.ReleaseWithinBounds  // takes its press: see ChoiceChip.qml
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
    }
}
