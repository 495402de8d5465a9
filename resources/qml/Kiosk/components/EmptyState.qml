pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// What an empty or unavailable list shows: an icon, what happened, and what to do.
Column {
    id: root
    property string iconName: "info-circle"
    property string title
    property string detail

    spacing: Theme.spacing
    AppIcon {
        anchors.horizontalCenter: parent.horizontalCenter
        name: root.iconName
        size: Theme.iconSize * 2
        color: Theme.textSecondary
    }
    Text {
        width: root.width
        horizontalAlignment: Text.AlignHCenter
        text: root.title
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
        color: Theme.text
        wrapMode: Text.Wrap
    }
    Text {
        width: root.width
        visible: root.detail.length > 0
        horizontalAlignment: Text.AlignHCenter
        text: root.detail
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
}
