pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办理进度 of one application, as the manual shows it: the step bar (1 申请人填写 → 2 … → 办结) with the current
// step highlighted, the form with each step's section and its 批注, the audit timeline; and what the user may do
// now — the holder of the current step fills its section and sends it on (通过), returns it to the applicant or
// the step before (退回), refuses it (不予办理), hands it to a colleague (转办) or writes a 批注 on a field; the
// applicant confirms (确认验收), corrects and resubmits a returned application, withdraws (撤回), urges (催办) or
// ends it (终止); anyone concerned may add a 备注. Actions with consequences open a sheet in the panel first
// (reason, target, 确认), in the page rather than a dialog so the virtual keyboard can serve its field. Every
// action is queued here and decided by the server; a refusal shows on the page with its reason.
Item {
    id: root
    objectName: "applicationPage"
    required property string applicationId
    signal back()
    signal resubmit(string applicationId, string processCode)

    property var detail: Inbox.detail(applicationId)
    readonly property var app: detail.application || ({})
    readonly property var task: detail.task || ({})
    readonly property bool acting: detail.acting === true
    readonly property bool canHandle: detail.canHandle === true && !gone
    // The application left this user's boxes while the page was open (someone else handled the task first,
    // it was transferred): the page keeps what it showed, says so, and offers nothing more to do.
    property bool gone: false
    // 办结, 不予办理, 已终止: no current step any more.
    readonly property bool closed: detail.closed === true
    property string goneReason: ""
    readonly property bool applicantView: detail.applicantView === true
    readonly property var stepFields: detail.stepFields || []
    property var values: ({})
    property var problems: ({})
    property string nextHandler: ""
    property string comment: ""
    // The sheet open in the action panel: "" | return | reject | transfer | comment | annotate | withdraw | terminate
    property string sheet: ""
    property string sheetField: ""        // annotate: the field and its label
    property string sheetFieldLabel: ""
    property string sheetChoice: ""       // return: "applicant" | "previous"; transfer: a colleague's user id
    property string sheetError: ""
    // 批注: after 批注 in the panel, each field of the form offers its own 批注 button (not before: a button on
    // every row would crowd the form).
    property bool annotating: false
    readonly property var returnTargets: detail.returnTargets || []
    // Each action's words in one place (its rules come from Inbox.actionRule): its button, and for those with a
    // sheet, the sheet's title, what it does, the field's placeholder, what is said when the reason or the choice
    // is missing, and the confirm button. The holder's opinion (办理意见) becomes the reason of 退回 / 不予办理.
    readonly property var actionTexts: ({
        "approve": { button: detail.confirms === true ? qsTr("确认验收") : qsTr("通过"), primary: true },
        "resubmit": { button: qsTr("修改后重新提交"), primary: true },
        "urge": { button: qsTr("催办") },
        "return": { button: qsTr("退回"), title: qsTr("退回"), detail: qsTr("退回后，由所选的一方修改或重新办理。"),
                    placeholder: qsTr("退回原因（必填）"), reason: qsTr("请填写退回原因"), confirm: qsTr("确认退回"),
                    fromOpinion: true },
        "reject": { button: qsTr("不予办理"), title: qsTr("不予办理"),
                    detail: qsTr("不予办理后流程结束，申请人会收到通知和理由。"),
                    placeholder: qsTr("不予办理的理由（必填）"), reason: qsTr("请填写不予办理的理由"),
                    confirm: qsTr("确认不予办理"), fromOpinion: true },
        "transfer": { button: qsTr("转办"), title: qsTr("转办"), detail: qsTr("转给本部门的同事办理，您的待办随之转出。"),
                      placeholder: qsTr("转办说明（选填）"), choice: qsTr("请选择转办给谁"), confirm: qsTr("确认转办") },
        "comment": { button: qsTr("备注"), icon: "message-circle", title: qsTr("备注"),
                     detail: qsTr("备注写入办理记录，申请人和办理人都能看到。"),
                     placeholder: qsTr("备注内容"), reason: qsTr("请填写备注内容"), confirm: qsTr("保存") },
        "annotate": { button: qsTr("批注"), icon: "message-circle", title: qsTr("批注：%1").arg(sheetFieldLabel),
                      detail: qsTr("批注显示在该字段旁，申请人修改时能看到。"),
                      placeholder: qsTr("批注内容，如：请写明打印机型号"), reason: qsTr("请填写批注内容"),
                      confirm: qsTr("保存") },
        "withdraw": { button: qsTr("撤回"), title: qsTr("撤回申请"), detail: qsTr("撤回后申请回到您这里，可修改后重新提交。"),
                      placeholder: qsTr("说明（选填）"), confirm: qsTr("确认撤回") },
        "terminate": { button: qsTr("终止"), title: qsTr("终止申请"), detail: qsTr("终止后本申请结束，不能再继续办理。"),
                       placeholder: qsTr("说明（选填）"), confirm: qsTr("确认终止") }
    })
    readonly property var sheetTexts: sheet.length > 0 ? actionTexts[sheet] : ({})
    readonly property var sheetRule: sheet.length > 0 ? Inbox.actionRule(sheet) : ({})
    readonly property var transferCandidates: detail.transferCandidates || []
    // With the virtual keyboard up the page is short: the step bar and status give their room to the field.
    readonly property bool compact: Qt.inputMethod.visible // qmllint disable missing-property

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
                root.sheet = ""
                scroller.contentY = 0
            }
        }
    }

    function setValue(name, value) {
        const v = Object.assign({}, values)
        v[name] = value
        values = v
        if (problems[name] !== undefined) problems = Inbox.checkStep(applicationId, values)
    }

    // 通过 (with the step's section, whose problems show on its fields, and the chosen next handler) and 催办.
    function send(action: string) {
        const result = Inbox.act(applicationId, action, { comment: comment, values: values, nextHandler: nextHandler })
        problems = result.fields || ({})
        if (result.queued) {
            comment = ""
            commentField.text = ""
        }
    }

    function openSheet(kind: string, field: string, label: string) {
        annotating = false
        sheet = kind
        sheetField = field
        sheetFieldLabel = label
        sheetError = ""
        const chooses = Inbox.actionRule(kind).chooses
        sheetChoice = chooses === "field" ? field
                    : chooses === "return_target" && returnTargets.length > 0 ? returnTargets[0].to : ""
        sheetComment.text = actionTexts[kind].fromOpinion === true ? comment : ""
        Qt.callLater(revealPanel)
    }
    function closeSheet() {
        sheet = ""
        sheetError = ""
        Qt.inputMethod.hide() // qmllint disable missing-property
    }
    // The action panel in view (in portrait it is under the form).
    function revealPanel() {
        const y = actionPanel.mapToItem(scroller.contentItem, 0, 0).y - Theme.spacing
        scroller.contentY = Math.max(0, Math.min(y, scroller.contentHeight - scroller.height))
    }
    function confirmSheet() {
        const result = Inbox.act(applicationId, sheet, { comment: sheetComment.text, choice: sheetChoice })
        if (result.problem === "reason" || result.problem === "choice") {
            sheetError = sheetTexts[result.problem] || ""
        } else if (result.queued) {
            closeSheet()
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

        // Where it stands (not once it left the user's boxes: what the page last knew is no longer so).
        RowLayout {
            visible: !root.compact && !root.gone
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "applicationStatus"
                text: qsTr("状态：%1").arg(root.app.status_name || root.app.status || "")
                      + (root.app.current_step_name && !root.closed
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
                                        ColumnLayout {
                                            Layout.fillWidth: true
                                            spacing: 2
                                            Text {
                                                objectName: "value_" + line.modelData.name
                                                Layout.fillWidth: true
                                                text: line.modelData.value || "—"
                                                font.family: Theme.fontFamily
                                                font.pixelSize: Theme.fontBody
                                                color: Theme.text
                                                wrapMode: Text.Wrap
                                            }
                                            Text {
                                                objectName: "note_" + line.modelData.name
                                                visible: (line.modelData.note || "").length > 0
                                                Layout.fillWidth: true
                                                text: qsTr("批注 · %1").arg(line.modelData.note || "")
                                                font.family: Theme.fontFamily
                                                font.pixelSize: Theme.fontSmall
                                                color: Theme.warning
                                                wrapMode: Text.Wrap
                                            }
                                        }
                                        AppButton {
                                            objectName: "annotate_" + line.modelData.name
                                            visible: root.annotating && root.detail.canAnnotate === true && !root.acting
                                                     && root.sheet === ""
                                            Layout.alignment: Qt.AlignTop
                                            kind: "text"
                                            iconName: "message-circle"
                                            text: qsTr("批注")
                                            onClicked: root.openSheet("annotate", line.modelData.name, line.modelData.label)
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
                        id: actionPanel
                        objectName: "actionPanel"
                        Layout.fillWidth: true
                        visible: !root.gone && root.detail.actionable === true
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
                                visible: root.sheet === ""
                                text: root.canHandle ? qsTr("办理：%1").arg(root.task.step_name || "")
                                      : root.applicantView ? qsTr("我的申请") : qsTr("备注")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                                color: Theme.primary
                            }
                            Text {
                                objectName: "actingNote"
                                visible: root.acting && root.sheet === ""
                                text: qsTr("处理中…，联网后由服务器确认")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                color: Theme.warning
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                            }
                            // The step's own section (维修情况 …).
                            Repeater {
                                model: root.canHandle && root.sheet === "" ? root.stepFields : []
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
                                visible: root.canHandle && root.sheet === "" && root.task.next !== undefined && root.task.next !== null
                                text: qsTr("完成本操作后，流程将转到：%1").arg(root.task.next ? root.task.next.name : "")
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                color: Theme.textSecondary
                                Layout.fillWidth: true
                                wrapMode: Text.Wrap
                            }
                            Flow {
                                Layout.fillWidth: true
                                visible: root.canHandle && root.sheet === "" && root.task.next && root.task.next.choose === true
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
                                visible: root.canHandle && root.sheet === ""
                                Layout.fillWidth: true
                                maximumLength: 500
                                placeholderText: qsTr("办理意见（选填）")
                                onTextEdited: root.comment = text
                            }
                            // 批注 chosen: which field? (Each row now has its 批注 button.)
                            ColumnLayout {
                                objectName: "annotateHint"
                                visible: root.annotating && root.sheet === ""
                                Layout.fillWidth: true
                                spacing: Theme.spacing
                                Text {
                                    Layout.fillWidth: true
                                    text: qsTr("请在表单中点击要批注的字段旁的“批注”。")
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontBody
                                    color: Theme.text
                                    wrapMode: Text.Wrap
                                }
                                AppButton {
                                    objectName: "annotateCancel"
                                    text: qsTr("取消")
                                    onClicked: root.annotating = false
                                }
                            }
                            Flow {
                                objectName: "actionButtons"
                                visible: root.sheet === "" && !root.acting && !root.annotating
                                Layout.fillWidth: true
                                spacing: Theme.spacing
                                Repeater {
                                    // What the server offers this user now, in the order a person reads them.
                                    model: root.detail.actions || []
                                    delegate: AppButton {
                                        required property string modelData
                                        readonly property var texts: root.actionTexts[modelData] || { button: modelData }
                                        objectName: "action_" + modelData
                                        kind: texts.primary === true ? "primary" : "secondary"
                                        iconName: texts.icon || ""
                                        text: texts.button
                                        onClicked: {
                                            const flow = Inbox.actionRule(modelData).flow
                                            if (flow === "send")
                                                root.send(modelData)
                                            else if (flow === "form")
                                                root.resubmit(root.applicationId, root.app.process_code || "")
                                            else if (flow === "field")
                                                root.annotating = true
                                            else
                                                root.openSheet(modelData, "", "")
                                        }
                                    }
                                }
                            }

                            // The sheet of an action with consequences: what it does, its target, the reason, 确认.
                            ColumnLayout {
                                objectName: "actionSheet"
                                visible: root.sheet !== ""
                                Layout.fillWidth: true
                                spacing: Theme.spacing
                                Text {
                                    objectName: "sheetTitle"
                                    text: root.sheetTexts.title || ""
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontLarge
                                    font.bold: true
                                    color: root.sheetRule.ends === true ? Theme.error : Theme.primary
                                }
                                Text {
                                    Layout.fillWidth: true
                                    text: root.sheetTexts.detail || ""
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontBody
                                    color: Theme.textSecondary
                                    wrapMode: Text.Wrap
                                }
                                // 退回至: the applicant, or the step before (when there is one).
                                Flow {
                                    visible: root.sheetRule.chooses === "return_target"
                                    Layout.fillWidth: true
                                    spacing: Theme.spacing
                                    Repeater {
                                        model: root.sheetRule.chooses === "return_target" ? root.returnTargets : []
                                        delegate: ChoiceChip {
                                            required property var modelData
                                            objectName: "returnTo_" + modelData.to
                                            text: modelData.to === "applicant" ? qsTr("退回申请人")
                                                  : qsTr("退回上一步：%1").arg(modelData.name)
                                                    + ((modelData.people || []).length > 0 ? "（" + modelData.people.join("、") + "）" : "")
                                            checked: root.sheetChoice === modelData.to
                                            onToggled: { root.sheetChoice = modelData.to; root.sheetError = "" }
                                        }
                                    }
                                }
                                // 转办给: the colleagues the server would accept (转办 is offered only when there are some).
                                Flow {
                                    visible: root.sheetRule.chooses === "colleague"
                                    Layout.fillWidth: true
                                    spacing: Theme.spacing
                                    Repeater {
                                        model: root.sheetRule.chooses === "colleague" ? root.transferCandidates : []
                                        delegate: ChoiceChip {
                                            required property var modelData
                                            objectName: "transferTo_" + modelData.user_id
                                            text: modelData.name + (modelData.post ? "（" + modelData.post + "）" : "")
                                            checked: root.sheetChoice === modelData.user_id
                                            onToggled: { root.sheetChoice = modelData.user_id; root.sheetError = "" }
                                        }
                                    }
                                }
                                AppTextField {
                                    id: sheetComment
                                    objectName: "sheetComment"
                                    Layout.fillWidth: true
                                    maximumLength: 500
                                    placeholderText: root.sheetTexts.placeholder || ""
                                    onTextEdited: root.sheetError = ""
                                }
                                Text {
                                    objectName: "sheetError"
                                    visible: root.sheetError.length > 0
                                    Layout.fillWidth: true
                                    text: root.sheetError
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.error
                                    wrapMode: Text.Wrap
                                }
                                RowLayout {
                                    Layout.fillWidth: true
                                    spacing: Theme.spacing
                                    AppButton {
                                        objectName: "sheetCancel"
                                        Layout.fillWidth: true
                                        text: qsTr("取消")
                                        onClicked: root.closeSheet()
                                    }
                                    AppButton {
                                        objectName: "sheetConfirm"
                                        Layout.fillWidth: true
                                        kind: "primary"
                                        text: root.sheetTexts.confirm || ""
                                        onClicked: root.confirmSheet()
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
