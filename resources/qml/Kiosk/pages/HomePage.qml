pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 首页: the manual's counters (未读邮件, 在借图书, 逾期图书, 待办) and what follows once a user logs in.
Item {
    id: root
    objectName: "homePage"
    signal open(string code)
    signal loginRequested()
    signal openTasks(string box)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacingLarge

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("首页")
            subtitle: Session.loggedIn ? qsTr("您好，%1").arg(Session.userName)
                                       : qsTr("登录后这里显示您的待办、邮件、借阅与日程")
        }

        GridLayout {
            Layout.fillWidth: true
            columns: root.width > root.height ? 4 : 2
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing
            Repeater {
                model: [
                    { name: "unreadMail", icon: "mail", label: qsTr("未读邮件") },
                    { name: "booksBorrowed", icon: "books", label: qsTr("在借图书") },
                    { name: "booksOverdue", icon: "book-2", label: qsTr("逾期图书") },
                    { name: "todo", icon: "file-text", label: qsTr("待办") }
                ]
                delegate: Rectangle {
                    id: counter
                    required property var modelData
                    // 待办 comes from the synced tasks; the others have no source yet.
                    readonly property bool live: modelData.name === "todo" && Session.loggedIn
                    objectName: "counter_" + modelData.name
                    Layout.fillWidth: true
                    implicitHeight: counterColumn.implicitHeight + 2 * Theme.spacingLarge
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.border
                    Column {
                        id: counterColumn
                        anchors.centerIn: parent
                        width: parent.width - 2 * Theme.spacing
                        spacing: 4
                        AppIcon {
                            anchors.horizontalCenter: parent.horizontalCenter
                            name: counter.modelData.icon
                            color: Theme.primary
                        }
                        // No source yet: "—" and why, never a made-up number.
                        Text {
                            objectName: "counterValue"
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: counter.live ? Inbox.todoCount : "—"
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontCounter
                            font.bold: true
                            color: counter.live ? Theme.primary : Theme.textSecondary
                        }
                        Text {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: counter.modelData.label
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                        }
                        Text {
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            // Logged in, but no connector feeds these figures yet: say so, never invent one.
                            text: counter.live ? qsTr("点击查看待办事宜")
                                  : Session.loggedIn ? qsTr("暂未接入数据源") : qsTr("登录后显示")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                            wrapMode: Text.Wrap
                        }
                    }
                    TapHandler {
                        enabled: counter.live
                        onTapped: root.openTasks("todo")
                    }
                }
            }
        }

        // 办事中心: the user's ★ processes first, one tap from 首页.
        ColumnLayout {
            objectName: "homeFavorites"
            visible: Session.loggedIn
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing
            Text {
                text: qsTr("办事中心 · 我的收藏")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            Text {
                objectName: "homeFavoritesEmpty"
                visible: Catalog.favoriteCount === 0
                Layout.fillWidth: true
                text: qsTr("还没有收藏的服务。在“办事大厅”点服务卡片右侧的 ☆ 即可收藏，常用服务会显示在这里。")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textSecondary
                wrapMode: Text.Wrap
            }
            GridView {
                id: favoritesGrid
                objectName: "favoritesGrid"
                visible: Catalog.favoriteCount > 0
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: Catalog.favorites
                readonly property int columns: Math.max(1, Math.floor(width / (Theme.kiosk ? 420 : 300)))
                cellWidth: Math.floor(width / columns)
                cellHeight: Theme.kiosk ? 156 : 100
                boundsBehavior: Flickable.StopAtBounds
                delegate: Item {
                    id: favCell
                    required property string name
                    required property string departmentName
                    required property string audience
                    required property string code
                    required property bool favorite
                    required property string syncState
                    required property string syncError
                    width: favoritesGrid.cellWidth
                    height: favoritesGrid.cellHeight
                    ProcessDelegate {
                        onActivated: (code) => root.open(code)
                        anchors.fill: parent
                        anchors.margins: Theme.spacing / 2
                        name: favCell.name
                        departmentName: favCell.departmentName
                        audience: favCell.audience
                        code: favCell.code
                        favorite: favCell.favorite
                        syncState: favCell.syncState
                        syncError: favCell.syncError
                    }
                }
            }
        }

        AppButton {
            objectName: "homeLoginButton"
            visible: !Session.loggedIn
            Layout.alignment: Qt.AlignHCenter
            kind: "primary"
            iconName: "user-circle"
            text: qsTr("登录")
            onClicked: root.loginRequested()
        }
        Item { Layout.fillHeight: true; visible: !Session.loggedIn }
    }
}
