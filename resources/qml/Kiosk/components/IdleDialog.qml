pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// "还在吗？": after a quiet minute on a kiosk, a countdown; then the user is logged out and forgotten.
Popup {
    id: root
    objectName: "idleDialog"
    modal: true
    closePolicy: Popup.NoAutoClose
    visible: Idle.countdownActive
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 720, 720)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.55) }

    background: Rectangle {
        radius: Theme.radius
        color: Theme.card
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingLarge
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("还在吗？")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontHero
            font.bold: true
            color: Theme.primary
        }
        Text {
            objectName: "idleSeconds"
            Layout.alignment: Qt.AlignHCenter
            text: Idle.secondsLeft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCounter * 2
            font.bold: true
            color: Idle.secondsLeft <= 10 ? Theme.error : Theme.text
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("%1 秒后将自动退出登录，并清除您在本机的所有信息。").arg(Idle.secondsLeft)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        AppButton {
            objectName: "stillHereButton"
            Layout.fillWidth: true
            kind: "primary"
            implicitHeight: Theme.touchPrimary * 1.2
            font.pixelSize: Theme.fontTitle
            text: qsTr("继续")
            onClicked: Idle.stillHere()
        }
        AppButton {
            objectName: "idleLogoutButton"
            Layout.fillWidth: true
            kind: "secondary"
            iconName: "logout"
            text: qsTr("退出登录")
            onClicked: Session.logout()
        }
    }
}
