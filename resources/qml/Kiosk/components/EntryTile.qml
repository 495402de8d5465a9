pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// A 资源中心 / 应用中心 entry: its icon and name; tapped, the page shows its QR code (kiosk) or opens it (desk).
Rectangle {
    id: root
    property string name
    property string iconName
    property string badge: ""   // e.g. 单点登录, 试用
    signal activated()

    implicitHeight: Math.max(Theme.touchMin, row.implicitHeight + Theme.spacing / 2)
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : Theme.page
    border.color: Theme.border

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing / 2
        AppIcon { name: root.iconName; color: Theme.primary }
        Text {
            Layout.fillWidth: true
            text: root.name
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            visible: root.badge.length > 0
            text: root.badge
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.success
        }
    }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
        onTapped: root.activated()
    }
}
