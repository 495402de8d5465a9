pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// (CalendarReminders.shown is a QVariantList, which pyside6-metaobjectdump cannot declare: the line that reads it
// tells qmllint so.)
// 日程提醒: each reminder that fell due (at its time, or while the app was closed) as a card at the top of the
// window, on any page, until 知道了. Only the signed-in user's; gone at logout.
ColumnLayout {
    id: root
    objectName: "reminderBanner"
    spacing: Theme.spacing / 2
    visible: Session.loggedIn && repeater.count > 0
    z: 60

    Repeater {
        id: repeater
        model: CalendarReminders.shown // qmllint disable unresolved-type
        delegate: Rectangle {
            id: card
            required property var modelData
            required property int index
            objectName: "reminder_" + card.modelData.title
            Layout.fillWidth: true
            implicitHeight: row.implicitHeight + Theme.spacing * 2
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.accent
            border.width: 2
            RowLayout {
                id: row
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: Theme.spacing
                AppIcon { name: "bell"; color: Theme.accent }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("日程提醒：%1").arg(card.modelData.title)
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                    Text {
                        Layout.fillWidth: true
                        text: card.modelData.body
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        color: Theme.textSecondary
                        elide: Text.ElideRight
                    }
                }
                AppButton {
                    objectName: "reminderOk_" + card.index
                    text: qsTr("知道了")
                    onClicked: CalendarReminders.dismiss(card.index)
                }
            }
        }
    }
}
