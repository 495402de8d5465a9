pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import Kiosk

// The app's button: flat, large on a kiosk, with press feedback in the same frame.
// kind: "primary" (accent, the screen's main action), "secondary" (outlined) or "text".
Button {
    id: root
    property string kind: "secondary"
    property string iconName: ""
    // Text and icon colour; the kind decides unless a page sets it (e.g. on the blue top bar).
    property color foreground: !enabled ? Theme.disabled : kind === "primary" ? Theme.textOnPrimary : Theme.accent

    implicitHeight: kind === "primary" ? Theme.touchPrimary : Theme.touchMin
    implicitWidth: Math.max(implicitHeight * 2, content.implicitWidth + 2 * Theme.spacingLarge)
    font.family: Theme.fontFamily
    font.pixelSize: kind === "primary" ? Theme.fontLarge : Theme.fontBody
    focusPolicy: Theme.kiosk ? Qt.NoFocus : Qt.StrongFocus

    contentItem: Item {
      implicitWidth: content.implicitWidth
      implicitHeight: content.implicitHeight
      Row {
        id: content
        spacing: Theme.spacing / 2
        anchors.centerIn: parent
        AppIcon {
            anchors.verticalCenter: parent.verticalCenter
            visible: root.iconName.length > 0
            name: root.iconName
            size: Math.round(root.font.pixelSize * 1.2)
            color: label.color
        }
        Text {
            id: label
            anchors.verticalCenter: parent.verticalCenter
            text: root.text
            font: root.font
            color: root.foreground
        }
      }
    }

    background: Rectangle {
        radius: Theme.radius
        color: root.kind === "primary"
               ? (!root.enabled ? Theme.border : root.down ? Theme.accentPressed : Theme.accent)
               : root.kind === "text" ? (root.down ? Theme.primaryLight : "transparent")
               : (root.down ? Theme.primaryLight : Theme.card)
        border.width: root.kind === "secondary" ? 2 : 0
        border.color: root.enabled ? Theme.accent : Theme.border
        FocusRing { shown: root.visualFocus }
    }
}
