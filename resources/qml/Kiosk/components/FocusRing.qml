import QtQuick
import Kiosk

// The keyboard focus, drawn around its item (desk only: a kiosk takes no keyboard focus). Put it inside the item
// with `shown` bound to the item's visualFocus / activeFocus.
Rectangle {
    objectName: "focusRing"
    property bool shown: false
    anchors.fill: parent
    anchors.margins: -4
    radius: Theme.radius + 4
    color: "transparent"
    border.width: 3
    border.color: Theme.accent
    visible: shown && !Theme.kiosk
    z: 10
}
