pragma ComponentBehavior: Bound
import QtCore
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Dialogs
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 打印证明 on a finished (办结) application that issued a certificate (docs/certificates.md#printing). A kiosk
// prints a copy at its own printer while copies remain (the form's 份数), following the job (发送到打印机… /
// 正在打印… / 已打印) and saying each printer fault; a kiosk without a printer says where to print instead. A
// desk downloads the PDF (下载) or prints it through the system's print dialog (打印).
Rectangle {
    id: root
    objectName: "certificateCard"
    required property string applicationId
    readonly property bool mine: Certificates.available && Certificates.applicationId === root.applicationId
    // The certificate: title, code, validUntil, status, copiesAllowed/Printed/Left, offline, refusal.
    readonly property var card: Certificates.card // qmllint disable unresolved-type
    readonly property string refusal: root.card.refusal ?? ""
    readonly property bool canPrint: root.mine && Certificates.hasPrinter && !Certificates.busy
                                     && root.refusal.length === 0
    visible: root.mine
    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.success

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        Text {
            Layout.fillWidth: true
            text: qsTr("证明文件：%1").arg(root.card.title)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.primary
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "certificateCopies"
            Layout.fillWidth: true
            // The copies are those of the hall's printers; a desk's own print of the PDF is not counted.
            text: (Theme.kiosk ? qsTr("可打印 %1 份（共 %2 份，已打印 %3 份）")
                               : qsTr("大厅自助打印机可打印 %1 份（共 %2 份，已打印 %3 份）")).arg(root.card.copiesLeft)
                      .arg(root.card.copiesAllowed).arg(root.card.copiesPrinted)
                  + "\n" + qsTr("验证码：%1　有效期至：%2").arg(root.card.code).arg(root.card.validUntil)
                  + (root.card.offline ? "\n" + qsTr("网络未连接：份数以本机上次同步为准") : "")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "certificateRefusal"
            visible: root.refusal.length > 0 && !Certificates.busy && (Theme.kiosk || root.card.status !== "valid")
            Layout.fillWidth: true
            text: root.refusal
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.warning
            wrapMode: Text.Wrap
        }
        Text {
            objectName: "printElsewhere"
            visible: Theme.kiosk && !Certificates.hasPrinter
            Layout.fillWidth: true
            text: qsTr("本机未连接打印机。") + Certificates.printElsewhere
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.warning
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            AppButton {
                objectName: "printCertificate"
                visible: Theme.kiosk && Certificates.hasPrinter
                kind: "primary"
                iconName: "printer"
                text: qsTr("打印证明")
                enabled: root.canPrint
                onClicked: Certificates.printCopy()
            }
            AppButton {
                objectName: "downloadCertificate"
                visible: !Theme.kiosk
                kind: "primary"
                text: qsTr("下载")
                enabled: root.mine && !Certificates.busy
                onClicked: saveDialog.active = true
            }
            AppButton {
                objectName: "deskPrintCertificate"
                visible: !Theme.kiosk
                text: qsTr("打印")
                enabled: root.mine && !Certificates.busy && root.card.status === "valid"
                onClicked: Certificates.printWithDialog()
            }
            BusyIndicator {
                visible: Certificates.busy
                running: visible
                Layout.preferredWidth: Theme.touchMin
                Layout.preferredHeight: Theme.touchMin
            }
        }
        Text {
            objectName: "printStatus"
            visible: Certificates.message.length > 0
            Layout.fillWidth: true
            text: Certificates.message
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: Certificates.status === "done" || Certificates.status === "fault"
            color: Certificates.status === "fault" ? Theme.error
                   : Certificates.status === "done" ? Theme.success : Theme.text
            wrapMode: Text.Wrap
        }
    }

    // 下载 (desk): where to save, in the system's dialog, made only when asked for.
    Loader {
        id: saveDialog
        active: false
        sourceComponent: FileDialog {
            title: qsTr("保存证明文件")
            fileMode: FileDialog.SaveFile
            currentFolder: StandardPaths.standardLocations(StandardPaths.DocumentsLocation)[0]
            selectedFile: currentFolder + "/" + (root.card.title || "certificate") + ".pdf"
            nameFilters: [qsTr("PDF 文件 (*.pdf)")]
            Component.onCompleted: open()
            onAccepted: { Certificates.saveTo(selectedFile); saveDialog.active = false }
            onRejected: saveDialog.active = false
        }
    }
}
