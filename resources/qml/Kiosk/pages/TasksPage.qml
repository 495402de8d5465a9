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
    // The rows picked for 批量通过, by application id (a row that leaves the list leaves the choice too).
    property var selected: ({})
    readonly property int selectedCount: Inbox.revision >= 0 && list.count >= 0 ? Object.keys(selected).length : 0

    function toggle(id: string) {
        const s = Object.assign({}, selected)
        if (s[id]) delete s[id]
        else s[id] = true
        selected = s
    }
    function selectAll(on: bool) {
        const s = {}
        if (on) {
            for (const id of Inbox.shownIds()) s[id] = true
        }
        selected = s
    }
    function approveSelected() {
        Inbox.approveMany(Object.keys(selected))
        selected = ({})
    }
    function onKey(event: var) {
        const current = list.currentItem as WorkItemRow
        if (!current) return
        const row = current.row
        if (event.modifiers & Qt.ControlModifier) {
            if (event.modifiers & Qt.ShiftModifier) approveSelected()
            else if (row.quick) Inbox.approveMany([row.applicationId])
        } else {
            root.open(row.applicationId)
        }
    }
    Keys.onEscapePressed: root.back()
    // Only while shown (under a progress page the two 返回 shortcuts would be ambiguous, and neither fire).
    Shortcut { sequence: "Ctrl+F"; enabled: root.visible; onActivated: search.field.forceActiveFocus() }
    Shortcut { sequence: "Alt+Left"; enabled: root.visible; onActivated: root.back() }

    Component.onCompleted: {
        Inbox.setBox(initialBox)
        Inbox.setFilter("", "")
        Inbox.reload()
    }
    // On a desk the list has the keyboard when the page is shown (↑/↓, Enter, Ctrl+Enter).
    // (The stack focuses the page itself once it is shown: the page hands the keyboard on to the list.)
    onActiveFocusChanged: if (activeFocus && !Theme.kiosk) list.forceActiveFocus()

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
                FocusRing { shown: processFilter.visualFocus }
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
                FocusRing { shown: statusFilter.visualFocus }
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

        // 待办 at work: search, the step filter, sort, 全选 and batch 通过, and what is shown.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppTextField {
                id: search
                objectName: "taskSearch"
                Layout.preferredWidth: Theme.kiosk ? 420 : 320
                iconName: "search"
                placeholderText: qsTr("搜索姓名、学号、流水号")
                onTextEdited: Inbox.setQuery(text)
                onAccepted: list.forceActiveFocus()
                Keys.onDownPressed: list.forceActiveFocus()
            }
            ComboBox {
                id: stepFilter
                objectName: "stepFilter"
                visible: Inbox.box === "todo"
                Layout.preferredWidth: Theme.kiosk ? 300 : 200
                Layout.preferredHeight: Theme.touchMin
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                FocusRing { shown: stepFilter.visualFocus }
                model: Inbox.revision >= 0 ? [qsTr("全部步骤")].concat(Inbox.stepChoices()) : []
                onActivated: Inbox.setStep(currentIndex > 0 ? currentText : "")
            }
            ComboBox {
                id: sortChoice
                objectName: "sortChoice"
                Layout.preferredWidth: Theme.kiosk ? 300 : 200
                Layout.preferredHeight: Theme.touchMin
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                FocusRing { shown: sortChoice.visualFocus }
                textRole: "name"
                valueRole: "code"
                model: [
                    { code: "waiting", name: qsTr("按等待时间") }, { code: "submitted", name: qsTr("按提交时间") },
                    { code: "due", name: qsTr("按截止时间") }, { code: "applicant", name: qsTr("按申请人") },
                    { code: "serial", name: qsTr("按流水号") }, { code: "process", name: qsTr("按事项") }
                ]
                delegate: filterEntry
                onActivated: Inbox.setSort(currentValue)
            }
            AppButton {
                objectName: "sortOrder"
                kind: "text"
                text: Inbox.descending ? qsTr("降序") : qsTr("升序")
                onClicked: Inbox.setSort(Inbox.sortKey)
            }
            Item { Layout.fillWidth: true }
            Text {
                objectName: "shownCount"
                text: qsTr("共 %1 件").arg(list.count) + (root.selectedCount > 0 ? qsTr("，已选 %1 件").arg(root.selectedCount) : "")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textSecondary
            }
            ChoiceChip {
                objectName: "selectAll"
                visible: Inbox.box === "todo"
                multiple: true
                text: qsTr("全选")
                checked: list.count > 0 && root.selectedCount === list.count
                onToggled: root.selectAll(!checked)
            }
            AppButton {
                objectName: "batchApprove"
                visible: Inbox.box === "todo"
                kind: "primary"
                enabled: root.selectedCount > 0
                text: qsTr("批量通过")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("通过所选的每一件（Ctrl+Shift+Enter）；需要填写或选择的请逐件办理")
                onClicked: root.approveSelected()
            }
        }

        ListView {
            id: list
            objectName: "workItems"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 4
            model: Inbox.items
            boundsBehavior: Flickable.StopAtBounds
            // Shown whenever there is more than fits (Basic's bar hides until scrolled): fifty rows say so.
            ScrollBar.vertical: ScrollBar {
                id: listBar
                policy: list.contentHeight > list.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
            }
            keyNavigationEnabled: true
            activeFocusOnTab: count > 0  // an empty list is no stop: nothing there to show the ring on
            highlightMoveDuration: 0
            currentIndex: 0
            // Enter opens the row, Space selects it, Ctrl+Enter approves it (when it asks for nothing more).
            Keys.onReturnPressed: (event) => root.onKey(event)
            Keys.onEnterPressed: (event) => root.onKey(event)
            Keys.onSpacePressed: {
                const current = list.currentItem as WorkItemRow
                if (current) root.toggle(current.row.applicationId)
            }

            delegate: WorkItemRow {
                required property var model
                required property int index
                row: model
                width: list.width - (listBar.policy === ScrollBar.AlwaysOn ? listBar.width + 4 : 0)  // the bar beside
                todo: Inbox.box === "todo"
                mine: Inbox.box === "mine"
                selected: root.selected[model.applicationId] === true
                current: list.activeFocus && ListView.isCurrentItem
                onOpen: root.open(model.applicationId)
                onToggleSelected: root.toggle(model.applicationId)
                onApprove: Inbox.approveMany([model.applicationId])
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
        UndoBar { Layout.fillWidth: true }
    }
}
