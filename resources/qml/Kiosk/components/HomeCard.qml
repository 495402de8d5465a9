pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// A titled card of 首页 (资讯, 日程, 办事中心, 资源中心, 应用中心) with an optional "more" action.
Rectangle {
    id: root
    property string title
    property string iconName: ""
    property string moreText: ""
    default property alias content: body.data
    signal more()

    implicitHeight: header.implicitHeight + body.implicitHeight + 3 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.border

    RowLayout {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing }
        spacing: Theme.spacing / 2
        AppIcon { visible: root.iconName.length > 0; name: root.iconName; color: Theme.primary }
        Text {
            Layout.fillWidth: true
            text: root.title
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
            elide: Text.ElideRight
        }
        Text {
            objectName: "moreLink"
            visible: root.moreText.length > 0
            text: root.moreText + " ›"
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.accent
            Layout.minimumHeight: Theme.touchMin * 0.75
            verticalAlignment: Text.AlignVCenter
            TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.more() }
        }
    }
    ColumnLayout {
        id: body
        anchors { left: parent.left; right: parent.right; top: header.bottom; margins: Theme.spacing }
        spacing: Theme.spacing / 2
    }
}
