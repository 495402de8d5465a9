pragma ComponentBehavior: Bound
import QtQuick
import Kiosk
import Kiosk.Backend

// The network status in the top bar: a dot and a word (colour is never the only signal).
// Tapping it asks for a refresh now.
Rectangle {
    id: root
    objectName: "statusIndicator"
    readonly property string state_: AppState.connection
    // A crowded top bar (portrait, large text) drops the last sync's time; the state and the queue stay.
    property bool compact: false

    implicitWidth: row.implicitWidth + 2 * Theme.spacing
    implicitHeight: Theme.kiosk ? 56 : 32
    radius: height / 2
    color: tap.pressed ? Qt.rgba(1, 1, 1, 0.25) : Qt.rgba(1, 1, 1, 0.12)

    Row {
        id: row
        anchors.centerIn: parent
        spacing: Theme.spacing / 2
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            width: Theme.kiosk ? 16 : 10
            height: width
            radius: width / 2
            color: root.state_ === "online" ? "#4caf50" : root.state_ === "offline" ? "#ef5350" : "#ffb300"
            border.color: "white"
            border.width: 2
        }
        Text {
            objectName: "statusText"
            anchors.verticalCenter: parent.verticalCenter
            // The connection, then the queue: 在线 / 离线 / 同步中… (with the first sync's progress), how many
            // writes still wait, and when the last sync finished.
            text: (root.state_ === "offline" ? qsTr("离线")
                   : root.state_ !== "online" ? qsTr("连接中…")
                   : Sync.syncing ? (Sync.firstSyncProgress >= 0
                                     ? qsTr("首次同步 %1%").arg(Math.round(Sync.firstSyncProgress * 100))
                                     : qsTr("同步中…"))
                   : qsTr("在线"))
                  + (Sync.pendingCount > 0 ? qsTr(" · %1 项待同步").arg(Sync.pendingCount) : "")
                  + (Sync.parkedCount > 0 ? qsTr(" · %1 项暂停同步").arg(Sync.parkedCount) : "")
                  + (Sync.lastSync.length > 0 && !Sync.syncing && !root.compact ? qsTr(" · 上次同步 %1").arg(Sync.lastSync) : "")
            color: Theme.textOnPrimary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
        onTapped: { AppState.refresh(); Sync.syncNow() }
    }
}
