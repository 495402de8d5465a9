pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// One event in the month grid or the week: the kind's stripe, icon and tint, its clock and title.
Rectangle {
    id: root
    property var event: ({})
    property bool showClock: true
    property bool detailed: false // the week's blocks: title, then time and place below
    signal open(string eventId, string start)

    objectName: "chip_" + (root.event.title || "")
    readonly property string kind: root.event.kind || ""
    readonly property int fontSize: Theme.fontSmall
    implicitHeight: Math.round(fontSize * 1.45)
    radius: 4
    color: tap.pressed ? Qt.darker(CalendarStyle.tint(kind), 1.1) : CalendarStyle.tint(kind)
    border.width: Theme.contrast ? 1 : 0
    border.color: CalendarStyle.colour(kind)
    // Clipping costs the software renderer a save/clip/restore per chip (a month shows up to 126): only when the
    // text could spill, in the week's blocks or a chip lower than its line.
    clip: root.detailed || root.height < line.height
    Accessible.role: Accessible.Button
    Accessible.name: CalendarStyle.word(kind) + " " + (root.event.time || "") + " " + (root.event.title || "")

    Rectangle {
        width: 4
        height: parent.height
        color: CalendarStyle.colour(root.kind)
    }
    Row {
        id: line
        x: 8
        y: root.detailed ? 2 : (root.height - height) / 2
        width: root.width - 10
        spacing: 4
        AppIcon {
            smooth: false // drawn at its own size
            y: Math.round(root.fontSize * 0.25)
            name: CalendarStyle.icon(root.kind)
            size: Math.round(root.fontSize * 0.9)
            color: CalendarStyle.colour(root.kind)
        }
        Text {
            width: line.width - x
            text: (root.showClock && root.event.clock ? root.event.clock + " " : "") + (root.event.title || "")
            font.family: Theme.fontFamily
            font.pixelSize: root.fontSize
            font.bold: root.detailed
            color: Theme.text
            wrapMode: root.detailed ? Text.Wrap : Text.NoWrap // a narrow week column: the title on two lines
            maximumLineCount: root.detailed && root.height > root.fontSize * 4.2 ? 2 : 1 // two only with the time below
            elide: Text.ElideRight
        }
    }
    Text {
        visible: root.detailed && root.height > line.height * 2
        x: 8
        y: line.y + line.height
        width: root.width - 10
        height: root.height - y
        // Time, then place: as many lines as the block has room for, the last one elided.
        text: [root.event.time || "", root.event.place || ""].filter(s => s.length > 0).join(" ")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.kiosk ? root.fontSize : Math.max(12, Math.round(root.fontSize * 0.85)) // kiosk ≥ 20 px
        color: Theme.textSecondary
        wrapMode: Text.Wrap
        maximumLineCount: Math.max(1, Math.floor(height / (font.pixelSize * 1.35)))
        elide: Text.ElideRight
    }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.open(root.event.id, root.event.start)
    }
}
