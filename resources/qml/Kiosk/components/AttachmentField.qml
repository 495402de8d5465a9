pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// An attachment field (desk mode): 选择文件, then each file listed with its size and a ✕ once uploaded, with
// its progress filling the row while it uploads, or with its reason and a ✕ when it was refused; the last
// problem with a choice under them.
ColumnLayout {
    id: root
    required property string name
    required property var files    // uploaded: [{id, name, sizeText}]
    required property var uploads  // on their way or refused: [{token, name, state, progress, message}]
    required property string notice
    required property int maxCount
    signal chooseFiles()
    signal removeFile(string id)
    signal dismissUpload(string token)

    readonly property int inFlight: (root.uploads || []).filter(u => u.state === "uploading").length
    spacing: Theme.spacing / 2

    RowLayout {
        spacing: Theme.spacing
        AppButton {
            objectName: "input_" + root.name + "_choose"
            iconName: "paperclip"
            text: qsTr("选择文件")
            enabled: root.files.length + root.inFlight < root.maxCount
            onClicked: root.chooseFiles()
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("已上传 %1 / %2 个").arg(root.files.length).arg(root.maxCount)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textSecondary
        }
    }
    Repeater {
        model: root.files
        delegate: FileRow {
            required property var modelData
            objectName: "attachment_" + modelData.name
            fileName: modelData.name
            detail: modelData.sizeText + " · " + qsTr("已上传")
            onRemove: root.removeFile(modelData.id)
        }
    }
    Repeater {
        model: root.uploads || []
        delegate: FileRow {
            required property var modelData
            objectName: "upload_" + modelData.name
            fileName: modelData.name
            failed: modelData.state === "failed"
            progress: modelData.state === "uploading" ? modelData.progress : -1
            detail: modelData.state === "failed" ? modelData.message
                    : qsTr("上传中 %1%").arg(Math.round(modelData.progress * 100))
            removable: modelData.state === "failed"
            onRemove: root.dismissUpload(modelData.token)
        }
    }
    Text {
        objectName: "attachmentNotice"
        visible: root.notice.length > 0
        Layout.fillWidth: true
        text: root.notice
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.error
        wrapMode: Text.Wrap
    }

    component FileRow: Rectangle {
        id: fileRow
        property string fileName
        property string detail
        property bool failed: false
        property bool removable: true
        property real progress: -1   // 0…1 while uploading
        signal remove()
        Layout.fillWidth: true
        implicitHeight: Theme.touchMin
        radius: Theme.radius
        color: failed ? Theme.errorLight : Theme.card
        border.color: failed ? Theme.error : Theme.border
        // The upload's progress fills the row from the left.
        Rectangle {
            visible: fileRow.progress >= 0
            width: parent.width * Math.max(0, fileRow.progress)
            height: parent.height
            radius: parent.radius
            color: Theme.primaryLight
        }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing / 2
            spacing: Theme.spacing
            AppIcon { name: fileRow.failed ? "alert-circle" : "file"; color: fileRow.failed ? Theme.error : Theme.primary }
            Text {
                objectName: "fileName"
                Layout.maximumWidth: fileRow.width * 0.5
                text: fileRow.fileName
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                elide: Text.ElideMiddle
            }
            Text {
                objectName: "fileDetail"
                Layout.fillWidth: true
                text: fileRow.detail
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                color: fileRow.failed ? Theme.error : Theme.textSecondary
                elide: Text.ElideRight
            }
            AppButton {
                objectName: "removeFile"
                visible: fileRow.removable
                kind: "text"
                iconName: "x"
                text: ""
                Accessible.name: qsTr("移除 %1").arg(fileRow.fileName)
                onClicked: fileRow.remove()
            }
        }
    }
}
