pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// One section of the form on the progress page (the applicant's, or a step's once filled): each field's label
// and value, and this round's 批注 under it (in orange, for everyone). While a holder is choosing the field to
// annotate, each field offers its own 批注 button.
Rectangle {
    id: root
    // {title, step ("" for the applicant's part), rows: [{name, label, value, note}]}
    required property var section
    required property bool annotating
    signal annotate(string field, string label)

    implicitHeight: sectionBody.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: root.section.step ? Theme.accent : Theme.border

    ColumnLayout {
        id: sectionBody
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 6
        Text {
            text: root.section.title || ""
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.primary
        }
        Repeater {
            model: root.section.rows || []
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
                    visible: root.annotating
                    Layout.alignment: Qt.AlignTop
                    kind: "text"
                    iconName: "message-circle"
                    text: qsTr("批注")
                    onClicked: root.annotate(line.modelData.name, line.modelData.label)
                }
            }
        }
    }
}
