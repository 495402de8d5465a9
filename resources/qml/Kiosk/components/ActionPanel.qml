pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// What the user may do now with the application on the progress page: the holder of the current step fills its
// section, sees where it goes next (and, where it may be chosen, whom: 选择审核人) and taps 通过 or another of
// the actions the server grants; the applicant confirms, urges, withdraws, ends or resubmits; anyone concerned
// adds a 备注. Which actions, in which order, and how each is taken are the view's (detail.actions,
// Inbox.actionRule); the panel holds their words. Actions with consequences open the sheet inside the panel.
Rectangle {
    id: root
    objectName: "actionPanel"
    required property string applicationId
    required property var detail  // Inbox.detail(applicationId)
    // 批注: after 批注 in the panel, each field of the form offers its own 批注 button (not before: a button on
    // every row would crowd the form).
    property bool annotating: false
    readonly property string sheet: actionSheet.kind
    signal resubmit()
    // A sheet opened: the panel should be in view (in portrait it is under the form).
    signal reveal()

    readonly property var task: detail.task || ({})
    readonly property bool canHandle: detail.canHandle === true
    readonly property bool acting: detail.acting === true
    // The step's section as typed; it starts with the step's one positive 办理结果 (已开具，待领取), when it has one.
    property var values: Inbox.stepDefaults(applicationId)
    property string decisionError: ""  // 不予办理 picked with 通过: said before anything is sent
    // An action was queued (or held for its undo): the page offers 办理下一件.
    signal acted()
    property var problems: ({})  // its fields' problems, once 通过 was refused
    property string nextHandler: ""
    property string comment: ""  // 办理意见
    // Each button's words and look.
    readonly property var buttons: ({
        "approve": { text: detail.confirms === true ? qsTr("确认验收") : qsTr("通过"), primary: true },
        "resubmit": { text: qsTr("修改后重新提交"), primary: true },
        "urge": { text: qsTr("催办") },
        "return": { text: qsTr("退回") },
        "reject": { text: qsTr("不予办理") },
        "transfer": { text: qsTr("转办") },
        "comment": { text: qsTr("备注"), icon: "message-circle" },
        "annotate": { text: qsTr("批注"), icon: "message-circle" },
        "withdraw": { text: qsTr("撤回") },
        "terminate": { text: qsTr("终止") }
    })

    // Desk shortcuts of the common actions (shown in their tooltips).
    readonly property var keys: ({ "approve": "Ctrl+Enter", "return": "Ctrl+R", "annotate": "Ctrl+B" })
    function shortcut(action: string) {
        if (root.visible && root.sheet === "" && !root.acting && (root.detail.actions || []).indexOf(action) >= 0)
            root.take(action)
    }
    // Only while shown: a page leaving the stack lives a moment longer, and two enabled shortcuts of one key
    // are ambiguous (neither fires).
    readonly property bool keyboard: !Theme.kiosk && root.visible
    Shortcut { sequences: ["Ctrl+Return", "Ctrl+Enter"]; enabled: root.keyboard && root.sheet === ""; onActivated: root.shortcut("approve") }
    Shortcut { sequence: "Ctrl+R"; enabled: root.keyboard; onActivated: root.shortcut("return") }
    Shortcut { sequence: "Ctrl+B"; enabled: root.keyboard; onActivated: root.shortcut("annotate") }

    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.accent

    function setValue(name: string, value: var) {
        decisionError = ""
        const v = Object.assign({}, values)
        v[name] = value
        values = v
        if (problems[name] !== undefined) problems = Inbox.checkStep(applicationId, values)
    }
    // 通过 (with the step's section, whose problems show on its fields, and the chosen next handler) and 催办.
    function send(action: string) {
        const result = Inbox.act(applicationId, action, { comment: comment, values: values, nextHandler: nextHandler })
        problems = result.fields || ({})
        decisionError = result.problem === "decision" ? result.message : ""
        if (result.queued) {
            forgetOpinion()
            acted()
        }
    }
    function openSheet(action: string, field: string, label: string) {
        annotating = false
        actionSheet.open(action, field, label, comment)
        Qt.callLater(root.reveal)
    }
    // The application left the user's boxes: nothing more to do here.
    function reset() {
        annotating = false
        actionSheet.close()
    }
    function forgetOpinion() {
        comment = ""
        commentField.text = ""
    }
    function take(action: string) {
        const flow = Inbox.actionRule(action).flow
        if (flow === "send")
            send(action)
        else if (flow === "form")
            resubmit()
        else if (flow === "field")
            annotating = true
        else
            openSheet(action, "", "")
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        Text {
            visible: root.sheet === ""
            text: root.canHandle ? qsTr("办理：%1").arg(root.task.step_name || "")
                  : root.detail.applicantView === true ? qsTr("我的申请") : qsTr("备注")
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
            model: root.canHandle && root.sheet === "" ? root.detail.stepFields || [] : []
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
        Text {
            objectName: "decisionError"
            visible: text.length > 0 && root.sheet === ""
            text: root.decisionError
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.error
            Layout.fillWidth: true
            wrapMode: Text.Wrap
        }
        // 通过 stays in view while 批注 is chosen: a 批注 is often followed by 通过.
        Flow {
            objectName: "actionButtons"
            visible: root.sheet === "" && !root.acting
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                // What the server offers this user now, in the order a person reads them.
                model: root.detail.actions || []
                delegate: AppButton {
                    required property string modelData
                    readonly property var words: root.buttons[modelData] || { text: modelData }
                    objectName: "action_" + modelData
                    kind: words.primary === true ? "primary" : "secondary"
                    iconName: words.icon || ""
                    text: words.text
                    visible: !(root.annotating && modelData === "annotate")
                    ToolTip.visible: hovered && root.keys[modelData] !== undefined
                    ToolTip.text: words.text + "（" + (root.keys[modelData] || "") + "）"
                    onClicked: root.take(modelData)
                }
            }
        }
        ActionSheet {
            id: actionSheet
            Layout.fillWidth: true
            applicationId: root.applicationId
            returnTargets: root.detail.returnTargets || []
            transferCandidates: root.detail.transferCandidates || []
            onSent: { root.forgetOpinion(); root.acted() }
        }
    }
}
