pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 暂停同步的操作: writes of this user the server kept failing on. The queue went on without them; each can be
// sent again (the server may have been fixed) or given up, which undoes what it changed here.
Rectangle {
    id: root
    objectName: "parkedOpsCard"
    visible: Sync.parkedCount > 0 && Session.loggedIn
    implicitHeight: visible ? column.implicitHeight + 2 * Theme.spacing : 0
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.warning

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing / 2

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppIcon { name: "alert-circle"; color: Theme.warning }
            Text {
                Layout.fillWidth: true
                text: qsTr("%1 项操作暂停同步：服务器多次处理失败，其余操作照常同步").arg(Sync.parkedCount)
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
            }
            AppButton {
                objectName: "retryParkedButton"
                kind: "secondary"
                iconName: "refresh"
                text: qsTr("全部重试")
                onClicked: Sync.retryParked()
            }
        }
        Repeater {
            model: Sync.parkedOps // qmllint disable unresolved-type
            delegate: RowLayout {
                id: op
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                Text {
                    Layout.fillWidth: true
                    text: op.modelData.name + (op.modelData.error ? qsTr("：%1").arg(op.modelData.error) : "")
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    color: Theme.textSecondary
                }
                AppButton {
                    objectName: "discardParked_" + op.modelData.id
                    kind: "text"
                    text: qsTr("放弃")
                    onClicked: Sync.discardParked(op.modelData.id)
                }
            }
        }
    }
}
