pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// One row of 消息中心 as the manual draws it: the day/month badge (14 七月), the title, 发布时间; an unread item
// has a dot and the word 未读 (never colour alone). Fixed height, so a list of 10,000 lays out without measuring.
Rectangle {
    id: root
    // Filled by the list's model (roles of the same names).
    required property int newsId
    required property string title
    required property string day
    required property int month
    required property string published
    required property string readState  // "" (nobody signed in) | unread | read
    signal open(int newsId)

    readonly property var monthNames: [qsTr("一月"), qsTr("二月"), qsTr("三月"), qsTr("四月"), qsTr("五月"),
        qsTr("六月"), qsTr("七月"), qsTr("八月"), qsTr("九月"), qsTr("十月"), qsTr("十一月"), qsTr("十二月")]

    implicitHeight: Math.round(Theme.fontBody * 3.6) + Theme.spacing
    color: tap.pressed ? Theme.primaryLight : Theme.card
    radius: Theme.radius
    border.color: Theme.border
    Accessible.role: Accessible.Button
    Accessible.name: (root.readState === "unread" ? qsTr("未读") + " " : "") + root.title

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing / 2
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Rectangle {
            Layout.preferredWidth: Math.round(Theme.fontBody * 3.4)
            Layout.fillHeight: true
            radius: Theme.radius
            color: Theme.primaryLight
            Column {
                anchors.centerIn: parent
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: root.day
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.primary
                }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: root.month > 0 ? root.monthNames[root.month - 1] : ""
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall  // kiosk text ≥ 20 px (UI.md), "十二月" included
                    color: Theme.primary
                }
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Text {
                Layout.fillWidth: true
                text: root.title
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: root.readState === "unread"
                color: Theme.text
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("发布时间：%1").arg(root.published)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
                elide: Text.ElideRight
            }
        }
        Row {
            objectName: "unreadMark"
            visible: root.readState === "unread"
            spacing: 6
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: 12
                height: 12
                radius: 6
                color: Theme.error
            }
            Text {
                text: qsTr("未读")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.error
            }
        }
    }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds  // takes its press: see ChoiceChip.qml
        onTapped: root.open(root.newsId)
    }
}
