pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// One option of a radio or multiple-choice field: a large chip with a mark and the word (never colour alone).
Rectangle {
    id: root
    property string text
    property bool checked: false
    property bool multiple: false
    signal toggled()

    objectName: "choice_" + text
    implicitWidth: row.implicitWidth + 2 * Theme.spacing
    implicitHeight: Theme.touchMin
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : checked ? Theme.primaryLight : Theme.card
    border.width: checked ? 2 : 1
    border.color: checked ? Theme.accent : Theme.border
    Accessible.role: multiple ? Accessible.CheckBox : Accessible.RadioButton
    Accessible.name: text
    Accessible.checked: checked
    // On a desk, Tab reaches a chip and Space or Enter toggles it.
    activeFocusOnTab: !Theme.kiosk
    Keys.onSpacePressed: root.toggled()
    Keys.onReturnPressed: root.toggled()
    FocusRing { shown: root.activeFocus }

    Row {
        id: row
        anchors.centerIn: parent
        spacing: Theme.spacing / 2
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: Math.round(Theme.fontBody * 1.1)
            height: width
            radius: root.multiple ? 4 : width / 2
            border.width: 2
            border.color: root.checked ? Theme.accent : Theme.textSecondary
            color: root.checked ? Theme.accent : "transparent"
            AppIcon {
                anchors.centerIn: parent
                visible: root.checked
                name: "check"
                size: parent.width - 4
                color: "white"
            }
        }
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: root.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
    }
    TapHandler {
        id: tap
        // The default policy (DragThreshold) only watches the press passively and lets it travel on to whatever
        // lies underneath: a chip in the confirm dialog also toggled the form's chip below the modal. Taking the
        // point on press stops it there, for mouse and touch alike; a Flickable around can still take a drag.
        // Every TapHandler of the kiosk does the same (tests/qml/test_modal_input.py checks).
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.toggled()
    }
}
