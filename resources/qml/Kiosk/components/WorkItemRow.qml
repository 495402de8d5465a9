pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// One row of 我的办件, dense enough to scan fifty: who (学号, 班级) and what (the request's key fields) on two
// lines, then when (提交, 等待, 截止 — red when overdue), and in 待办 a box to select it and 通过 when the step
// asks for nothing more. A click opens it; so do Enter and ↑/↓ in the list (TasksPage).
Rectangle {
    id: root
    required property var row       // the model's row (roles as properties)
    required property bool todo     // 待办: selection and 通过 offered
    required property bool mine     // 我的申请: no applicant column
    required property bool selected
    required property bool current  // the list's current row while the list has the keyboard
    // 待办 says a status only when it is not the usual 已提交 / 办理中 (待确认, 已退回 …): fifty rows need not repeat it.
    readonly property bool unusual: row.status !== "submitted" && row.status !== "in_progress"
    // 等待 3 小时; under a minute it has not waited yet: 刚到 (not "等待 刚刚").
    readonly property string waited: row.waiting && row.waiting !== "刚刚" ? qsTr("等待 %1").arg(row.waiting)
                                                                          : qsTr("刚到")
    signal open()
    signal toggleSelected()
    signal approve()

    objectName: "workItem_" + row.applicationId
    implicitHeight: Math.max(Theme.touchMin, content.implicitHeight + Theme.spacing)
    radius: Theme.radius
    color: tap.pressed ? Theme.primaryLight : selected ? Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.10)
           : hover.hovered ? Theme.page : Theme.card
    border.color: hover.hovered ? Theme.accent : Theme.border
    FocusRing { shown: root.current; anchors.margins: 1 }  // inside: the list clips what is outside

    HoverHandler { id: hover }
    TapHandler {
        id: tap
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.open()
    }

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        ChoiceChip {
            objectName: "select_" + root.row.applicationId
            visible: root.todo
            multiple: true
            checked: root.selected
            text: ""
            activeFocusOnTab: false
            onToggled: root.toggleSelected()
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing / 2
            Layout.bottomMargin: Theme.spacing / 2
            spacing: 2
            Text {
                Layout.fillWidth: true
                textFormat: Text.PlainText
                text: (root.mine ? root.row.name
                       : root.row.applicant + "  " + root.row.applicantId
                         + (root.row.applicantGroup ? " · " + root.row.applicantGroup : "") + "  —  " + root.row.name)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
            }
            Text {
                objectName: "summary"
                Layout.fillWidth: true
                text: (root.row.summary ? root.row.summary + " · " : "") + qsTr("流水号 %1").arg(root.row.serial)
                      + (root.row.stepName && !root.todo ? " · " + root.row.stepName : "")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
                elide: Text.ElideRight
            }
        }
        ColumnLayout {
            Layout.preferredWidth: Theme.kiosk ? 260 : 220
            spacing: 2
            Text {
                Layout.alignment: Qt.AlignRight
                text: root.row.pendingAction.length > 0 ? qsTr("处理中…")
                      : root.todo ? (root.unusual ? root.row.statusName + " · " : "")
                                    + qsTr("提交 %1").arg(root.row.submittedAt) + " · " + root.waited
                      : root.row.statusName
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: root.row.outcome === "stopped" ? Theme.error : Theme.textSecondary
            }
            Text {
                objectName: "due"
                Layout.alignment: Qt.AlignRight
                visible: root.todo && root.row.dueText.length > 0
                text: (root.row.overdue ? qsTr("已超时 · ") : "") + qsTr("截止 %1").arg(root.row.dueText)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: root.row.overdue
                color: root.row.overdue ? Theme.error : Theme.textSecondary
            }
            SyncBadge {
                Layout.alignment: Qt.AlignRight
                state_: root.row.syncState
                reason: root.row.syncError
            }
        }
        AppButton {
            objectName: "quickApprove"
            visible: root.todo && root.row.quick && root.row.pendingAction.length === 0
            text: qsTr("通过")
            focusPolicy: Qt.NoFocus  // the row's Ctrl+Enter does it; Tab stays on the list
            ToolTip.visible: hovered
            ToolTip.text: qsTr("通过（Ctrl+Enter）")
            onClicked: root.approve()
        }
    }
}
