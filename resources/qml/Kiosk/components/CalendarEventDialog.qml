pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A tapped event: its kind, date and time, place, teacher or host, organiser, class, weeks, attendees and note.
// The user's own 个人日程 also offers 编辑 and 删除 (a series: each asks whether this occurrence or all of it);
// meetings and courses are read-only.
Popup {
    id: root
    objectName: "eventDialog"
    property var event: ({})
    readonly property var rows: [
        [qsTr("时间"), root.event.date ? (root.event.date + (root.event.lastDate ? " – " + root.event.lastDate : "")
                                         + " " + (root.event.allDay ? qsTr("全天") : root.event.time)) : ""],
        [qsTr("地点"), root.event.place || ""],
        [qsTr("教师"), root.event.teacher || ""],
        [qsTr("班级"), root.event.className || ""],
        [qsTr("周次"), root.event.weeks || ""],
        [qsTr("主持人"), root.event.host || ""],
        [qsTr("组织部门"), root.event.organizer || ""],
        [qsTr("参会部门"), (root.event.departments || []).join("、")],
        [qsTr("参会人员"), (root.event.attendees || []).join("、")],
        [qsTr("备注"), root.event.note || ""]
    ].filter(r => r[1].length > 0)
    property bool confirming: false
    property bool choosingEdit: false // a series' 编辑: this occurrence or all of it
    signal dismissed()
    signal editRequested(string eventId, string start, bool onlyThis)
    signal removeRequested(string eventId, string start, bool onlyThis)

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 720, Theme.kiosk ? 760 : 520)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.5) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }
    onClosed: { root.confirming = false; root.choosingEdit = false; root.dismissed() }
    contentItem: ColumnLayout {
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Rectangle {
                Layout.preferredWidth: badge.implicitWidth + Theme.spacing
                Layout.preferredHeight: badge.implicitHeight + 8
                radius: height / 2
                color: CalendarStyle.tint(root.event.kind || "")
                Row {
                    id: badge
                    anchors.centerIn: parent
                    spacing: 4
                    AppIcon {
                        anchors.verticalCenter: parent.verticalCenter
                        name: CalendarStyle.icon(root.event.kind || "")
                        size: Theme.fontBody
                        color: CalendarStyle.colour(root.event.kind || "")
                    }
                    Text {
                        text: CalendarStyle.word(root.event.kind || "")
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        color: CalendarStyle.colour(root.event.kind || "")
                    }
                }
            }
            Text {
                objectName: "eventTitle"
                Layout.fillWidth: true
                text: root.event.title || ""
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
                wrapMode: Text.Wrap
            }
        }
        GridLayout {
            objectName: "eventFacts"
            Layout.fillWidth: true
            columns: 2
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing / 2
            Repeater {
                model: root.rows.length * 2
                delegate: Text {
                    required property int index
                    readonly property bool label: index % 2 === 0
                    Layout.fillWidth: !label
                    Layout.alignment: Qt.AlignTop
                    text: root.rows[Math.floor(index / 2)][label ? 0 : 1]
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: label ? Theme.textSecondary : Theme.text
                    wrapMode: Text.Wrap
                }
            }
        }
        Text {
            objectName: "eventEditQuestion"
            Layout.fillWidth: true
            visible: root.choosingEdit
            text: qsTr("修改“%1”的这一次，还是整个重复日程？").arg(root.event.title || "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "eventDeleteQuestion"
            Layout.fillWidth: true
            visible: root.confirming
            text: root.event.repeats ? qsTr("删除“%1”的这一次，还是整个重复日程？").arg(root.event.title || "")
                                     : qsTr("删除“%1”？删除后不能恢复。").arg(root.event.title || "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.error
            wrapMode: Text.Wrap
        }
        Flow {
            Layout.fillWidth: true
            layoutDirection: Qt.RightToLeft
            spacing: Theme.spacing
            AppButton {
                objectName: "eventClose"
                visible: !root.confirming && !root.choosingEdit
                kind: "primary"
                text: qsTr("关闭")
                onClicked: root.close()
            }
            AppButton {
                objectName: "eventEdit"
                visible: root.event.editable === true && !root.confirming && !root.choosingEdit
                text: qsTr("编辑")
                onClicked: {
                    if (root.event.repeats === true) {
                        root.choosingEdit = true
                    } else {
                        root.editRequested(root.event.id, root.event.start, false)
                        root.close()
                    }
                }
            }
            AppButton {
                objectName: "eventEditAll"
                visible: root.choosingEdit
                kind: "primary"
                text: qsTr("修改整个日程")
                onClicked: { root.editRequested(root.event.id, root.event.start, false); root.close() }
            }
            AppButton {
                objectName: "eventEditThis"
                visible: root.choosingEdit
                text: qsTr("只修改这一次")
                onClicked: { root.editRequested(root.event.id, root.event.start, true); root.close() }
            }
            AppButton {
                objectName: "eventEditCancel"
                visible: root.choosingEdit
                text: qsTr("取消")
                onClicked: root.choosingEdit = false
            }
            AppButton {
                objectName: "eventDelete"
                visible: root.event.editable === true && !root.confirming && !root.choosingEdit
                text: qsTr("删除")
                foreground: Theme.error
                onClicked: root.confirming = true
            }
            AppButton {
                objectName: "eventDeleteAll"
                visible: root.confirming
                kind: "primary"
                text: root.event.repeats ? qsTr("删除整个日程") : qsTr("删除")
                onClicked: { root.removeRequested(root.event.id, root.event.start, false); root.close() }
            }
            AppButton {
                objectName: "eventDeleteThis"
                visible: root.confirming && root.event.repeats === true
                text: qsTr("只删除这一次")
                onClicked: { root.removeRequested(root.event.id, root.event.start, true); root.close() }
            }
            AppButton {
                objectName: "eventDeleteCancel"
                visible: root.confirming
                text: qsTr("取消")
                onClicked: root.confirming = false
            }
        }
    }
}
