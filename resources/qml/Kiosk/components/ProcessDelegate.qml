pragma ComponentBehavior: Bound
import QtQuick
import Kiosk
import Kiosk.Backend

// One hall process as a card: its name, handling department and who may apply; for a logged-in user a ★
// toggle and the sync state of their last ★ write.
Rectangle {
    id: root
    required property string name
    required property string departmentName
    required property string audience
    required property string code
    property bool favorite: false
    property string nameHtml: ""   // the name with a search's matches in bold
    property int rank: 0           // 热门服务's place, shown as a small number
    property string syncState: ""
    property string syncError: ""
    signal activated(string code)

    objectName: "process_" + code
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : Theme.card
    border.color: Theme.border
    implicitHeight: content.implicitHeight + 2 * Theme.spacing

    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
        onTapped: root.activated(root.code)
    }

    Column {
        id: content
        anchors.left: parent.left
        anchors.right: star.visible ? star.left : parent.right
        // Centred: a card is as tall as a two-line name needs, and a one-line one should not float at the top.
        anchors.verticalCenter: parent.verticalCenter
        anchors.margins: Theme.spacing
        spacing: 4
        Text {
            objectName: "processName"
            width: parent.width
            text: (root.rank > 0 ? root.rank + ". " : "") + (root.nameHtml.length > 0 ? root.nameHtml : root.name)
            textFormat: root.nameHtml.length > 0 ? Text.StyledText : Text.PlainText
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
        SyncBadge {
            id: badge
            state_: root.syncState
            reason: root.syncError
        }
    }

    // ★: a full touch target of its own at the card's right edge, apart from the card's tap.
    Item {
        id: star
        objectName: "favorite_" + root.code
        visible: Session.loggedIn
        width: Theme.touchMin
        height: Theme.touchMin
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.rightMargin: 4
        Accessible.role: Accessible.CheckBox
        Accessible.name: root.favorite ? qsTr("取消收藏") : qsTr("收藏")
        Accessible.checked: root.favorite
        Rectangle {
            anchors.centerIn: parent
            width: parent.width - 8
            height: width
            radius: width / 2
            color: starTap.pressed ? Theme.primaryLight : "transparent"
        }
        AppIcon {
            anchors.centerIn: parent
            name: root.favorite ? "star-filled" : "star"
            color: root.favorite ? "#e0a100" : Theme.textSecondary
        }
        TapHandler {
            id: starTap
            // Takes the touch for itself: a tap on ★ must not also open the card.
            gesturePolicy: TapHandler.ReleaseWithinBounds
            onTapped: Catalog.toggleFavorite(root.code)
        }
    }
}
