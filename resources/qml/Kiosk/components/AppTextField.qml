pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import Kiosk

// A labelled text field with a leading icon and an inline error line under it.
// On a kiosk the virtual keyboard serves it (zh_CN Pinyin / en_US); on a desk, the system keyboard.
Column {
    id: root
    property alias text: field.text
    property alias placeholderText: field.placeholderText
    property alias echoMode: field.echoMode
    property alias inputMethodHints: field.inputMethodHints
    property alias maximumLength: field.maximumLength
    property alias field: field
    property string iconName: ""
    property string errorText: ""
    // A red frame without a message here (the caller draws the message elsewhere, e.g. a form field).
    property bool invalid: false
    property string hint: ""
    // Password fields: an eye button at the end shows or hides what was typed.
    property bool revealable: false
    property bool revealed: false
    // A key the field's keyboard layout lacks, drawn at the end of the field (the X of a 身份证号 beside the
    // digit pad); "" for none. Tapping it types it where the cursor is, and the field keeps the focus.
    property string extraKey: ""
    signal accepted()
    signal textEdited()

    spacing: 4

    TextField {
        id: field
        // Tests and accessibility find the editable part as <objectName>Input.
        objectName: root.objectName.length > 0 ? root.objectName + "Input" : ""
        width: root.width
        implicitHeight: Theme.touchMin
        leftPadding: root.iconName.length > 0 ? Theme.iconSize + 2 * Theme.spacing : Theme.spacing
        rightPadding: root.revealable || root.extraKey.length > 0 ? Theme.touchMin + Theme.spacing : Theme.spacing
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.text
        placeholderTextColor: Theme.textSecondary
        selectByMouse: !Theme.kiosk
        onAccepted: root.accepted()
        onTextEdited: root.textEdited()

        background: Rectangle {
            radius: Theme.radius
            color: Theme.card
            border.width: field.activeFocus ? 2 : 1
            border.color: root.errorText.length > 0 || root.invalid ? Theme.error
                          : field.activeFocus ? Theme.accent : Theme.border
            // Reached with Tab on a desk: the ring every control shows (a click shows the caret and the frame).
            FocusRing {
                shown: field.activeFocus
                       && (field.focusReason === Qt.TabFocusReason || field.focusReason === Qt.BacktabFocusReason)
            }
            AppIcon {
                visible: root.iconName.length > 0
                name: root.iconName
                color: field.activeFocus ? Theme.accent : Theme.textSecondary
                anchors.left: parent.left
                anchors.leftMargin: Theme.spacing
                anchors.verticalCenter: parent.verticalCenter
            }
        }

        Rectangle {
            objectName: "revealButton"
            visible: root.revealable
            width: Theme.touchMin
            height: Theme.touchMin
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            radius: Theme.radius
            color: revealTap.pressed ? Theme.primaryLight : "transparent"
            AppIcon {
                anchors.centerIn: parent
                name: root.revealed ? "eye-off" : "eye"
                color: Theme.textSecondary
            }
            TapHandler {
                id: revealTap
                gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                onTapped: root.revealed = !root.revealed
            }
        }
    }

    Rectangle {
        objectName: root.objectName.length > 0 ? root.objectName + "ExtraKey" : ""
        parent: field
        visible: root.extraKey.length > 0
        width: Theme.touchMin
        height: Theme.touchMin - 8
        anchors.right: parent.right
        anchors.rightMargin: 4
        anchors.verticalCenter: parent.verticalCenter
        radius: Theme.radius
        color: extraTap.pressed ? Theme.primaryLight : Theme.page
        border.color: Theme.border
        Text {
            anchors.centerIn: parent
            text: root.extraKey
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.text
        }
        TapHandler {
            id: extraTap
            gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
            onTapped: {
                if (field.length >= field.maximumLength)
                    return
                field.insert(field.cursorPosition, root.extraKey)
                root.textEdited()  // as if typed: the form hears of it
            }
        }
    }

    Text {
        width: root.width
        visible: text.length > 0
        text: root.errorText.length > 0 ? root.errorText : root.hint
        color: root.errorText.length > 0 ? Theme.error : Theme.textSecondary
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
    }
}
