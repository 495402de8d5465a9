pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A kiosk does not browse the web: a 资源中心 / 应用中心 entry continues on the person's phone, by this code.
Popup {
    id: root
    objectName: "linkQrDialog"
    property string title
    property string url
    property string image

    function present(name: string, address: string, source: string) {
        root.title = name
        root.url = address
        root.image = source
        root.open()
    }

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 640, 640)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.5) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }
    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Text {
            Layout.fillWidth: true
            text: root.title
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
        Image {
            objectName: "linkQrImage"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Theme.kiosk ? 360 : 240
            Layout.preferredHeight: Layout.preferredWidth
            sourceSize.width: Layout.preferredWidth
            sourceSize.height: Layout.preferredWidth
            source: root.image
            cache: false
            smooth: false
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("请用手机扫描二维码，在手机上继续访问")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: root.url
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            horizontalAlignment: Text.AlignHCenter
            elide: Text.ElideMiddle
        }
        AppButton {
            objectName: "linkQrClose"
            Layout.alignment: Qt.AlignHCenter
            kind: "primary"
            text: qsTr("关闭")
            onClicked: root.close()
        }
    }
}
