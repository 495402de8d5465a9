pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// A draft of this process (desk mode): carry on with it, or start again (the draft is then deleted).
Popup {
    id: root
    objectName: "draftDialog"
    required property string processName
    required property string savedAt
    signal resume()
    signal discard()

    modal: true
    closePolicy: Popup.NoAutoClose
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 720, 720)
    padding: Theme.spacingLarge
    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, 0.5) }
    background: Rectangle { radius: Theme.radius; color: Theme.card }
    contentItem: ColumnLayout {
        spacing: Theme.spacingLarge
        Text {
            text: qsTr("有未提交的草稿")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("您在 %1 保存过“%2”的草稿。继续填写草稿，还是删除草稿重新填写？")
                      .arg(root.savedAt).arg(root.processName)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textSecondary
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppButton {
                objectName: "draftDiscard"
                Layout.fillWidth: true
                text: qsTr("重新填写")
                onClicked: { root.close(); root.discard() }
            }
            AppButton {
                objectName: "draftResume"
                Layout.fillWidth: true
                kind: "primary"
                text: qsTr("继续填写草稿")
                onClicked: { root.close(); root.resume() }
            }
        }
    }
}
