pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// The guide's essentials folded at the top of a form, so a tap on a process opens its form at once: what to
// bring, where and how long; the whole 办事指南 one tap away.
Rectangle {
    id: root
    objectName: "guideSummary"
    required property var info  // Catalog.process(code)
    signal guideRequested()

    implicitHeight: row.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.primaryLight

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        AppIcon {
            Layout.alignment: Qt.AlignVCenter
            name: "info-circle"
            color: Theme.primary
        }
        Text {
            objectName: "guideSummaryText"
            Layout.fillWidth: true
            text: [(root.info.materials || []).length > 0
                       ? qsTr("请带：%1").arg((root.info.materials || []).join(qsTr("、"))) : qsTr("无需另外准备材料"),
                   ((root.info.departmentName || "") + " " + (root.info.contactOffice || "")).trim(),
                   (root.info.expectedDays || 0) > 0 ? qsTr("约 %1 个工作日").arg(root.info.expectedDays) : ""]
                  .filter(part => part.length > 0).join(" · ")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.Wrap
        }
        AppButton {
            objectName: "guideButton"
            Layout.alignment: Qt.AlignVCenter
            iconName: "book-2"
            text: qsTr("办事指南")
            onClicked: root.guideRequested()
        }
    }
}
