pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// "Where am I, how do I leave": the page title and, when there is somewhere to go back to, a back action.
RowLayout {
    id: root
    property string title
    property string subtitle
    property bool canGoBack: false
    signal back()

    spacing: Theme.spacing

    AppButton {
        objectName: "backButton"
        visible: root.canGoBack
        kind: "secondary"
        iconName: "arrow-left"
        text: qsTr("返回")
        onClicked: root.back()
    }
    Column {
        Layout.fillWidth: true
        Text {
            text: root.title
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            width: parent.width
            elide: Text.ElideRight
        }
        Text {
            visible: root.subtitle.length > 0
            text: root.subtitle
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
            width: parent.width
            wrapMode: Text.Wrap
        }
    }
}
