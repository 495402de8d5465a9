pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// A final action (通过 at the last step, 不予办理, 终止) is held a few seconds before its op goes into the outbox:
// this bar says so and takes it back (撤销, Ctrl+Z). Nothing was sent or stored until the time is up.
Rectangle {
    id: root
    objectName: "undoBar"
    readonly property int count: Inbox.held.count // qmllint disable stale-property-read
    readonly property string action: Inbox.held.action // qmllint disable stale-property-read
    visible: count > 0
    implicitHeight: Theme.touchMin + Theme.spacing
    radius: Theme.radius
    color: Theme.primaryDark

    // The seconds left before the held batch is written (a new batch starts again).
    property int secondsLeft: 0
    readonly property int batch: Inbox.held.batch // qmllint disable stale-property-read
    onBatchChanged: secondsLeft = Inbox.held.seconds // qmllint disable stale-property-read
    Timer {
        interval: 1000
        repeat: true
        running: root.visible && root.secondsLeft > 1
        onTriggered: root.secondsLeft -= 1
    }
    Shortcut {
        sequence: "Ctrl+Z"
        enabled: root.visible
        onActivated: Inbox.held.undo()
    }
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingLarge
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Text {
            objectName: "undoText"
            Layout.fillWidth: true
            text: (root.action === "reject" ? qsTr("已不予办理 %1 件").arg(root.count)
                   : root.action === "terminate" ? qsTr("已终止 %1 件").arg(root.count)
                   : qsTr("已通过 %1 件").arg(root.count))
                  + qsTr("，%1 秒后发送").arg(root.secondsLeft)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textOnPrimary
            elide: Text.ElideRight
        }
        AppButton {
            objectName: "undoButton"
            kind: "text"
            foreground: Theme.textOnPrimary
            text: qsTr("撤销")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("撤销（Ctrl+Z）")
            onClicked: Inbox.held.undo()
        }
        AppButton {
            objectName: "sendNow"
            kind: "text"
            foreground: Theme.textOnPrimary
            text: qsTr("立即发送")
            onClicked: Inbox.held.flush()
        }
    }
}
