pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// 消息中心: 全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知.
Item {
    id: root
    objectName: "messagesPage"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacingLarge
        PageHeader {
            Layout.fillWidth: true
            title: qsTr("消息中心")
            subtitle: qsTr("全部新闻 · 通知公告 · 学校新闻 · 科研动态 · 学工动态 · 门户通知")
        }
        EmptyState {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingLarge * 2
            iconName: "message-circle"
            title: qsTr("新闻与通知将在这里显示")
        }
        Item { Layout.fillHeight: true }
    }
}
