pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// (CalendarEditor.form and .errors are QVariantMaps, which pyside6-metaobjectdump cannot declare: the
// lines that read them tell qmllint so.)
// 新增日程 / 编辑日程 over the calendar: title, 全天, start and end with the touch date and time pickers, place,
// note, reminder and repetition. Every field writes to CalendarEditor as it changes, so an error (in Chinese,
// under its field) loses nothing typed. It fills the page, which shrinks above the virtual keyboard; the
// scroller keeps the focused field in view.
Rectangle {
    id: root
    objectName: "calendarEditSheet"
    readonly property var form: CalendarEditor.form // qmllint disable unresolved-type
    readonly property var errors: CalendarEditor.errors // qmllint disable unresolved-type
    readonly property var reminderNames: ({ none: qsTr("无"), "0": qsTr("开始时"), "5": qsTr("5分钟前"),
                                            "15": qsTr("15分钟前"), "30": qsTr("30分钟前"), "60": qsTr("1小时前"),
                                            "1440": qsTr("1天前") })
    readonly property var repeatNames: ({ none: qsTr("不重复"), daily: qsTr("每天"), weekly: qsTr("每周") })
    readonly property var repeatEndNames: ({ until: qsTr("截止日期"), count: qsTr("重复次数") })

    function text(key: string): string { return root.form[key] === undefined ? "" : String(root.form[key]) }
    function error(key: string): string { return root.errors[key] === undefined ? "" : String(root.errors[key]) }

    color: Theme.page
    visible: CalendarEditor.isOpen

    // Takes every press that no field takes: nothing reaches the calendar under the sheet (its swipe, a chip).
    MouseArea {
        anchors.fill: parent
        preventStealing: true
    }

    // A label over its control(s) and the field's error under them.
    component Labelled: ColumnLayout {
        id: labelled
        property string label
        property string errorText
        default property alias controls: holder.data
        Layout.fillWidth: true
        spacing: 4
        Text {
            text: labelled.label
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }
        Flow {
            id: holder
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
        }
        Text {
            Layout.fillWidth: true
            visible: labelled.errorText.length > 0
            text: labelled.errorText
            color: Theme.error
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "editHeading"
                Layout.fillWidth: true
                text: CalendarEditor.occurrence ? qsTr("只修改这一次") : CalendarEditor.editing ? qsTr("编辑日程")
                                                                                     : qsTr("新增日程")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
            }
            AppButton {
                objectName: "editCancel"
                text: qsTr("取消")
                onClicked: CalendarEditor.cancel()
            }
            AppButton {
                objectName: "editSave"
                kind: "primary"
                iconName: "check"
                text: CalendarEditor.busy ? qsTr("保存中…") : qsTr("保存")
                enabled: !CalendarEditor.busy
                onClicked: CalendarEditor.save()
            }
        }
        FormScroller {
            id: scroller
            objectName: "editScroller"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: fields.implicitHeight + Theme.spacingLarge
            ColumnLayout {
                id: fields
                width: Math.min(scroller.width - Theme.spacing, Theme.kiosk ? 1100 : 820)
                x: Math.max(0, (scroller.width - width) / 2)
                spacing: Theme.spacingLarge
                Text {
                    objectName: "editOccurrenceNote"
                    Layout.fillWidth: true
                    visible: CalendarEditor.occurrence
                    text: qsTr("只改“%1”这一次的时间，其余各次不变；标题、地点等请编辑整个日程。").arg(root.text("title"))
                    color: Theme.textSecondary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "editFormError"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: root.error("form")
                    color: Theme.error
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                Labelled {
                    label: qsTr("标题")
                    visible: !CalendarEditor.occurrence // 只修改这一次: the times only
                    AppTextField {
                        objectName: "editTitle"
                        width: fields.width
                        placeholderText: qsTr("必填，如：组会")
                        iconName: "calendar-event"
                        maximumLength: 128
                        text: root.text("title")
                        errorText: root.error("title")
                        onTextEdited: CalendarEditor.set("title", text)
                    }
                }
                Labelled {
                    label: qsTr("时间")
                    errorText: root.error("startDate") || root.error("startTime") || root.error("endDate")
                               || root.error("endTime") || root.error("end")
                    ChoiceChip {
                        objectName: "editAllDay"
                        visible: !CalendarEditor.occurrence
                        text: qsTr("全天")
                        multiple: true
                        checked: root.form.allDay === true
                        onToggled: CalendarEditor.set("allDay", !(root.form.allDay === true))
                    }
                    Row {
                        spacing: Theme.spacing / 2
                        Text {
                            height: Theme.touchMin
                            verticalAlignment: Text.AlignVCenter
                            text: qsTr("开始")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                        }
                        DateField {
                            name: "editStartDate"
                            width: Theme.kiosk ? 260 : 170
                            value: root.text("startDate")
                            invalid: root.error("startDate").length > 0
                            onPicked: (date) => CalendarEditor.set("startDate", date)
                        }
                        TimeField {
                            name: "editStartTime"
                            width: Theme.kiosk ? 180 : 110
                            visible: root.form.allDay !== true
                            value: root.text("startTime")
                            invalid: root.error("startTime").length > 0
                            onPicked: (time) => CalendarEditor.set("startTime", time)
                        }
                    }
                    Row {
                        spacing: Theme.spacing / 2
                        Text {
                            height: Theme.touchMin
                            verticalAlignment: Text.AlignVCenter
                            text: qsTr("结束")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                        }
                        DateField {
                            name: "editEndDate"
                            width: Theme.kiosk ? 260 : 170
                            value: root.text("endDate")
                            invalid: root.error("endDate").length > 0 || root.error("end").length > 0
                            onPicked: (date) => CalendarEditor.set("endDate", date)
                        }
                        TimeField {
                            name: "editEndTime"
                            width: Theme.kiosk ? 180 : 110
                            visible: root.form.allDay !== true
                            value: root.text("endTime")
                            invalid: root.error("endTime").length > 0 || root.error("end").length > 0
                            onPicked: (time) => CalendarEditor.set("endTime", time)
                        }
                    }
                }
                Labelled {
                    label: qsTr("地点")
                    visible: !CalendarEditor.occurrence // 只修改这一次: the times only
                    AppTextField {
                        objectName: "editPlace"
                        width: fields.width
                        placeholderText: qsTr("选填")
                        iconName: "building"
                        maximumLength: 64
                        text: root.text("place")
                        errorText: root.error("place")
                        onTextEdited: CalendarEditor.set("place", text)
                    }
                }
                Labelled {
                    label: qsTr("备注")
                    visible: !CalendarEditor.occurrence // 只修改这一次: the times only
                    AppTextField {
                        objectName: "editNote"
                        width: fields.width
                        placeholderText: qsTr("选填")
                        iconName: "file-text"
                        maximumLength: 2000
                        text: root.text("note")
                        errorText: root.error("note")
                        onTextEdited: CalendarEditor.set("note", text)
                    }
                }
                Labelled {
                    label: qsTr("提醒")
                    visible: !CalendarEditor.occurrence // 只修改这一次: the times only
                    errorText: root.error("reminder")
                    Repeater {
                        model: ["none", "0", "5", "15", "30", "60", "1440"]
                        delegate: ChoiceChip {
                            required property string modelData
                            objectName: "reminder_" + modelData
                            text: root.reminderNames[modelData]
                            checked: root.text("reminder") === modelData
                            onToggled: CalendarEditor.set("reminder", modelData)
                        }
                    }
                }
                Labelled {
                    label: qsTr("重复")
                    visible: !CalendarEditor.occurrence // 只修改这一次: the times only
                    errorText: root.error("repeat") || root.error("repeatUntil") || root.error("repeatCount")
                    Repeater {
                        model: ["none", "daily", "weekly"]
                        delegate: ChoiceChip {
                            required property string modelData
                            objectName: "repeat_" + modelData
                            text: root.repeatNames[modelData]
                            checked: root.text("repeat") === modelData
                            onToggled: CalendarEditor.set("repeat", modelData)
                        }
                    }
                }
                Labelled {
                    label: qsTr("结束重复")
                    visible: !CalendarEditor.occurrence && root.text("repeat") !== "none" && root.text("repeat") !== ""
                    Repeater {
                        model: ["count", "until"]
                        delegate: ChoiceChip {
                            required property string modelData
                            objectName: "repeatEnd_" + modelData
                            text: root.repeatEndNames[modelData]
                            checked: root.text("repeatEnd") === modelData
                            onToggled: CalendarEditor.set("repeatEnd", modelData)
                        }
                    }
                    DateField {
                        name: "editRepeatUntil"
                        width: Theme.kiosk ? 260 : 180
                        visible: root.text("repeatEnd") === "until"
                        value: root.text("repeatUntil")
                        invalid: root.error("repeatUntil").length > 0
                        onPicked: (date) => CalendarEditor.set("repeatUntil", date)
                    }
                    AppTextField {
                        objectName: "editRepeatCount"
                        width: Theme.kiosk ? 200 : 140
                        visible: root.text("repeatEnd") !== "until"
                        placeholderText: qsTr("次数")
                        inputMethodHints: Qt.ImhDigitsOnly
                        maximumLength: 4
                        text: root.text("repeatCount")
                        invalid: root.error("repeatCount").length > 0
                        onTextEdited: CalendarEditor.set("repeatCount", text)
                    }
                }
            }
        }
    }
}
