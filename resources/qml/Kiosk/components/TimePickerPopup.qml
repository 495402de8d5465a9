pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A touch time picker: the hour on a grid of 24 big cells, the minute on twelve (every 5 minutes), then 确定;
// no typing needed on a kiosk. A time off the 5-minute grid (an imported event's) is kept until changed.
Popup {
    id: root
    objectName: "timePicker"
    property int hour: 9
    property int minute: 0
    signal picked(string time)

    function two(n: int): string { return String(n).padStart(2, "0") }
    function openWith(current: string) {
        const parts = /^([0-9]{2}):([0-9]{2})$/.exec(current || "")
        hour = parts ? Number(parts[1]) : 9
        minute = parts ? Number(parts[2]) : 0
        open()
    }

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 640, Theme.kiosk ? 640 : 440)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.45) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }

    component Cell: Rectangle {
        id: cell
        required property int value
        required property bool chosen
        required property string label
        signal chose(int value)
        Layout.fillWidth: true
        implicitHeight: Theme.touchMin
        radius: Theme.radius
        color: cell.chosen ? Theme.accent : cellTap.pressed ? Theme.primaryLight : Theme.page
        Text {
            anchors.centerIn: parent
            text: cell.label
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: cell.chosen ? Theme.textOnPrimary : Theme.text
        }
        TapHandler {
            id: cellTap
            gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
            onTapped: cell.chose(cell.value)
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Text {
            objectName: "timePickerShown"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: root.two(root.hour) + ":" + root.two(root.minute)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Text {
            text: qsTr("时")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 6
            columnSpacing: Theme.spacing / 2
            rowSpacing: Theme.spacing / 2
            Repeater {
                model: 24
                delegate: Cell {
                    required property int index
                    objectName: "hour_" + root.two(index)
                    value: index
                    label: root.two(index)
                    chosen: root.hour === index
                    onChose: (value) => root.hour = value
                }
            }
        }
        Text {
            text: qsTr("分")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 6
            columnSpacing: Theme.spacing / 2
            rowSpacing: Theme.spacing / 2
            Repeater {
                model: 12
                delegate: Cell {
                    required property int index
                    objectName: "minute_" + root.two(index * 5)
                    value: index * 5
                    label: root.two(index * 5)
                    chosen: root.minute === index * 5
                    onChose: (value) => root.minute = value
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Item { Layout.fillWidth: true }
            AppButton { objectName: "timePickerCancel"; text: qsTr("取消"); onClicked: root.close() }
            AppButton {
                objectName: "timePickerOk"
                kind: "primary"
                text: qsTr("确定")
                onClicked: { root.picked(root.two(root.hour) + ":" + root.two(root.minute)); root.close() }
            }
        }
    }
}
