pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// The sheet of an action with consequences, inside the action panel (not a dialog: the kiosk's virtual keyboard
// must serve its field): what the action does, its target (退回至, 转办给), the reason, and 确认. What the action
// asks for is the view's rule (Inbox.actionRule); a reason or a choice it lacks is refused here, in Chinese.
ColumnLayout {
    id: root
    objectName: "actionSheet"
    required property string applicationId
    required property var returnTargets        // [{to: "applicant" | "previous", name, people}]
    required property var transferCandidates   // [{user_id, name, post}]
    // The action whose sheet is open: "" (closed) | return | reject | transfer | comment | annotate | withdraw |
    // terminate.
    property string kind: ""
    property string fieldLabel: ""  // annotate: the field's label
    property string choice: ""      // return: "applicant" | "previous"; transfer: a colleague; annotate: the field
    property string error: ""
    readonly property var rule: kind.length > 0 ? Inbox.actionRule(kind) : ({})
    // Each sheet's words: its title, what it does, the field's placeholder, what is said when the reason or the
    // choice is missing, and the confirm button. The holder's opinion (办理意见) becomes the reason of 退回 and
    // 不予办理 (fromOpinion).
    readonly property var texts: ({
        "return": { title: qsTr("退回"), detail: qsTr("退回后，由所选的一方修改或重新办理。"),
                    placeholder: qsTr("退回原因（必填）"), reason: qsTr("请填写退回原因"), confirm: qsTr("确认退回"),
                    fromOpinion: true },
        "reject": { title: qsTr("不予办理"), detail: qsTr("不予办理后流程结束，申请人会收到通知和理由。"),
                    placeholder: qsTr("不予办理的理由（必填）"), reason: qsTr("请填写不予办理的理由"),
                    confirm: qsTr("确认不予办理"), fromOpinion: true },
        "transfer": { title: qsTr("转办"), detail: qsTr("转给本部门的同事办理，您的待办随之转出。"),
                      placeholder: qsTr("转办说明（选填）"), choice: qsTr("请选择转办给谁"), confirm: qsTr("确认转办") },
        "comment": { title: qsTr("备注"), detail: qsTr("备注写入办理记录，申请人和办理人都能看到。"),
                     placeholder: qsTr("备注内容"), reason: qsTr("请填写备注内容"), confirm: qsTr("保存") },
        "annotate": { title: qsTr("批注：%1").arg(fieldLabel), detail: qsTr("批注显示在该字段旁，申请人修改时能看到。"),
                      placeholder: qsTr("批注内容，写明申请人应如何修改"), reason: qsTr("请填写批注内容"),
                      confirm: qsTr("保存") },
        "withdraw": { title: qsTr("撤回申请"), detail: qsTr("撤回后申请回到您这里，可修改后重新提交。"),
                      placeholder: qsTr("说明（选填）"), confirm: qsTr("确认撤回") },
        "terminate": { title: qsTr("终止申请"), detail: qsTr("终止后本申请结束，不能再继续办理。"),
                       placeholder: qsTr("说明（选填）"), confirm: qsTr("确认终止") }
    })
    readonly property var words: texts[kind] || ({})
    // The action was queued: the panel forgets the opinion it carried.
    signal sent()

    visible: kind !== ""
    spacing: Theme.spacing
    Shortcut { sequence: "Ctrl+Return"; enabled: root.visible; onActivated: root.confirm() }
    Shortcut { sequence: "Ctrl+Enter"; enabled: root.visible; onActivated: root.confirm() }
    Shortcut { sequence: "Esc"; enabled: root.visible; onActivated: root.close() }

    // The sheet of `action` (for 批注, on `field`, shown by its `label`); `opinion` is what the holder typed.
    function open(action: string, field: string, label: string, opinion: string) {
        kind = action
        fieldLabel = label
        error = ""
        choice = rule.chooses === "field" ? field
               : rule.chooses === "return_target" && returnTargets.length > 0 ? returnTargets[0].to : ""
        reason.text = words.fromOpinion === true ? opinion : ""
        if (!Theme.kiosk) reason.field.forceActiveFocus()
    }
    function close() {
        kind = ""
        error = ""
        Qt.inputMethod.hide() // qmllint disable missing-property
    }
    function confirm() {
        const result = Inbox.act(applicationId, kind, { comment: reason.text, choice: choice })
        if (result.problem === "reason" || result.problem === "choice") {
            error = words[result.problem] || ""
            if (result.problem === "reason") reason.field.forceActiveFocus()
        } else if (result.problem === "decision") {
            error = result.message || ""
        } else if (result.queued) {
            close()
            sent()
        }
    }

    Text {
        objectName: "sheetTitle"
        text: root.words.title || ""
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: root.rule.ends === true ? Theme.error : Theme.primary
    }
    Text {
        Layout.fillWidth: true
        text: root.words.detail || ""
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
    // 退回至: the applicant, or the step before (when there is one).
    Flow {
        visible: root.rule.chooses === "return_target"
        Layout.fillWidth: true
        spacing: Theme.spacing
        Repeater {
            model: root.rule.chooses === "return_target" ? root.returnTargets : []
            delegate: ChoiceChip {
                required property var modelData
                objectName: "returnTo_" + modelData.to
                text: modelData.to === "applicant" ? qsTr("退回申请人")
                      : qsTr("退回上一步：%1").arg(modelData.name)
                        + ((modelData.people || []).length > 0 ? "（" + modelData.people.join("、") + "）" : "")
                checked: root.choice === modelData.to
                onToggled: { root.choice = modelData.to; root.error = "" }
            }
        }
    }
    // 转办给: the colleagues the server would accept (转办 is offered only when there are some).
    Flow {
        visible: root.rule.chooses === "colleague"
        Layout.fillWidth: true
        spacing: Theme.spacing
        Repeater {
            model: root.rule.chooses === "colleague" ? root.transferCandidates : []
            delegate: ChoiceChip {
                required property var modelData
                objectName: "transferTo_" + modelData.user_id
                text: modelData.name + (modelData.post ? "（" + modelData.post + "）" : "")
                checked: root.choice === modelData.user_id
                onToggled: { root.choice = modelData.user_id; root.error = "" }
            }
        }
    }
    AppTextField {
        id: reason
        objectName: "sheetComment"
        Layout.fillWidth: true
        maximumLength: 500
        placeholderText: root.words.placeholder || ""
        onTextEdited: root.error = ""
        onAccepted: root.confirm()  // Enter submits the one-line sheet
        Keys.onEscapePressed: root.close()
    }
    Text {
        objectName: "sheetError"
        visible: root.error.length > 0
        Layout.fillWidth: true
        text: root.error
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
            onClicked: root.close()
        }
        AppButton {
            objectName: "sheetConfirm"
            Layout.fillWidth: true
            kind: "primary"
            text: root.words.confirm || ""
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Enter 或 Ctrl+Enter")
            onClicked: root.confirm()
        }
    }
}
