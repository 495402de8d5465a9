pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办事大厅: every process this terminal knows, from the server or, offline, from the local copy.
Item {
    id: root
    objectName: "hallPage"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("办事大厅")
            subtitle: Catalog.count > 0
                      ? qsTr("共 %1 项服务").arg(Catalog.count)
                        + (Catalog.source === "cache" ? qsTr("（离线副本）") : "")
                      : ""
        }

        GridView {
            id: grid
            objectName: "processGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Catalog.processes
            readonly property int columns: Math.max(1, Math.floor(width / (Theme.kiosk ? 420 : 300)))
            cellWidth: Math.floor(width / columns)
            cellHeight: Theme.kiosk ? 128 : 84
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { policy: Theme.kiosk ? ScrollBar.AsNeeded : ScrollBar.AlwaysOn }
            delegate: Item {
                id: cell
                required property string name
                required property string departmentName
                required property string audience
                required property string code
                width: grid.cellWidth
                height: grid.cellHeight
                ProcessDelegate {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing / 2
                    name: cell.name
                    departmentName: cell.departmentName
                    audience: cell.audience
                    code: cell.code
                }
            }
        }

        EmptyState {
            objectName: "hallEmpty"
            visible: Catalog.count === 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            iconName: AppState.connection === "offline" ? "wifi-off" : "loader-2"
            title: AppState.connection === "offline" ? qsTr("暂时无法获取办事目录") : qsTr("正在获取办事目录…")
            detail: AppState.connection === "offline"
                    ? qsTr("网络未连接：%1。恢复后会自动重试，也可点右上角的状态重试。").arg(AppState.connectionDetail)
                    : ""
        }
    }
}
