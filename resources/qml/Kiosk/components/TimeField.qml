pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import Kiosk

// A time field: HH:MM (or 请选择时间) on a button that opens the touch time picker; no typing needed.
PickerButton {
    id: root
    required property string name
    required property string value  // HH:MM, or empty
    signal picked(string time)

    objectName: "input_" + root.name
    text: root.value.length > 0 ? root.value : qsTr("请选择时间")
    empty: root.value.length === 0
    iconName: "clock"
    onClicked: picker.openWith(root.value)

    TimePickerPopup {
        id: picker
        parent: Overlay.overlay
        onPicked: (time) => root.picked(time)
    }
}
