pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 办事指南: what a process is for, who may apply, its steps, what to prepare, where to ask, how long it takes.
// Seen before logging in (登录后办理), or from a form's 办事指南 (返回填写); a logged-in tap on a process opens its
// form directly.
Item {
    id: root
    objectName: "guidePage"
    required property string processCode
    property bool fromForm: false  // opened from its form's 办事指南: 开始办理 goes back to the form
    readonly property var info: Catalog.process(processCode)
    signal back()
    signal start(string code)
    signal loginRequested()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        PageHeader {
            Layout.fillWidth: true
            title: root.info.name || ""
            subtitle: qsTr("办事指南") + " · " + (root.info.departmentName || "")
            canGoBack: true
            onBack: root.back()
        }

        Flickable {
            id: scroller
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: body.implicitHeight + Theme.spacingLarge
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}

            ColumnLayout {
                id: body
                width: scroller.width
                spacing: Theme.spacingLarge

                GuideSection {
                    title: qsTr("事项说明")
                    Layout.fillWidth: true
                    Text {
                        width: parent.width
                        text: root.info.description || ""
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        wrapMode: Text.Wrap
                    }
                }

                GuideSection {
                    title: qsTr("办理流程")
                    Layout.fillWidth: true
                    // The steps as a diagram: numbered circles joined by arrows, wrapping on narrow screens.
                    Flow {
                        objectName: "guideSteps"
                        width: parent.width
                        spacing: Theme.spacing
                        Repeater {
                            model: root.info.steps || []
                            delegate: Row {
                                id: step
                                required property string modelData
                                required property int index
                                spacing: Theme.spacing
                                Rectangle {
                                    width: stepText.implicitWidth + Theme.touchMin + Theme.spacing
                                    height: Theme.touchMin
                                    radius: height / 2
                                    color: step.index === 0 ? Theme.primary : Theme.primaryLight
                                    Rectangle {
                                        x: 6
                                        anchors.verticalCenter: parent.verticalCenter
                                        width: parent.height - 12
                                        height: width
                                        radius: width / 2
                                        color: step.index === 0 ? Theme.card : Theme.primary
                                        Text {
                                            anchors.centerIn: parent
                                            text: step.index + 1
                                            font.family: Theme.fontFamily
                                            font.pixelSize: Theme.fontBody
                                            font.bold: true
                                            color: step.index === 0 ? Theme.primary : Theme.textOnPrimary
                                        }
                                    }
                                    Text {
                                        id: stepText
                                        x: parent.height
                                        anchors.verticalCenter: parent.verticalCenter
                                        text: step.modelData
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        color: step.index === 0 ? Theme.textOnPrimary : Theme.primary
                                    }
                                }
                                AppIcon {
                                    visible: step.index < (root.info.steps || []).length - 1
                                    anchors.verticalCenter: parent.verticalCenter
                                    name: "chevron-right"
                                    color: Theme.textSecondary
                                }
                            }
                        }
                    }
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: root.width > root.height ? 2 : 1
                    columnSpacing: Theme.spacingLarge
                    rowSpacing: Theme.spacingLarge
                    GuideSection {
                        title: qsTr("申请对象")
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1  // equal columns, whatever the texts' lengths
                        Layout.alignment: Qt.AlignTop
                        GuideLine { text: root.info.audience || "" }
                    }
                    GuideSection {
                        title: qsTr("办理时限")
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1  // equal columns, whatever the texts' lengths
                        Layout.alignment: Qt.AlignTop
                        GuideLine {
                            text: (root.info.expectedDays || 0) > 0
                                  ? qsTr("约 %1 个工作日").arg(root.info.expectedDays) : qsTr("以受理部门通知为准")
                        }
                    }
                    GuideSection {
                        title: qsTr("所需材料")
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1  // equal columns, whatever the texts' lengths
                        Layout.alignment: Qt.AlignTop
                        Repeater {
                            model: root.info.materials || []
                            delegate: GuideLine {
                                required property string modelData
                                required property int index
                                text: (index + 1) + ". " + modelData
                            }
                        }
                        GuideLine {
                            visible: (root.info.materials || []).length === 0
                            text: qsTr("无需另外准备材料")
                        }
                    }
                    GuideSection {
                        title: qsTr("受理部门与咨询")
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1  // equal columns, whatever the texts' lengths
                        Layout.alignment: Qt.AlignTop
                        GuideLine { text: root.info.departmentName || "" }
                        GuideLine {
                            visible: (root.info.contactOffice || "").length > 0
                            text: qsTr("地点：%1").arg(root.info.contactOffice)
                        }
                        GuideLine {
                            visible: (root.info.contactPhone || "").length > 0
                            text: qsTr("电话：%1").arg(root.info.contactPhone)
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                Layout.fillWidth: true
                visible: !Session.loggedIn
                text: qsTr("办理前请先登录")
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textSecondary
            }
            Item { Layout.fillWidth: true; visible: Session.loggedIn }
            AppButton {
                objectName: "startButton"
                kind: "primary"
                iconName: Session.loggedIn ? "file-text" : "user-circle"
                text: !Session.loggedIn ? qsTr("登录后办理") : root.fromForm ? qsTr("返回填写") : qsTr("开始办理")
                onClicked: Session.loggedIn ? root.start(root.processCode) : root.loginRequested()
            }
        }
    }

    component GuideSection: Column {
        id: guideSection
        property string title
        default property alias content: inner.data
        spacing: Theme.spacing / 2
        Text {
            text: guideSection.title
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.primary
        }
        Column {
            id: inner
            width: parent.width
            spacing: 4
        }
    }
    component GuideLine: Text {
        width: parent ? parent.width : implicitWidth
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.Wrap
    }
}
