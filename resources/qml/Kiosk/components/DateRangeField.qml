pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A date range field: 开始日期 至 结束日期, each end on a button that opens the touch date picker.
RowLayout {
    id: root
    required property string name
    required property var value  // {start, end}, each YYYY-MM-DD or empty; or empty
    property bool invalid: false
    // One end was picked: the range as it now stands, the other end possibly still empty.
    signal picked(var range)
    signal opening()  // either end's picker is about to open

    spacing: Theme.spacing
    PickerButton {
        objectName: "input_" + root.name + "_start"
        Layout.fillWidth: true
        text: root.value && root.value.start ? root.value.start : qsTr("开始日期")
        empty: !(root.value && root.value.start)
        iconName: "calendar-event"
        invalid: root.invalid
        onClicked: { root.opening(); picker.target = "start"; picker.openWith(root.value ? root.value.start : "") }
    }
    Text { text: qsTr("至"); font.family: Theme.fontFamily; font.pixelSize: Theme.fontBody; color: Theme.text }
    PickerButton {
        objectName: "input_" + root.name + "_end"
        Layout.fillWidth: true
        text: root.value && root.value.end ? root.value.end : qsTr("结束日期")
        empty: !(root.value && root.value.end)
        iconName: "calendar-event"
        invalid: root.invalid
        onClicked: { root.opening(); picker.target = "end"; picker.openWith(root.value ? root.value.end : "") }
    }

    DatePickerPopup {
        id: picker
        property string target: "start"  // the end being picked
        parent: Overlay.overlay
        onPicked: (date) => {
            const range = { start: root.value ? root.value.start : "", end: root.value ? root.value.end : "" }
            range[picker.target] = date
            root.picked(range)
        }
    }
}
