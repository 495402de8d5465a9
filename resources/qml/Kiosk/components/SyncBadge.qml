pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Where a user's write to this item stands: 待同步 (saved here, on its way), 已同步 (the server has it) or
// 被拒绝 and the server's reason, or 同步暂停 (the server kept failing on it; 我的 offers 重试 or 放弃). A word and an
// icon, never colour alone. Empty state: nothing shown.
Rectangle {
    id: root
    property string state_: ""   // "" | pending | applied | rejected | parked
    property string reason: ""

    readonly property color tone: state_ === "rejected" ? Theme.error
                                  : state_ === "applied" ? Theme.success : Theme.warning
    objectName: "syncBadge"
    visible: state_.length > 0
    implicitWidth: row.implicitWidth + Theme.spacing
    implicitHeight: row.implicitHeight + 4
    radius: height / 2
    color: Qt.rgba(tone.r, tone.g, tone.b, 0.10)
    border.color: Qt.rgba(tone.r, tone.g, tone.b, 0.45)

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 4
        AppIcon {
            anchors.verticalCenter: parent.verticalCenter
            name: root.state_ === "rejected" || root.state_ === "parked" ? "alert-circle"
                  : root.state_ === "applied" ? "circle-check" : "clock"
            size: Theme.fontSmall
            color: root.tone
        }
        Text {
            objectName: "syncBadgeText"
            anchors.verticalCenter: parent.verticalCenter
            width: Math.min(implicitWidth, root.parent ? root.parent.width - 3 * Theme.spacing : implicitWidth)
            text: root.state_ === "rejected" ? (root.reason.length > 0 ? qsTr("被拒绝：%1").arg(root.reason) : qsTr("被拒绝"))
                  : root.state_ === "applied" ? qsTr("已同步")
                  : root.state_ === "parked" ? qsTr("同步暂停") : qsTr("待同步")
            color: root.tone
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
    }
}
