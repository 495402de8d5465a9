pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Why a returned application is back: who returned it and their reason, above the form to correct.
Rectangle {
    id: root
    objectName: "returnNote"
    required property string note  // who returned it and why, as the server wrote it

    implicitHeight: returnText.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Qt.rgba(Theme.warning.r, Theme.warning.g, Theme.warning.b, 0.10)
    border.color: Theme.warning
    Text {
        id: returnText
        anchors.fill: parent
        anchors.margins: Theme.spacing
        text: root.note + "。" + qsTr("请按批注修改后重新提交。")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.Wrap
    }
}
