pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// The navigation: 首页 · 办事大厅 · 日程 · 消息 · 我的 — along the bottom on a kiosk, down the side on a desk.
Rectangle {
    id: root
    objectName: "navBar"
    property bool vertical: false
    property string current: "home"
    signal navigate(string page)

    implicitHeight: vertical ? grid.implicitHeight : Theme.bottomNavHeight
    implicitWidth: vertical ? 168 : grid.implicitWidth
    color: Theme.card
    Rectangle {
        width: root.vertical ? 1 : parent.width
        height: root.vertical ? parent.height : 1
        anchors.right: root.vertical ? parent.right : undefined
        color: Theme.border
    }

    readonly property var entries: [
        { key: "home", icon: "home", label: qsTr("首页") },
        { key: "hall", icon: "building-community", label: qsTr("办事大厅") },
        { key: "calendar", icon: "calendar-event", label: qsTr("日程") },
        { key: "messages", icon: "message-circle", label: qsTr("消息") },
        { key: "profile", icon: "user", label: qsTr("我的") }
    ]

    GridLayout {
        id: grid
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: root.vertical ? undefined : parent.bottom
        anchors.topMargin: root.vertical ? Theme.spacing : 1
        columns: root.vertical ? 1 : root.entries.length
        rowSpacing: 0
        columnSpacing: 0
        Repeater {
            model: root.entries
            delegate: Item {
                id: tab
                required property var modelData
                readonly property bool selected: root.current === modelData.key
                objectName: "nav_" + modelData.key
                Layout.fillWidth: true
                Layout.fillHeight: !root.vertical
                Layout.preferredHeight: root.vertical ? Theme.touchMin * 1.5 : -1

                Rectangle {
                    anchors.fill: parent
                    anchors.margins: 6
                    radius: Theme.radius
                    color: tapper.pressed ? Theme.primaryLight : "transparent"
                }
                Rectangle {
                    visible: tab.selected
                    width: root.vertical ? 4 : parent.width * 0.4
                    height: root.vertical ? parent.height * 0.6 : 4
                    radius: 2
                    color: Theme.accent
                    x: root.vertical ? 0 : (parent.width - width) / 2
                    y: root.vertical ? (parent.height - height) / 2 : 0
                }
                Column {
                    anchors.centerIn: parent
                    spacing: 4
                    AppIcon {
                        anchors.horizontalCenter: parent.horizontalCenter
                        name: tab.modelData.icon
                        color: tab.selected ? Theme.accent : Theme.textSecondary
                    }
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: tab.modelData.label
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: tab.selected
                        color: tab.selected ? Theme.accent : Theme.textSecondary
                    }
                }
                TapHandler {
                    id: tapper
                    gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                    onTapped: root.navigate(tab.modelData.key)
                }
            }
        }
    }
}
