pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// (Calendar.month, .day, .week, .span and .details are QVariantLists/Maps, which pyside6-metaobjectdump cannot
// declare: the lines that read them tell qmllint so.)
// 日程中心, as the manual shows it: 全部日程 | 每周会议 | 个人日程 | 我的课表, ‹ 2026年12月 › and 今天, 月 | 周 | 日; the
// month grid, the week on a time axis, or the day's agenda (the default in portrait and for a student at a kiosk).
// Swipe left or right to move. Personal, so it asks for a login first.
Item {
    id: root
    objectName: "calendarPage"
    signal loginRequested()

    readonly property bool portrait: height > width
    readonly property var tabNames: ({ all: qsTr("全部日程"), meeting: qsTr("每周会议"), personal: qsTr("个人日程"),
                                       course: qsTr("我的课表") })
    readonly property var modeNames: ({ month: qsTr("月"), week: qsTr("周"), day: qsTr("日") })

    function dateParts(iso: string): var {
        const parts = (iso || "").split("-").map(Number)
        return { y: parts[0] || 0, m: parts[1] || 0, d: parts[2] || 0 }
    }
    function heading(): string {
        const shown = root.dateParts(Calendar.shownDate)
        if (Calendar.mode === "month")
            return qsTr("%1年%2月").arg(shown.y).arg(shown.m)
        if (Calendar.mode === "week") {
            const first = root.dateParts(Calendar.span[0]) // qmllint disable unresolved-type
            const last = root.dateParts(Calendar.span[1]) // qmllint disable unresolved-type
            return qsTr("%1年%2月%3日 – %4月%5日").arg(first.y).arg(first.m).arg(first.d).arg(last.m).arg(last.d)
        }
        const weekday = (new Date(shown.y, shown.m - 1, shown.d).getDay() + 6) % 7
        return qsTr("%1年%2月%3日 %4").arg(shown.y).arg(shown.m).arg(shown.d).arg(CalendarStyle.weekday(weekday))
    }
    function suggestMode() {
        if (Session.loggedIn)
            Calendar.suggestMode(root.portrait || (Theme.kiosk && Session.role === "student") ? "day" : "month")
    }

    Component.onCompleted: root.suggestMode()
    onPortraitChanged: root.suggestMode()
    Connections {
        target: Session
        function onSignedIn() { root.suggestMode() }
    }
    Connections {
        target: Calendar
        function onDetailsChanged() {
            const shown = Calendar.details // qmllint disable unresolved-type
            if (shown.id) {
                details.event = shown
                details.open()
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        visible: !Session.loggedIn
        PageHeader {
            Layout.fillWidth: true
            title: qsTr("日程")
            subtitle: qsTr("日程中心：全部日程、每周会议、个人日程与我的课表")
        }
        EmptyState {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingLarge * 2
            iconName: "calendar-event"
            title: qsTr("登录后查看日程")
            detail: qsTr("您的课表、每周会议与个人日程")
        }
        AppButton {
            objectName: "calendarLoginButton"
            Layout.alignment: Qt.AlignHCenter
            kind: "primary"
            iconName: "user-circle"
            text: qsTr("登录")
            onClicked: root.loginRequested()
        }
        Item { Layout.fillHeight: true }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        visible: Session.loggedIn
        // 全部日程 | 每周会议 | 个人日程 | 我的课表, after the page's title.
        Flow {
            objectName: "calendarTabs"
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            Text {
                height: Theme.touchMin
                rightPadding: Theme.spacing
                verticalAlignment: Text.AlignVCenter
                text: qsTr("日程中心")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
            }
            Repeater {
                model: ["all", "meeting", "personal", "course"]
                delegate: ChoiceChip {
                    required property string modelData
                    objectName: "calendarTab_" + modelData
                    text: root.tabNames[modelData]
                    checked: Calendar.tab === modelData
                    onToggled: Calendar.setTab(modelData)
                }
            }
        }
        // ‹ 2026年12月 › 今天 …… 月 | 周 | 日
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            AppButton {
                objectName: "calendarPrevious"
                implicitWidth: Theme.touchMin
                iconName: "chevron-left"
                Accessible.name: qsTr("上一页")
                onClicked: Calendar.step(-1)
            }
            Text {
                objectName: "calendarHeading"
                height: Theme.touchMin
                leftPadding: Theme.spacing / 2
                rightPadding: Theme.spacing / 2
                verticalAlignment: Text.AlignVCenter
                text: root.heading()
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            AppButton {
                objectName: "calendarNext"
                implicitWidth: Theme.touchMin
                iconName: "chevron-right"
                Accessible.name: qsTr("下一页")
                onClicked: Calendar.step(1)
            }
            AppButton {
                objectName: "calendarToday"
                text: qsTr("今天")
                onClicked: Calendar.goToday()
            }
            AppButton {
                objectName: "calendarNew"
                kind: "primary"
                iconName: "calendar-event"
                text: qsTr("新增日程")
                onClicked: CalendarEditor.newEvent(Calendar.shownDate)
            }
            Item { width: Theme.spacingLarge; height: 1 }
            Repeater {
                model: ["month", "week", "day"]
                delegate: ChoiceChip {
                    required property string modelData
                    objectName: "calendarMode_" + modelData
                    text: root.modeNames[modelData]
                    checked: Calendar.mode === modelData
                    onToggled: Calendar.setMode(modelData)
                }
            }
        }
        // A write of the user's the server refused once synced (changed on another terminal meanwhile): said
        // until 知道了, with the event's name; the pull has brought the other terminal's version.
        Rectangle {
            objectName: "calendarRefusal"
            Layout.fillWidth: true
            visible: CalendarEditor.refusal.length > 0
            implicitHeight: refusalRow.implicitHeight + Theme.spacing
            radius: Theme.radius
            color: Theme.errorLight
            border.color: Theme.error
            RowLayout {
                id: refusalRow
                anchors.fill: parent
                anchors.margins: Theme.spacing / 2
                spacing: Theme.spacing
                AppIcon { name: "alert-circle"; color: Theme.error }
                Text {
                    objectName: "calendarRefusalText"
                    Layout.fillWidth: true
                    text: qsTr("未保存：%1").arg(CalendarEditor.refusal)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    color: Theme.error
                    wrapMode: Text.Wrap
                }
                AppButton {
                    objectName: "calendarRefusalOk"
                    text: qsTr("知道了")
                    onClicked: CalendarEditor.dismissRefusal()
                }
            }
        }
        // The shown view; a horizontal swipe beyond a fifth of its width moves by a month, week or day.
        Item {
            id: views
            objectName: "calendarViews"
            Layout.fillWidth: true
            Layout.fillHeight: true
            DragHandler {
                id: swipe
                target: null
                xAxis.enabled: true
                yAxis.enabled: false
                // The translation is gone by the time `active` turns false: keep the last one.
                property real dx: 0
                onActiveTranslationChanged: if (active) dx = activeTranslation.x
                onActiveChanged: {
                    if (active)
                        dx = 0
                    else if (Math.abs(dx) > Math.max(80, views.width / 5))
                        Calendar.step(dx < 0 ? 1 : -1)
                }
            }
            CalendarMonthGrid {
                anchors.fill: parent
                visible: Calendar.mode === "month"
                cells: Calendar.month // qmllint disable unresolved-type
                onOpen: (eventId, start) => Calendar.openEvent(eventId, start)
                onOpenDay: (date) => { Calendar.showDate(date); Calendar.setMode("day") }
            }
            CalendarWeekView {
                anchors.fill: parent
                visible: Calendar.mode === "week"
                week: Calendar.week // qmllint disable unresolved-type
                onOpen: (eventId, start) => Calendar.openEvent(eventId, start)
                onOpenDay: (date) => { Calendar.showDate(date); Calendar.setMode("day") }
            }
            CalendarDayList {
                anchors.fill: parent
                visible: Calendar.mode === "day"
                model: Calendar.day // qmllint disable unresolved-type
                emptyText: !Calendar.loaded ? qsTr("正在读取…")
                           : Calendar.tab === "all" ? qsTr("这一天没有日程") : qsTr("这一天没有%1").arg(root.tabNames[Calendar.tab])
                onOpen: (eventId, start) => Calendar.openEvent(eventId, start)
            }
        }
    }
    CalendarEventDialog {
        id: details
        onDismissed: Calendar.closeEvent()
        onEditRequested: (eventId, start, onlyThis) => onlyThis ? CalendarEditor.editOccurrence(eventId, start)
                                                                : CalendarEditor.edit(eventId)
        onRemoveRequested: (eventId, start, onlyThis) => CalendarEditor.remove(eventId, start, onlyThis)
    }
    // 新增日程 / 编辑日程, over the calendar (the page shrinks above the virtual keyboard, and the sheet with it).
    CalendarEditSheet {
        anchors.fill: parent
        visible: Session.loggedIn && CalendarEditor.isOpen
        // Closed: its field gives up the focus, so the virtual keyboard goes down with it.
        onVisibleChanged: if (!visible) root.forceActiveFocus()
    }
}
