pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办理进度 of one application, as the manual shows it: the step bar (1 申请人填写 → 2 … → 办结) with the current
// step highlighted, the status with its holders, the form with each step's section and its 批注, and the audit
// timeline; beside them (under them in portrait) the action panel with what the user may do now. Every action
// is queued and decided by the server; a refusal shows on the page with its reason.
Item {
    id: root
    objectName: "applicationPage"
    required property string applicationId
    signal back()
    signal resubmit(string applicationId, string processCode)
    // 办理下一件: the page asks its stack to show this application instead.
    signal openNext(string applicationId)
    property bool acted: false
    Keys.onEscapePressed: root.back()
    // Tab from the page itself goes into the page (返回, then the panel), not to the top bar's 退出.
    Keys.onTabPressed: root.nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
    Keys.onBacktabPressed: root.nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
    // On a desk the page takes the keyboard (Esc, the panel's shortcuts) from the list it was opened from.
    StackView.onActivated: if (!Theme.kiosk) root.forceActiveFocus()
    // Only while shown: a page leaving the stack lives a moment longer, and two enabled shortcuts of one key
    // are ambiguous (neither fires).
    Shortcut { sequence: "Alt+Left"; enabled: root.visible; onActivated: root.back() }
    Shortcut { sequence: "Ctrl+N"; enabled: root.acted && root.visible; onActivated: root.goNext() }
    function goNext() {
        const next = Inbox.nextAfter(root.applicationId)
        if (next.length > 0) root.openNext(next)
        else root.back()
    }

    property var detail: Inbox.detail(applicationId)
    readonly property var app: detail.application || ({})
    // The application left this user's boxes while the page was open (someone else handled the task first,
    // it was transferred): the page keeps what it showed, says so, and offers nothing more to do.
    property bool gone: false
    property string goneReason: ""
    // With the virtual keyboard up the page is short: the step bar and status give their room to the field.
    readonly property bool compact: Qt.inputMethod.visible // qmllint disable missing-property

    // A finished application of the user's own may have a certificate to print (looked up on the server).
    readonly property bool finishedMine: root.detail.mine === true && root.app.status === "completed"
    onFinishedMineChanged: if (root.finishedMine) Certificates.show(root.applicationId)
    Component.onCompleted: if (root.finishedMine) Certificates.show(root.applicationId)
    Component.onDestruction: Certificates.leave(root.applicationId)

    Connections {
        target: Inbox
        function onChanged() {
            const fresh = Inbox.detail(root.applicationId)
            if ((fresh.application || {}).id) {
                root.detail = fresh
                root.gone = false
            } else {
                root.gone = true
                root.goneReason = fresh.syncError || ""
                actionPanel.reset()
                scroller.contentY = 0
            }
        }
    }

    // The action panel in view (in portrait it is under the form).
    function revealPanel() {
        const y = actionPanel.mapToItem(scroller.contentItem, 0, 0).y - Theme.spacing
        scroller.contentY = Math.max(0, Math.min(y, scroller.contentHeight - scroller.height))
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        PageHeader {
            Layout.fillWidth: true
            title: root.detail.name || ""
            subtitle: qsTr("流水号：%1").arg(root.app.serial ? root.app.serial : qsTr("待分配"))
                      + (root.app.doc_no ? "，" + qsTr("单号：%1").arg(root.app.doc_no) : "")
                      + (root.app.applicant ? "，" + qsTr("申请人：%1").arg(root.app.applicant.name) : "")
            canGoBack: true
            onBack: root.back()
        }

        Rectangle {
            objectName: "goneNote"
            visible: root.gone
            Layout.fillWidth: true
            implicitHeight: goneText.implicitHeight + 2 * Theme.spacing
            radius: Theme.radius
            color: Theme.errorLight
            border.color: Theme.error
            Text {
                id: goneText
                anchors.fill: parent
                anchors.margins: Theme.spacing
                text: qsTr("该事项已不在您的待办中。") + (root.goneReason.length > 0 ? root.goneReason : "")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.error
                wrapMode: Text.Wrap
            }
        }

        // After an action: on to the next 待办 (or back to the list), by click or Ctrl+N.
        RowLayout {
            objectName: "nextBar"
            visible: root.acted
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                Layout.fillWidth: true
                text: qsTr("已提交。")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.success
            }
            AppButton {
                objectName: "nextItem"
                kind: "primary"
                text: qsTr("办理下一件")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("办理下一件（Ctrl+N）")
                onClicked: root.goNext()
            }
            AppButton {
                objectName: "backToList"
                text: qsTr("返回列表")
                onClicked: root.back()
            }
        }
        UndoBar { Layout.fillWidth: true }

        StepBar {
            visible: !root.compact
            Layout.fillWidth: true
            steps: root.app.steps || []
        }

        // Where it stands (not once it left the user's boxes: what the page last knew is no longer so).
        RowLayout {
            visible: !root.compact && !root.gone
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "applicationStatus"
                // 办结, 不予办理, 已终止 (closed): no current step any more.
                text: qsTr("状态：%1").arg(root.app.status_name || root.app.status || "")
                      + (root.app.current_step_name && root.detail.closed !== true
                         ? " · " + qsTr("当前步骤：%1").arg(root.app.current_step_name) : "")
                      + ((root.app.assignees || []).length > 0
                         ? " · " + qsTr("办理人：%1").arg(root.app.assignees.map(a => a.name).join("、")) : "")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            SyncBadge {
                state_: root.detail.syncState || ""
                reason: root.detail.syncError || ""
            }
        }

        // Keeps the field being typed in above the virtual keyboard.
        FormScroller {
            id: scroller
            objectName: "applicationScroller"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: body.implicitHeight + Theme.spacingLarge
            ScrollBar.vertical: ScrollBar {}

            GridLayout {
                id: body
                width: scroller.width
                columns: root.width > root.height ? 2 : 1
                columnSpacing: Theme.spacingLarge
                rowSpacing: Theme.spacingLarge

                // The form, section by section (the applicant's, then each step's that has been filled).
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 3
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.spacing
                    Repeater {
                        model: root.detail.sections || []
                        delegate: FormSectionCard {
                            required property var modelData
                            Layout.fillWidth: true
                            section: modelData
                            annotating: actionPanel.annotating && root.detail.canAnnotate === true
                                        && root.detail.acting !== true && actionPanel.sheet === ""
                            onAnnotate: (field, label) => actionPanel.openSheet("annotate", field, label)
                        }
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 2
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.spacing

                    ActionPanel {
                        id: actionPanel
                        Layout.fillWidth: true
                        visible: !root.gone && root.detail.actionable === true
                        applicationId: root.applicationId
                        detail: root.detail
                        onResubmit: root.resubmit(root.applicationId, root.app.process_code || "")
                        onReveal: root.revealPanel()
                        onActed: root.acted = true
                    }

                    // 打印证明 / 下载 · 打印: the certificate issued at 办结, if the process issues one.
                    CertificateCard {
                        Layout.fillWidth: true
                        applicationId: root.applicationId
                    }

                    EventTimeline {
                        Layout.fillWidth: true
                        events: root.app.events || []
                    }
                }
            }
        }
    }
}
