pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// The form of a process: its sections and fields from the definition the server synced, checked as they are
// filled (Chinese messages on each field), 提交 when everything is valid, with a confirmation first. The
// page is destroyed when it is left (and at logout), so a kiosk keeps nothing; on a desk client 存草稿 keeps
// what was typed, and the next visit asks 继续填写草稿 or 重新填写. With `resubmitOf` it corrects an application
// that was returned (修改后重新提交): the form as it was sent, the reason it came back and each 批注 on its field.
Item {
    id: root
    objectName: "formPage"
    required property string processCode
    property string resubmitOf: ""
    readonly property bool resubmitting: resubmitOf.length > 0
    readonly property var info: Catalog.process(processCode)
    signal back()
    signal done()
    signal guideRequested(string code)

    FormController {
        id: form
        forms: Forms
        processCode: root.processCode
        resubmitOf: root.resubmitOf
    }
    focus: true

    // With the virtual keyboard up the page is short: the header steps aside and the margins shrink, so the
    // focused field, its label and its error — and when there is room the 提交 row — stay in view.
    readonly property bool compact: Qt.inputMethod.visible // qmllint disable missing-property
    readonly property bool landscape: width > height
    readonly property bool showGuide: !resubmitting && !compact && (form.state === "ready" || form.state === "saving")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: root.compact ? Theme.spacing : Theme.margin
        spacing: Theme.spacing

        PageHeader {
            visible: !root.compact
            Layout.fillWidth: true
            title: (root.info.name || "") + (root.resubmitting ? " · " + qsTr("修改后重新提交") : "")
            // The manual's header line: 流水号 (assigned by the server; 待分配 until then) and 主管部门.
            subtitle: qsTr("流水号：%1，主管部门：%2").arg(form.serial.length > 0 ? form.serial : qsTr("待分配"))
                                                     .arg(root.info.departmentName || "")
            canGoBack: form.state !== "saving"
            onBack: root.back()
            // The guide's essentials beside the title in landscape (the form's height is for the form), under it
            // in portrait.
            GuideSummaryCard {
                visible: root.showGuide && root.landscape
                Layout.preferredWidth: Math.min(fieldsColumn.width, root.width * 0.55)
                info: root.info
                onGuideRequested: root.guideRequested(root.processCode)
            }
        }

        GuideSummaryCard {
            visible: root.showGuide && !root.landscape
            Layout.fillWidth: true
            info: root.info
            onGuideRequested: root.guideRequested(root.processCode)
        }

        ReturnNoteCard {
            visible: root.resubmitting && form.returnNote.length > 0 && form.state === "ready" && !root.compact
            Layout.fillWidth: true
            Layout.maximumWidth: fieldsColumn.width
            Layout.alignment: Qt.AlignHCenter
            note: form.returnNote
        }

        // -- filling in ------------------------------------------------------------------------------------
        FormScroller {
            id: scroller
            objectName: "formScroller"
            visible: form.state === "ready" || form.state === "saving"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: fieldsColumn.implicitHeight + Theme.spacingLarge

            ColumnLayout {
                id: fieldsColumn
                // A readable measure on a wide screen: a phone number does not need a 1,800-pixel box.
                width: Math.min(scroller.width - Theme.spacing, Theme.kiosk ? 1280 : 960)
                x: Math.max(0, (scroller.width - width) / 2)
                spacing: Theme.spacingLarge
                // Short fields side by side in landscape, as the manual's form lays them out (单号 | 报修部门);
                // long ones (text areas, choices, signatures) and section titles take the whole line.
                Flow {
                    id: flow
                    Layout.fillWidth: true
                    // A kiosk's form is read standing, one screen at a time: rows closer together, so a
                    // certificate's choices (in English too, with its longer labels) are in view unscrolled.
                    spacing: Theme.kiosk ? Theme.spacing : Theme.spacingLarge
                    // Three abreast on a wide kiosk screen, so what the school filled in takes little height and
                    // the choices a student makes are in view without scrolling.
                    readonly property int columns: root.width <= root.height || width <= 800 ? 1 : width >= 1200 ? 3 : 2
                    Repeater {
                        model: form.fields // qmllint disable stale-property-read
                        delegate: Item {
                            id: entry
                            objectName: "entry_" + name
                            required property string name
                            required property string widget
                            required property string label
                            required property bool required
                            required property string placeholder
                            required property string help
                            required property string hint
                            required property var options
                            required property var value
                            required property string error
                            required property bool readOnly
                            required property bool deskOnly
                            required property int maxLength
                            required property var uploads
                            required property string notice
                            required property var accept
                            required property int maxCount
                            required property string annotation
                            required property string shown
                            required property var optionLabels
                            required property bool changeable
                            // A one-line field to type in (↵ comes here from the field before).
                            readonly property bool typed: !readOnly && !deskOnly && ["text", "mobile", "number", "money",
                                                          "idcard", "userid", "time"].indexOf(widget) >= 0
                            // A required choice (or date) still unanswered: ↵ stops here, the keyboard put away.
                            readonly property bool unanswered: required && !readOnly && !deskOnly && !typed
                                && widget !== "section" && (value === null || value === undefined || value.length === 0
                                                            || (value.start !== undefined && !value.start))
                            readonly property bool wide: widget === "section" || widget === "textarea"
                                                         || widget === "radio" || widget === "checkboxes"
                                                         || widget === "signature" || widget === "daterange"
                                                         || widget === "attachment" || widget === "select"
                                                         || (widget === "text" && maxLength > 64)
                            // What the school filled in is packed by its own width (several to a line, in portrait
                            // too); the rest take a column.
                            width: widget === "section" ? flow.width
                                   : readOnly && !deskOnly ? Math.min(flow.width, field.implicitWidth)
                                   : wide || flow.columns === 1 ? flow.width
                                   : (flow.width - (flow.columns - 1) * flow.spacing) / flow.columns
                            height: entry.widget === "section" ? sectionTitle.implicitHeight + Theme.spacing
                                                               : field.implicitHeight
                            Text {
                                id: sectionTitle
                                objectName: "section_" + entry.label
                                visible: entry.widget === "section"
                                anchors.bottom: parent.bottom
                                text: entry.label
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                                color: Theme.primary
                            }
                            FormField {
                                id: field
                                visible: entry.widget !== "section"
                                width: parent.width
                                controller: form
                                name: entry.name
                                widget: entry.widget
                                label: entry.label
                                required_: entry.required
                                placeholder: entry.placeholder
                                help: entry.help
                                hint: entry.hint
                                options: entry.options
                                value: entry.value
                                error: entry.error
                                readOnly: entry.readOnly
                                deskOnly: entry.deskOnly
                                maxLength: entry.maxLength
                                uploads: entry.uploads
                                notice: entry.notice
                                accept: entry.accept
                                maxCount: entry.maxCount
                                annotation: entry.annotation
                                shown: entry.shown
                                optionLabels: entry.optionLabels
                                changeable: entry.changeable
                                onNextRequested: root.typeNext(entry.name)
                            }
                        }
                    }
                }
            }
        }

        // The form's actions stay at the bottom of the page, outside the scrolling fields: above the keyboard
        // too, never half hidden under it, and 提交 needs no scrolling to the end of a long form.
        RowLayout {
            id: actions
            visible: form.state === "ready" || form.state === "saving"
            Layout.fillWidth: true
            Layout.maximumWidth: fieldsColumn.width
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.spacing
            Text {
                objectName: "formProblems"
                Layout.fillWidth: true
                text: form.errorCount > 0 ? qsTr("还有 %1 处需要填写或修改").arg(form.errorCount)
                      : form.uploading > 0 ? qsTr("附件上传中，请稍候…") : qsTr("已填写完整，可以提交")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: form.errorCount > 0 || form.uploading > 0 ? Theme.warning : Theme.success
                wrapMode: Text.Wrap
                TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.showProblems() }
            }
            AppButton {
                objectName: "checkButton"
                visible: form.errorCount > 0
                text: qsTr("查看未填项")
                onClicked: root.showProblems()
            }
            // Desk mode only: a kiosk never keeps what a student typed.
            Text {
                objectName: "draftStatus"
                visible: form.desk && form.draftSavedAt.length > 0 && !form.hasDraft
                text: qsTr("草稿已保存 %1").arg(form.draftSavedAt)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textSecondary
            }
            AppButton {
                objectName: "saveDraftButton"
                visible: form.desk && !root.resubmitting
                iconName: "device-floppy"
                text: qsTr("存草稿")
                enabled: form.state === "ready"
                onClicked: form.saveDraft()
            }
            AppButton {
                objectName: "submitButton"
                kind: "primary"
                iconName: "check"
                text: root.resubmitting ? qsTr("重新提交") : qsTr("提交")
                enabled: form.valid && form.state === "ready"
                onClicked: {
                    if (!form.checkAll())
                        return
                    // Typing is over: put the keyboard away so the dialog and what follows are seen whole.
                    root.forceActiveFocus()
                    Qt.inputMethod.hide() // qmllint disable missing-property
                    confirm.open()
                }
            }
        }

        // -- states other than filling in ---------------------------------------------------------------------
        EmptyState {
            objectName: "formMissing"
            visible: form.state === "missing" || form.state === "loading"
            Layout.fillWidth: true
            Layout.fillHeight: true
            iconName: form.state === "loading" ? "loader-2" : "info-circle"
            title: form.state === "loading" ? qsTr("正在打开表单…") : qsTr("该服务的表单暂未同步到本机")
            detail: form.state === "loading" ? "" : qsTr("请连接网络后稍候再试，或到受理部门窗口办理。")
        }
        SubmittedCard {
            visible: form.state === "saved"
            Layout.fillWidth: true
            Layout.fillHeight: true
            submitState: form.submitState
            submitError: form.submitError
            serial: form.serial
            docNo: form.docNo
            resubmitting: root.resubmitting
            info: root.info
            nextStep: form.state === "saved" ? root.inLanguage(form.nextStep()) : ({})
            nextHandler: form.nextHandler
            onDone: root.done()
        }
    }

    // A returned application opens at the first field a handler wrote a 批注 on.
    Connections {
        target: form
        function onChanged() {
            if (root.resubmitting && form.state === "ready" && !root.shownAnnotation) {
                root.shownAnnotation = true
                annotationScroll.start()
            }
        }
    }
    property bool shownAnnotation: false
    Timer {
        id: annotationScroll
        interval: 60  // once the fields are laid out
        onTriggered: root.scrollToField(form.firstAnnotatedField())
    }

    function showProblems() {
        form.checkAll()
        const name = form.firstErrorField()
        root.scrollToField(name)
        // As a phone does: the missing field takes the focus (its keyboard comes up when it is typed into);
        // a choice or a date has nothing to type, and the keyboard goes.
        const input = name.length > 0 ? root.findField(fieldsColumn, "input_" + name + "Input") : null
        if (input !== null) {
            input.forceActiveFocus()
            Qt.inputMethod.show() // qmllint disable missing-property
        } else {
            root.forceActiveFocus()
            Qt.inputMethod.hide() // qmllint disable missing-property
        }
    }
    // ↵ on a field: the next one-line field still to be typed in takes the focus (scrolled into view); a required
    // choice left unanswered before it stops the walk there, with the keyboard put away so the choice is seen; after
    // the last, the keyboard goes and the form is seen whole.
    function typeNext(name: string) {
        let after = false
        for (let i = 0; i < flow.children.length; ++i) {
            const entry = flow.children[i]
            if (entry.objectName === "entry_" + name) {
                after = true
            } else if (after && entry.unanswered) {
                root.forceActiveFocus()
                Qt.inputMethod.hide() // qmllint disable missing-property
                Qt.callLater(root.scrollToField, entry.name)  // once the page has its height back
                return
            } else if (after && entry.typed) {
                const input = root.findField(entry, "input_" + entry.name + "Input")
                if (input !== null) {
                    root.scrollToField(entry.name)
                    input.forceActiveFocus()
                    return
                }
            }
        }
        root.forceActiveFocus()
        Qt.inputMethod.hide() // qmllint disable missing-property
    }
    // The next step as the user reads it: its English name in English mode.
    function inLanguage(step: var): var {
        const names = root.info.stepNames || {}
        return names[step.name] ? Object.assign({}, step, { name: names[step.name] }) : step
    }
    function scrollToField(name: string) {
        if (name.length === 0)
            return
        const item = root.findField(fieldsColumn, "field_" + name)
        if (item !== null)
            scroller.contentY = Math.max(0, Math.min(item.mapToItem(scroller.contentItem, 0, 0).y - Theme.spacing,
                                                     scroller.contentHeight - scroller.height))
    }
    function findField(parentItem: Item, wanted: string): Item {
        for (let i = 0; i < parentItem.children.length; ++i) {
            const child = parentItem.children[i]
            if (child.objectName === wanted)
                return child
            const deeper = root.findField(child, wanted)
            if (deeper !== null)
                return deeper
        }
        return null
    }

    // A draft of this process (desk mode): carry on with it, or start again (the draft is then deleted).
    Connections {
        target: form
        function onChanged() { if (form.hasDraft && !draftDialog.opened) draftDialog.open() }
    }
    DraftOfferDialog {
        id: draftDialog
        processName: root.info.name || ""
        savedAt: form.draftSavedAt
        onResume: form.resumeDraft()
        onDiscard: form.discardDraft()
    }

    SubmitConfirmDialog {
        id: confirm
        processName: root.info.name || ""
        resubmitting: root.resubmitting
        // Read once the form is ready (the workflow is loaded with it).
        nextStep: form.state === "ready" ? root.inLanguage(form.nextStep()) : ({})
        nextHandler: form.nextHandler
        onHandlerChosen: (userId) => form.chooseHandler(userId)
        onConfirmed: form.confirmSubmit()
    }
}
