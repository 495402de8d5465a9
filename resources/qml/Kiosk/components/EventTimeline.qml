pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// 办理记录, the application's audit trail: who did what, when, at which step, with what comment.
Rectangle {
    id: root
    // The server's events: [{at, atText, actor_name, action, action_name, step_name, comment}], oldest first;
    // atText is `at` in the campus's time (kiosk/services/campus_time.py), not this PC's.
    required property var events

    implicitHeight: timeline.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        id: timeline
        objectName: "timeline"
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        Text {
            text: qsTr("办理记录")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.primary
        }
        Repeater {
            model: root.events
            delegate: RowLayout {
                id: event
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                Rectangle {
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: 8
                    implicitWidth: 12
                    implicitHeight: 12
                    radius: 6
                    color: Theme.accent
                }
                Text {
                    objectName: "event_" + event.modelData.action
                    Layout.fillWidth: true
                    text: (event.modelData.atText || "")
                          + "  " + event.modelData.actor_name + " · " + event.modelData.action_name
                          + (event.modelData.step_name ? "（" + event.modelData.step_name + "）" : "")
                          + (event.modelData.comment ? "：" + event.modelData.comment : "")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: Theme.text
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
