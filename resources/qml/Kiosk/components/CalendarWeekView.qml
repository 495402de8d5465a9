pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A week on a time axis: the days' heads, an all-day row, then each day's timed events placed by their minutes,
// overlapping ones side by side (the columns come from kiosk/services/calendar_views.py).
Item {
    id: root
    property var week: ({ days: [], fromHour: 8, toHour: 18 })
    signal open(string eventId, string start)
    signal openDay(string date)

    objectName: "weekView"
    readonly property int axisWidth: Theme.kiosk ? 76 : 52
    readonly property real dayWidth: (width - axisWidth) / 7
    readonly property int headHeight: Math.round(Theme.fontSmall * 1.6)
    readonly property int chipHeight: Math.round(Theme.fontSmall * 1.45)
    readonly property int allDayRows: Math.max(1, Math.max.apply(null, (root.week.days || []).map(d => d.allDay.length).concat([0])))
    readonly property int allDayHeight: allDayRows * (chipHeight + 2) + 4
    readonly property int hours: Math.max(1, root.week.toHour - root.week.fromHour)
    readonly property real hourHeight: (height - headHeight - allDayHeight) / hours

    Rectangle { anchors.fill: parent; color: Theme.card; border.width: 1; border.color: Theme.border }
    Text {
        width: root.axisWidth
        y: root.headHeight
        height: root.allDayHeight
        verticalAlignment: Text.AlignVCenter
        horizontalAlignment: Text.AlignHCenter
        text: qsTr("全天")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
    }
    // The hour lines and their labels.
    Repeater {
        model: root.hours + 1
        delegate: Item {
            id: hourLine
            required property int index
            y: root.headHeight + root.allDayHeight + index * root.hourHeight
            width: root.width
            Rectangle { x: root.axisWidth; width: root.width - root.axisWidth; height: 1; color: Theme.border }
            Text {
                visible: hourLine.index < root.hours
                width: root.axisWidth - 6
                y: 2
                horizontalAlignment: Text.AlignRight
                text: String(root.week.fromHour + hourLine.index).padStart(2, "0") + ":00"
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
        }
    }
    Repeater {
        model: root.week.days
        delegate: Item {
            id: day
            required property var modelData
            objectName: "weekDay_" + modelData.date
            x: root.axisWidth + modelData.weekday * root.dayWidth
            width: root.dayWidth
            height: root.height
            Rectangle { width: 1; height: parent.height; color: Theme.border }
            Rectangle {
                width: parent.width
                height: root.headHeight
                color: day.modelData.today ? Theme.primaryLight : "transparent"
                Text {
                    anchors.centerIn: parent
                    text: qsTr("%1 %2日").arg(CalendarStyle.weekday(day.modelData.weekday)).arg(day.modelData.day)
                          + (day.modelData.today ? qsTr(" 今天") : "")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: day.modelData.today
                    color: day.modelData.today ? Theme.accent : Theme.text
                }
                TapHandler {
                    gesturePolicy: TapHandler.ReleaseWithinBounds
                    onTapped: root.openDay(day.modelData.date)
                }
            }
            Column {
                id: allDayColumn
                y: root.headHeight + 2
                x: 2
                width: parent.width - 4
                spacing: 2
                Repeater {
                    model: day.modelData.allDay
                    delegate: CalendarChip {
                        required property var modelData
                        event: modelData
                        width: allDayColumn.width
                        height: root.chipHeight
                        onOpen: (eventId, start) => root.open(eventId, start)
                    }
                }
            }
            Repeater {
                model: day.modelData.timed
                delegate: CalendarChip {
                    required property var modelData
                    readonly property real axisTop: root.headHeight + root.allDayHeight
                    readonly property real minute: root.hourHeight / 60
                    event: modelData
                    detailed: true
                    showClock: false
                    x: 2 + modelData.column * (day.width - 4) / modelData.columns
                    width: (day.width - 4) / modelData.columns - 2
                    y: axisTop + (modelData.startMin - root.week.fromHour * 60) * minute + 1
                    height: Math.max(root.chipHeight, (modelData.endMin - modelData.startMin) * minute - 2)
                    onOpen: (eventId, start) => root.open(eventId, start)
                }
            }
        }
    }
}
