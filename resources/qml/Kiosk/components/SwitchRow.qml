pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// One on/off setting: what it is, a line on what it does, and a switch that also says 开 / 关 in words (never the
// colour alone). The whole row is the touch target; a tap turns it at once.
Rectangle {
    id: root
    property string text
    property string detail: ""
    property bool checked: false
    signal toggled()

    implicitHeight: Math.max(Theme.touchMin, labels.implicitHeight + Theme.spacing)
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : "transparent"
    Accessible.role: Accessible.CheckBox
    Accessible.name: text
    Accessible.checked: checked

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing / 2
        anchors.rightMargin: Theme.spacing / 2
        spacing: Theme.spacing
        Column {
            id: labels
            Layout.fillWidth: true
            spacing: 2
            Text {
                width: parent.width
                text: root.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: root.detail.length > 0
                text: root.detail
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
                wrapMode: Text.Wrap
            }
        }
        Text {
            objectName: "switchState"
            text: root.checked ? qsTr("开") : qsTr("关")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: root.checked
            color: root.checked ? Theme.accent : Theme.textSecondary
        }
        Rectangle {
            id: track
            implicitWidth: Math.round(Theme.touchMin * 1.6)
            implicitHeight: Math.round(Theme.touchMin * 0.7)
            radius: height / 2
            color: root.checked ? Theme.accent : Theme.disabled
            Rectangle {
                width: track.height - 8
                height: width
                radius: width / 2
                y: 4
                x: root.checked ? track.width - width - 4 : 4
                color: Theme.card
                border.color: Theme.border
                Behavior on x { NumberAnimation { duration: 120 } }
            }
        }
    }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.toggled()
    }
}
