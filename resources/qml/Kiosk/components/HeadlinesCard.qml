pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 首页's lists (5)–(9): 学校新闻, 通知公告, 院系动态, 学术讲座, 教学科研, the latest five of the chosen one;
// offline, from the local store with the content's age.
HomeCard {
    id: root
    objectName: "headlinesCard"
    title: qsTr("校园资讯")
    iconName: "news"
    moreText: qsTr("消息中心")
    property int current: 0
    signal openArticle(int id)

    readonly property var list: Portal.headlines[root.current] || ({ category: "", items: [] }) // qmllint disable unresolved-type
    // The lists' names are fixed (the manual's (5)–(9)): shown in the interface's language.
    readonly property var names: ({
        "学校新闻": qsTr("学校新闻"), "通知公告": qsTr("通知公告"), "院系动态": qsTr("院系动态"),
        "学术讲座": qsTr("学术讲座"), "教学科研": qsTr("教学科研")
    })

    Flow {
        Layout.fillWidth: true
        spacing: Theme.spacing / 2
        Repeater {
            model: Portal.headlines // qmllint disable unresolved-type
            delegate: Rectangle {
                id: tab
                required property var modelData
                required property int index
                readonly property bool chosen: tab.index === root.current
                objectName: "headlineTab_" + tab.modelData.category
                implicitWidth: tabText.implicitWidth + 2 * Theme.spacing
                implicitHeight: Theme.touchMin * 0.75
                radius: height / 2
                color: tab.chosen ? Theme.primary : Theme.primaryLight
                Text {
                    id: tabText
                    anchors.centerIn: parent
                    text: root.names[tab.modelData.category] || tab.modelData.category
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: tab.chosen ? Theme.textOnPrimary : Theme.primary
                }
                TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.current = tab.index }
            }
        }
    }
    // Offline: what was synced last, and how old it is (as 消息中心 says it).
    Text {
        objectName: "headlinesAge"
        visible: AppState.connection !== "online" && Messages.age.length > 0 && root.list.items.length > 0
        Layout.fillWidth: true
        text: qsTr("离线 · 内容更新于 %1").arg(Messages.age)
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.warning
        wrapMode: Text.Wrap
    }
    Repeater {
        model: root.list.items
        delegate: Item {
            id: row
            required property var modelData
            objectName: "headline"
            Layout.fillWidth: true
            implicitHeight: Math.max(Theme.touchMin * 0.8, rowText.implicitHeight + Theme.spacing / 2)
            Text {
                id: rowText
                anchors.left: parent.left
                anchors.right: day.left
                anchors.rightMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
                text: "· " + row.modelData.title
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                elide: Text.ElideRight
            }
            Text {
                id: day
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                text: row.modelData.day
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.openArticle(row.modelData.id) }
        }
    }
    Text {
        objectName: "headlinesEmpty"
        visible: root.list.items.length === 0
        Layout.fillWidth: true
        text: Portal.headlinesKnown ? qsTr("暂无内容")
              : AppState.connection === "offline" ? qsTr("离线，连接服务器后显示") : qsTr("正在获取…")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
}
