pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// One hall process as a card: its name, handling department and who may apply.
Rectangle {
    id: root
    required property string name
    required property string departmentName
    required property string audience
    required property string code
    signal activated(string code)

    objectName: "process_" + code
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : Theme.card
    border.color: Theme.border
    implicitHeight: content.implicitHeight + 2 * Theme.spacing

    Column {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 4
        Text {
            width: parent.width
            text: root.name
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            width: parent.width
            text: root.departmentName + " · " + root.audience
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            elide: Text.ElideRight
        }
    }
    TapHandler {
        id: tap
        onTapped: root.activated(root.code)
    }
}
