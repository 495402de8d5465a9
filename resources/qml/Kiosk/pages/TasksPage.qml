pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办件: 待办 (what waits for me, the longest waiting first), 已办 (what I handled), 我的申请 (what I started), each
// with status, current step and waiting time, filtered by process and status. A row opens the progress page.
Item {
    id: root
    objectName: "tasksPage"
    property string initialBox: "todo"
    signal back()
    signal open(string applicationId)

    Component.onCompleted: {
        Inbox.setBox(initialBox)
        Inbox.setFilter("", "")
        Inbox.reload()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("我的办件")
            subtitle: qsTr("待办 %1 · 已办 %2 · 我的申请 %3").arg(Inbox.todoCount).arg(Inbox.doneCount).arg(Inbox.mineCount)
            canGoBack: true
            onBack: root.back()
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                model: [
                    { key: "todo", label: qsTr("待办事宜") },
                    { key: "done", label: qsTr("已办事宜") },
                    { key: "mine", label: qsTr("我的申请") }
                ]
                delegate: ChoiceChip {
                    required property var modelData
                    objectName: "box_" + modelData.key
                    text: modelData.label + (modelData.key === "todo" && Inbox.todoCount > 0 ? " " + Inbox.todoCount : "")
                    checked: Inbox.box === modelData.key
                    onToggled: {
                        Inbox.setBox(modelData.key)
                        statusFilter.currentIndex = 0
                        processFilter.currentIndex = 0
                    }
                }
            }
            Item { Layout.fillWidth: true }
            // Filters: by process and by status, among those present in the box.
            ComboBox {
                id: processFilter
                objectName: "processFilter"
                Layout.preferredWidth: Theme.kiosk ? 360 : 240
                Layout.preferredHeight: Theme.touchMin
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                textRole: "name"
                valueRole: "code"
                // Re-read when the box or its rows change (the choices are those present in the box).
                model: Inbox.revision >= 0 ? [{ code: "", name: qsTr("全部服务") }].concat(Inbox.processChoices()) : []
                delegate: filterEntry
                onActivated: Inbox.setFilter(currentValue, statusFilter.currentValue || "")
            }
            ComboBox {
                id: statusFilter
                objectName: "statusFilter"
                Layout.preferredWidth: Theme.kiosk ? 220 : 150
                Layout.preferredHeight: Theme.touchMin
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                textRole: "name"
                valueRole: "code"
                model: Inbox.revision >= 0 ? [{ code: "", name: qsTr("全部状态") }].concat(Inbox.statusChoices()) : []
                delegate: filterEntry
                onActivated: Inbox.setFilter(processFilter.currentValue || "", currentValue)
            }
        }

        // A filter's entries are touch targets like every other (the default ones are 40 px).
        Component {
            id: filterEntry
            ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view ? ListView.view.width : implicitWidth
                height: Theme.touchMin
                text: modelData.name
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                highlighted: ListView.view ? ListView.view.currentIndex === index : false
            }
        }

        ListView {
            id: list
            objectName: "workItems"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacing
            model: Inbox.items
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            delegate: Rectangle {
                id: item
                required property string applicationId
                required property string name
                required property string applicant
                required property string serial
                required property string statusName
                required property string outcome  // "completed", "stopped" (不予办理, 已终止), "" while open
                required property string stepName
                required property string waiting
                required property bool overdue
                required property string pendingAction
                required property string syncState
                required property string syncError
                objectName: "workItem_" + applicationId
                width: ListView.view.width
                implicitHeight: content.implicitHeight + 2 * Theme.spacing
                radius: Theme.radius
                color: tap.pressed ? Theme.primaryLight : Theme.card
                border.color: Theme.border

                RowLayout {
                    id: content
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    spacing: Theme.spacingLarge
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 4
                        Text {
                            Layout.fillWidth: true
                            text: item.name
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontLarge
                            font.bold: true
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Text {
                            Layout.fillWidth: true
                            text: qsTr("流水号 %1").arg(item.serial)
                                  + (item.applicant.length > 0 && Inbox.box !== "mine" ? " · " + qsTr("申请人 %1").arg(item.applicant) : "")
                                  + (item.stepName.length > 0 ? " · " + qsTr("当前步骤：%1").arg(item.stepName) : "")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                            elide: Text.ElideRight
                        }
                        SyncBadge {
                            state_: item.syncState
                            reason: item.syncError
                        }
                    }
                    ColumnLayout {
                        Layout.alignment: Qt.AlignRight | Qt.AlignVCenter
                        spacing: 4
                        Rectangle {
                            Layout.alignment: Qt.AlignRight
                            implicitWidth: statusText.implicitWidth + Theme.spacing * 2
                            implicitHeight: statusText.implicitHeight + 8
                            radius: height / 2
                            color: item.outcome === "completed" ? Qt.rgba(Theme.success.r, Theme.success.g, Theme.success.b, 0.12)
                                   : item.outcome === "stopped" ? Theme.errorLight
                                   : Theme.primaryLight
                            Text {
                                id: statusText
                                objectName: "statusName"
                                anchors.centerIn: parent
                                text: item.pendingAction.length > 0 ? qsTr("处理中…") : item.statusName
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                color: item.outcome === "completed" ? Theme.success
                                       : item.outcome === "stopped" ? Theme.error
                                       : Theme.primary
                            }
                        }
                        Text {
                            Layout.alignment: Qt.AlignRight
                            visible: item.waiting.length > 0
                            text: item.overdue ? qsTr("已超时 · 等待 %1").arg(item.waiting) : qsTr("等待 %1").arg(item.waiting)
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            color: item.overdue ? Theme.error : Theme.textSecondary
                        }
                    }
                    AppIcon {
                        name: "chevron-right"
                        color: Theme.textSecondary
                    }
                }
                TapHandler {
                    id: tap
                    gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                    onTapped: root.open(item.applicationId)
                }
            }

            EmptyState {
                anchors.centerIn: parent
                visible: list.count === 0
                width: list.width * 0.6
                iconName: "file-text"
                title: Inbox.box === "todo" ? qsTr("没有待办事宜") : Inbox.box === "done" ? qsTr("还没有已办事宜")
                                                                                          : qsTr("还没有发起过申请")
            }
        }
    }
}
