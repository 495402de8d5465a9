pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A short confirmation at the bottom of the page (已保存，待同步): it never takes input or focus.
Rectangle {
    id: root
    objectName: "toast"
    property string message: ""

    function show(text: string) {
        message = text
        opacity = 1
        hideTimer.restart()
    }
    // Gone at once (a logout): no fade that a next user could read.
    // (The fade is switched off for it: with it the empty pill still faded over the login page for 200 ms.)
    function clear() {
        hideTimer.stop()
        fade.enabled = false
        opacity = 0
        fade.enabled = true
        message = ""
    }

    visible: opacity > 0
    opacity: 0
    z: 50
    implicitWidth: label.implicitWidth + 2 * Theme.spacingLarge
    implicitHeight: label.implicitHeight + Theme.spacingLarge
    radius: implicitHeight / 2
    color: Qt.rgba(0.11, 0.14, 0.19, 0.92)
    Behavior on opacity { id: fade; NumberAnimation { duration: Theme.animationMs } }

    Text {
        id: label
        objectName: "toastText"
        anchors.centerIn: parent
        text: root.message
        color: "white"
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }
    Timer {
        id: hideTimer
        interval: 2500
        onTriggered: root.opacity = 0
    }
}
