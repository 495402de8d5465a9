pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A field-sized button that opens a picker: an icon and what was picked, or in grey what to pick.
Rectangle {
    id: root
    property string text
    property string iconName
    property bool empty: false    // nothing picked yet: the text says what to pick
    property bool invalid: false  // the field has an error, said under it: the border turns red
    signal clicked()

    implicitHeight: Theme.touchMin
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : Theme.card
    border.width: 1
    border.color: root.invalid ? Theme.error : Theme.border
    Row {
        anchors.left: parent.left
        anchors.leftMargin: Theme.spacing
        anchors.verticalCenter: parent.verticalCenter
        spacing: Theme.spacing / 2
        AppIcon { anchors.verticalCenter: parent.verticalCenter; name: root.iconName; color: Theme.textSecondary }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: root.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: root.empty ? Theme.textSecondary : Theme.text
        }
    }
    TapHandler { id: tap; gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.clicked() }
}
