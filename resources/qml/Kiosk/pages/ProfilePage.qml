pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// 我的: personal, so it asks for a login first.
Item {
    id: root
    objectName: "profilePage"
    signal loginRequested()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacingLarge
        PageHeader {
            Layout.fillWidth: true
            title: qsTr("我的")
            subtitle: qsTr("个人中心：个人信息、我的申请与登录设备")
        }
        EmptyState {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingLarge * 2
            iconName: "user-circle"
            title: qsTr("登录后查看个人中心")
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
