pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// The progress page's step bar, as the manual shows it: 1 申请人填写 → 2 … → 办结, done steps ticked, the
// current one highlighted, a step where the application stopped (不予办理, 终止) outlined in red.
Flow {
    id: root
    objectName: "stepBar"
    // The server's steps: [{key, name, state: "done" | "current" | "pending" | "stopped"}].
    required property var steps
    spacing: Theme.spacing

    Repeater {
        model: root.steps
        delegate: Row {
            id: step
            required property var modelData
            required property int index
            readonly property bool current: modelData.state === "current"
            readonly property bool done: modelData.state === "done"
            spacing: Theme.spacing
            Rectangle {
                objectName: "step_" + step.modelData.key
                width: stepName.implicitWidth + Theme.touchMin + Theme.spacing
                height: Theme.touchMin
                radius: height / 2
                color: step.current ? Theme.primary : step.done ? Theme.primaryLight : Theme.card
                border.color: step.modelData.state === "stopped" ? Theme.error : step.current ? Theme.primary : Theme.border
                Rectangle {
                    x: 6
                    anchors.verticalCenter: parent.verticalCenter
                    width: parent.height - 12
                    height: width
                    radius: width / 2
                    color: step.current ? Theme.card : step.done ? Theme.primary : Theme.page
                    Text {
                        anchors.centerIn: parent
                        text: step.done ? "✓" : step.index + 1
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: step.current ? Theme.primary : step.done ? Theme.textOnPrimary : Theme.textSecondary
                    }
                }
                Text {
                    id: stepName
                    x: parent.height
                    anchors.verticalCenter: parent.verticalCenter
                    text: step.modelData.name
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: step.current
                    color: step.current ? Theme.textOnPrimary : step.done ? Theme.primary : Theme.textSecondary
                }
            }
            AppIcon {
                visible: step.index < root.steps.length - 1
                anchors.verticalCenter: parent.verticalCenter
                name: "chevron-right"
                color: Theme.textSecondary
            }
        }
    }
}
