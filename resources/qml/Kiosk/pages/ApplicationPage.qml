pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办理进度 of one application, as the manual shows it: the step bar (1 申请人填写 → 2 … → 办结) with the current
// step highlighted, the form with each step's section, the audit timeline; and what the user may do now — the
// holder of the current step fills its section and sends it on (通过 / 退回 / 不予办理), the applicant confirms
// (确认验收), withdraws (撤回), urges (催办) or ends it (终止). Every action is queued here and decided by the
// server; a refusal shows on the page with its reason.
Item {
    id: root
    objectName: "applicationPage"
    required property string applicationId
    signal back()

    property var detail: Inbox.detail(applicationId)
    readonly property var app: detail.application || ({})
    readonly property var task: detail.task || ({})
    readonly property bool canHandle: detail.open === true && (task.pending_action || "") === ""
    readonly property var stepFields: detail.stepFields || []
    property var values: ({})
    property var problems: ({})
    property string nextHandler: ""
    property string comment: ""
    // With the virtual keyboard up the page is short: the step bar and status give their room to the field.
    readonly property bool compact: Qt.inputMethod.visible // qmllint disable missing-property

    Connections {
        target: Inbox
        function onChanged() { root.detail = Inbox.detail(root.applicationId) }
    }

    function setValue(name, value) {
        const v = Object.assign({}, values)
        v[name] = value
        values = v
        if (problems[name] !== undefined) problems = Inbox.checkStep(applicationId, values)
    }

    function send(action) {
        const args = { task_id: String(task.id || ""), comment: comment }
        if (action === "approve" || action === "reject") {
            if (stepFields.length > 0) {
                problems = Inbox.checkStep(applicationId, values)
                if (Object.keys(problems).length > 0) return
                args.data = values
            }
            if (action === "approve" && nextHandler.length > 0) args.next_handler = nextHandler
        }
        if (action === "withdraw" || action === "urge" || action === "terminate") delete args.task_id
        if (Inbox.act(applicationId, action, args)) {
            comment = ""
            commentField.text = ""
        }
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

        // The step bar.
        Flow {
            id: stepBar
            objectName: "stepBar"
            visible: !root.compact
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                model: root.app.steps || []
                delegate: Row {
                    id: step
                    required property var modelData
                    required property int index
                    readonly property bool current: modelData.state === "current"
                    readonly property bool done: modelData.state === "done"
                    spacing: Theme.spacing
                    Rectangle {
                        objectName: "step_" + step.modelData.key
                        width: stepName.implicitWidth + Theme.touchMin + Theme.spacing
                        height: Theme.touchMin
                        radius: height / 2
                        color: step.current ? Theme.primary : step.done ? Theme.primaryLight : Theme.card
                        border.color: step.modelData.state === "stopped" ? Theme.error : step.current ? Theme.primary : Theme.border
                        Rectangle {
                            x: 6
                            anchors.verticalCenter: parent.verticalCenter
                            width: parent.height - 12
                            height: width
                            radius: width / 2
                            color: step.current ? Theme.card : step.done ? Theme.primary : Theme.page
                            Text {
                                anchors.centerIn: parent
                                text: step.done ? "✓" : step.index + 1
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                color: step.current ? Theme.primary : step.done ? Theme.textOnPrimary : Theme.textSecondary
                            }
                        }
                        Text {
                            id: stepName
                            x: parent.height
                            anchors.verticalCenter: parent.verticalCenter
                            text: step.modelData.name
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: step.current
                            color: step.current ? Theme.textOnPrimary : step.done ? Theme.primary : Theme.textSecondary
                        }
                    }
                    AppIcon {
                        visible: step.index < (root.app.steps || []).length - 1
                        anchors.verticalCenter: parent.verticalCenter
                        name: "chevron-right"
                        color: Theme.textSecondary
                    }
                }
            }
        }

        // Where it stands.
        RowLayout {
            visible: !root.compact
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "applicationStatus"
                text: qsTr("状态：%1").arg(root.app.status_name || root.app.status || "")
                      + (root.app.current_step_name ? " · " + qsTr("当前步骤：%1").arg(root.app.current_step_name) : "")
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
                        delegate: Rectangle {
                            id: section
                            required property var modelData
                            Layout.fillWidth: true
                            implicitHeight: sectionBody.implicitHeight + 2 * Theme.spacing
                            radius: Theme.radius
                            color: Theme.card
                            border.color: section.modelData.step ? Theme.accent : Theme.border
                            ColumnLayout {
                                id: sectionBody
                                anchors.fill: parent
                                anchors.margins: Theme.spacing
                                spacing: 6
                                Text {
                                    text: section.modelData.title
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontLarge
                                    font.bold: true
                                    color: Theme.primary
                                }
                                Repeater {
                                    model: section.modelData.rows
                                    delegate: RowLayout {
                                        id: line
                                        required property var modelData
                                        Layout.fillWidth: true
                                        spacing: Theme.spacing
                                        Text {
                                            Layout.preferredWidth: Theme.kiosk ? 200 : 130
                                            text: line.modelData.label
                                            font.family: Theme.fontFamily
                                            font.pixelSize: Theme.fontBody
                                            color: Theme.textSecondary
                                            wrapMode: Text.Wrap
                                        }
                                        Text {
                                            objectName: "value_" + line.modelData.name
                                            Layout.fillWidth: true
                                            text: line.modelData.value || "—"
                                            font.family: Theme.fontFamily
                                            font.pixelSize: Theme.fontBody
                                            color: Theme.text
                                            wrapMode: Text.Wrap
                                        }
                                    }
                                }
                            }
                        }
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 2
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.spacing

                    // What the user may do now.
                    Rectangle {
                        objectName: "actionPanel"
                        Layout.fillWidth: true
                        visible: root.canHandle || (root.detail.mine === true && (root.app.actions || []).length > 1)
                        implicitHeight: actions.implicitHeight + 2 * Theme.spacing
                        radius: Theme.radius
                        color: Theme.card
                        border.color: Theme.accent
                        ColumnLayout {
                            id: actions
                            anchors.fill: parent
                            anchors.margins: Theme.spacing
                            spacing: Theme.spacing
                            Text {
                                text: root.canHandle ? qsTr("办理：%1").arg(root.task.step_name || "") : qsTr("我的申请")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                                color: Theme.primary
                            }
                            // The step's own section (维修情况 …).
                            Repeater {
                                model: root.canHandle ? root.stepFields : []
                                delegate: ColumnLayout {
                                    id: input
                                    required property var modelData
                                    objectName: "stepField_" + modelData.name
                                    Layout.fillWidth: true
                                    spacing: 4
                                    Text {
                                        text: input.modelData.label + (input.modelData.required ? " *" : "")
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        color: Theme.text
                                    }
                                    Flow {
                                        Layout.fillWidth: true
                                        visible: input.modelData.options.length > 0
                                        spacing: Theme.spacing
                                        Repeater {
                                            model: input.modelData.options
                                            delegate: ChoiceChip {
                                                required property string modelData
                                                text: modelData
                                                checked: root.values[input.modelData.name] === modelData
                                                onToggled: root.setValue(input.modelData.name, modelData)
                                            }
                                        }
                                    }
                                    AppTextField {
                                        objectName: "stepInput_" + input.modelData.name
                                        Layout.fillWidth: true
                                        visible: input.modelData.options.length === 0
                                        placeholderText: input.modelData.placeholder
                                        onTextEdited: root.setValue(input.modelData.name, text)
                                    }
                                    Text {
                                        objectName: "stepError_" + input.modelData.name
                                        visible: text.length > 0
                                        text: root.problems[input.modelData.name] || ""
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        color: Theme.error
                                        Layout.fillWidth: true
                                        wrapMode: Text.Wrap
                                    }
                                }
                            }
                            // 完成本操作后，流程将转到以下步骤: the next step and, where it may be chosen, its handler.
                            Text {
                                visible: root.canHandle && root.task.next !== undefined && root.task.next !== null
                                text: qsTr("完成本操作后，流程将转到：%1").arg(root.task.next ? root.task.next.name : "")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                color: Theme.textSecondary
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                            }
                            Flow {
                                Layout.fillWidth: true
                                visible: root.canHandle && root.task.next && root.task.next.choose === true
                                spacing: Theme.spacing
                                Repeater {
                                    model: root.canHandle && root.task.next ? root.task.next.handlers : []
                                    delegate: ChoiceChip {
                                        required property var modelData
                                        objectName: "nextHandler_" + modelData.user_id
                                        text: modelData.name + (modelData.post ? "（" + modelData.post + "）" : "")
                                        checked: root.nextHandler === modelData.user_id
                                        onToggled: root.nextHandler = modelData.user_id
                                    }
                                }
                            }
                            AppTextField {
                                id: commentField
                                objectName: "actionComment"
                                Layout.fillWidth: true
                                placeholderText: qsTr("意见或备注（退回、不予办理时必填）")
                                onTextEdited: root.comment = text
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: Theme.spacing
                                Repeater {
                                    model: root.canHandle ? root.task.actions || [] : root.app.actions || []
                                    delegate: AppButton {
                                        required property string modelData
                                        objectName: "action_" + modelData
                                        visible: modelData !== "comment" && modelData !== "transfer" && modelData !== "resubmit"
                                        kind: modelData === "approve" ? "primary" : "secondary"
                                        text: modelData === "approve"
                                              ? (root.task.kind === "confirm" ? qsTr("确认验收") : qsTr("通过"))
                                              : modelData === "return" ? qsTr("退回")
                                              : modelData === "reject" ? qsTr("不予办理")
                                              : modelData === "withdraw" ? qsTr("撤回")
                                              : modelData === "urge" ? qsTr("催办")
                                              : modelData === "terminate" ? qsTr("终止") : modelData
                                        onClicked: root.send(modelData)
                                    }
                                }
                            }
                        }
                    }

                    // The audit timeline: who did what, when, at which step, with what comment.
                    Rectangle {
                        Layout.fillWidth: true
                        implicitHeight: timeline.implicitHeight + 2 * Theme.spacing
                        radius: Theme.radius
                        color: Theme.card
                        border.color: Theme.border
                        ColumnLayout {
                            id: timeline
                            objectName: "timeline"
                            anchors.fill: parent
                            anchors.margins: Theme.spacing
                            spacing: Theme.spacing
                            Text {
                                text: qsTr("办理记录")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                                color: Theme.primary
                            }
                            Repeater {
                                model: root.app.events || []
                                delegate: RowLayout {
                                    id: event
                                    required property var modelData
                                    Layout.fillWidth: true
                                    spacing: Theme.spacing
                                    Rectangle {
                                        Layout.alignment: Qt.AlignTop
                                        Layout.topMargin: 8
                                        implicitWidth: 12
                                        implicitHeight: 12
                                        radius: 6
                                        color: Theme.accent
                                    }
                                    Text {
                                        objectName: "event_" + event.modelData.action
                                        Layout.fillWidth: true
                                        text: (event.modelData.at ? Qt.formatDateTime(new Date(event.modelData.at), "yyyy-MM-dd hh:mm") : "")
                                              + "  " + event.modelData.actor_name + " · " + event.modelData.action_name
                                              + (event.modelData.step_name ? "（" + event.modelData.step_name + "）" : "")
                                              + (event.modelData.comment ? "：" + event.modelData.comment : "")
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        color: Theme.text
                                        wrapMode: Text.Wrap
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
