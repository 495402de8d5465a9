pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A touch date picker: month by month with big day cells, 今天 and 确定; no typing needed on a kiosk.
Popup {
    id: root
    objectName: "datePicker"
    property string value: ""          // YYYY-MM-DD, or empty
    property int shownYear: new Date().getFullYear()
    property int shownMonth: new Date().getMonth()
    signal picked(string date)

    function openWith(current: string) {
        value = current
        const d = current.length === 10 ? new Date(current + "T00:00:00") : new Date()
        shownYear = d.getFullYear()
        shownMonth = d.getMonth()
        open()
    }
    function iso(d: date): string {
        return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0")
    }
    function step(months: int) {
        let m = shownMonth + months
        shownYear += Math.floor(m / 12)
        shownMonth = ((m % 12) + 12) % 12
    }

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 640, Theme.kiosk ? 640 : 420)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.45) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            AppButton { objectName: "prevMonth"; kind: "text"; iconName: "chevron-left"; text: ""; onClicked: root.step(-1) }
            Text {
                objectName: "shownMonth"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("%1年%2月").arg(root.shownYear).arg(root.shownMonth + 1)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            AppButton { objectName: "nextMonth"; kind: "text"; iconName: "chevron-right"; text: ""; onClicked: root.step(1) }
        }
        DayOfWeekRow {
            Layout.fillWidth: true
            locale: Qt.locale("zh_CN")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        MonthGrid {
            id: grid
            Layout.fillWidth: true
            month: root.shownMonth
            year: root.shownYear
            locale: Qt.locale("zh_CN")
            delegate: Rectangle {
                id: cell
                required property var model
                readonly property string dayIso: root.iso(cell.model.date)
                objectName: "day_" + dayIso
                // Both implicit sizes: MonthGrid sizes itself from its cells', and with a width of 0 it gave the
                // days no height at all (the picker showed no days).
                implicitWidth: Theme.touchMin
                implicitHeight: Theme.touchMin
                radius: Theme.radius
                color: dayIso === root.value ? Theme.accent : dayTap.pressed ? Theme.primaryLight : "transparent"
                border.color: cell.model.today ? Theme.accent : "transparent"
                opacity: cell.model.month === grid.month ? 1 : 0.35
                Text {
                    anchors.centerIn: parent
                    text: cell.model.day
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: cell.dayIso === root.value ? Theme.textOnPrimary : Theme.text
                }
                TapHandler {
                    id: dayTap
                    gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                    onTapped: root.value = cell.dayIso
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppButton {
                objectName: "datePickerToday"
                text: qsTr("今天")
                onClicked: { root.value = root.iso(new Date()); root.shownYear = new Date().getFullYear(); root.shownMonth = new Date().getMonth() }
            }
            Item { Layout.fillWidth: true }
            AppButton { objectName: "datePickerCancel"; text: qsTr("取消"); onClicked: root.close() }
            AppButton {
                objectName: "datePickerOk"
                kind: "primary"
                text: qsTr("确定")
                enabled: root.value.length === 10
                onClicked: { root.picked(root.value); root.close() }
            }
        }
    }
}
