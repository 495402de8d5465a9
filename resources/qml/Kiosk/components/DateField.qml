pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import Kiosk

// A date field: the date (or 请选择日期) on a button that opens the touch date picker; no typing needed.
PickerButton {
    id: root
    required property string name
    required property var value  // YYYY-MM-DD, or empty
    signal picked(string date)

    readonly property bool hasDate: typeof root.value === "string" && root.value.length > 0
    objectName: "input_" + root.name
    text: root.hasDate ? root.value : qsTr("请选择日期")
    empty: !root.hasDate
    iconName: "calendar-event"
    onClicked: picker.openWith(typeof root.value === "string" ? root.value : "")

    DatePickerPopup {
        id: picker
        parent: Overlay.overlay
        onPicked: (date) => root.picked(date)
    }
}
