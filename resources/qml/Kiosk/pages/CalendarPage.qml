pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// 日程: personal, so it asks for a login first.
Item {
    id: root
    objectName: "calendarPage"
    signal loginRequested()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacingLarge
        PageHeader {
            Layout.fillWidth: true
            title: qsTr("日程")
            subtitle: qsTr("日程中心：全部日程、每周会议、个人日程与我的课表")
        }
        EmptyState {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingLarge * 2
            iconName: "calendar-event"
            title: qsTr("登录后查看您的日程与课表")
        }
        AppButton {
            Layout.alignment: Qt.AlignHCenter
            kind: "primary"
            iconName: "user-circle"
            text: qsTr("登录")
            onClicked: root.loginRequested()
        }
        Item { Layout.fillHeight: true }
    }
}
