pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// The manual's month: 周一 … 周日 and six weeks, the neighbouring months' days greyed, up to three chips a day
// and "+N" for the rest. Tapping a day's free space opens that day.
ColumnLayout {
    id: root
    property var cells: []
    signal open(string eventId, string start)
    signal openDay(string date)

    objectName: "monthGrid"
    spacing: 0
    readonly property real cellWidth: width / 7
    readonly property var blankCell: ({ date: "", day: 0, inMonth: false, today: false, weekend: false, chips: [],
                                        more: 0, count: 0 })

    Row {
        Layout.fillWidth: true
        Repeater {
            model: 7
            delegate: Text {
                required property int index
                width: root.cellWidth
                horizontalAlignment: Text.AlignHCenter
                text: CalendarStyle.weekday(index)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
                color: index >= 5 ? Theme.primary : Theme.textSecondary
                bottomPadding: Theme.spacing / 2
            }
        }
    }
    Grid {
        id: grid
        Layout.fillWidth: true
        Layout.fillHeight: true
        columns: 7
        readonly property real cellHeight: height / 6
        // 42 cells made once: a month switch changes what they show, not which items exist (recreating the cells
        // and their chips on every ‹ › cost about 0.3 s with a full term; bench/bench_calendar_month.py).
        Repeater {
            model: 42
            delegate: Rectangle {
                id: cell
                required property int index
                readonly property var modelData: root.cells[index] || root.blankCell // qmllint disable unresolved-type
                objectName: "day_" + modelData.date
                width: root.cellWidth
                height: grid.cellHeight
                color: modelData.today ? Theme.primaryLight : modelData.inMonth ? Theme.card : Theme.page
                border.width: 1
                border.color: Theme.border
                readonly property int chipHeight: Math.max(16, Math.min(Math.round(Theme.fontSmall * 1.45),
                                                                       (height - dayLabel.height - 6) / 3 - 2))
                TapHandler {
                    gesturePolicy: TapHandler.ReleaseWithinBounds
                    onTapped: root.openDay(cell.modelData.date)
                }
                Text {
                    id: dayLabel
                    x: 6
                    y: 2
                    text: cell.modelData.today ? qsTr("%1日 今天").arg(cell.modelData.day)
                                               : qsTr("%1日").arg(cell.modelData.day)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: cell.modelData.today
                    color: !cell.modelData.inMonth ? Theme.disabled
                           : cell.modelData.today ? Theme.accent : Theme.text
                }
                Text {
                    objectName: "more"
                    visible: cell.modelData.more > 0
                    anchors.right: parent.right
                    anchors.rightMargin: 6
                    y: 2
                    text: qsTr("+%1").arg(cell.modelData.more)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    color: Theme.accent
                }
                Column {
                    id: chipColumn
                    x: 3
                    y: dayLabel.height + 4
                    width: cell.width - 6
                    spacing: 2
                    opacity: cell.modelData.inMonth ? 1 : 0.6
                    // Three chip slots, shown when the day has that many (the rest are "+N").
                    Repeater {
                        model: 3
                        delegate: CalendarChip {
                            required property int index
                            readonly property var chipData: cell.modelData.chips[index] // qmllint disable unresolved-type
                            visible: chipData !== undefined
                            event: chipData || ({})
                            showClock: root.cellWidth >= (Theme.kiosk ? 220 : 150) // narrow: the title only
                            width: chipColumn.width
                            height: cell.chipHeight
                            onOpen: (eventId, start) => root.open(eventId, start)
                        }
                    }
                }
            }
        }
    }
}
