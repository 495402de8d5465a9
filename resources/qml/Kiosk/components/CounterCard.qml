pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// One of 首页's figures (the manual's (1)–(4)): the number and where it came from, or "—" and the reason there
// is none. A figure from the demo connector says 演示数据 so nobody takes it for a live one.
Rectangle {
    id: root
    property string label
    property string iconName
    property string value: "—"      // "—" when unknown
    property bool known: false
    property string reason          // why there is no figure
    property bool demo: false
    property string asOf: ""            // HH:MM the source was read
    property bool tappable: false
    property string hint: ""            // what a tap does
    signal tapped()

    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.border

    Column {
        id: column
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.spacing
        spacing: 2
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing / 2
            AppIcon { name: root.iconName; color: Theme.primary; anchors.verticalCenter: parent.verticalCenter }
            Text {
                objectName: "counterValue"
                text: root.value
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCounter
                font.bold: true
                color: root.known ? Theme.primary : Theme.textSecondary
            }
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: root.label
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
        Text {
            objectName: "counterNote"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: !root.known ? root.reason
                  : root.demo ? qsTr("演示数据")
                  : root.hint.length > 0 ? root.hint
                  : root.asOf.length > 0 ? qsTr("更新于 %1").arg(root.asOf) : ""
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: root.known && root.demo ? Theme.warning : Theme.textSecondary
            elide: Text.ElideRight
        }
    }
    TapHandler {
        gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
        enabled: root.tappable
        onTapped: root.tapped()
    }
}
