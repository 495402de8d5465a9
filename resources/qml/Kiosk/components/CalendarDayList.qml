pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A day's agenda, "what do I have today": time, the kind (icon and word), title, place and teacher or host.
ListView {
    id: root
    signal open(string eventId, string start)
    property string emptyText

    objectName: "dayList"
    clip: true
    spacing: Theme.spacing / 2
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar {}
    delegate: Rectangle {
        id: row
        required property var modelData
        objectName: "agenda_" + modelData.title
        width: ListView.view.width
        height: Math.max(Theme.touchPrimary, content.implicitHeight + 2 * Theme.spacing)
        radius: Theme.radius
        color: tap.pressed ? Theme.primaryLight : Theme.card
        border.width: 1
        border.color: Theme.border
        Rectangle {
            width: 6
            height: parent.height
            radius: 3
            color: CalendarStyle.colour(row.modelData.kind)
        }
        RowLayout {
            id: content
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing + 6
            anchors.rightMargin: Theme.spacing
            spacing: Theme.spacing
            Text {
                Layout.preferredWidth: Theme.kiosk ? 190 : 120
                text: row.modelData.allDay ? qsTr("全天") : row.modelData.time
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
            }
            Rectangle {
                Layout.preferredWidth: badge.implicitWidth + Theme.spacing
                Layout.preferredHeight: badge.implicitHeight + 6
                radius: height / 2
                color: CalendarStyle.tint(row.modelData.kind)
                Row {
                    id: badge
                    anchors.centerIn: parent
                    spacing: 4
                    AppIcon {
                        anchors.verticalCenter: parent.verticalCenter
                        name: CalendarStyle.icon(row.modelData.kind)
                        size: Theme.fontSmall
                        color: CalendarStyle.colour(row.modelData.kind)
                    }
                    Text {
                        text: CalendarStyle.word(row.modelData.kind)
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        color: CalendarStyle.colour(row.modelData.kind)
                    }
                }
            }
            Column {
                Layout.fillWidth: true
                Text {
                    width: parent.width
                    text: row.modelData.title
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Text {
                    width: parent.width
                    visible: text.length > 0
                    text: [row.modelData.place, row.modelData.who].filter(s => s.length > 0).join(" · ")
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                    elide: Text.ElideRight
                }
            }
            AppIcon {
                name: "chevron-right"
                size: Theme.iconSize * 0.8
                color: Theme.textSecondary
            }
        }
        TapHandler {
            id: tap
            gesturePolicy: TapHandler.ReleaseWithinBounds
            onTapped: root.open(row.modelData.id, row.modelData.start)
        }
    }
    EmptyState {
        anchors.centerIn: parent
        width: root.width * 0.7
        visible: root.count === 0
        iconName: "calendar"
        title: root.emptyText
    }
}
