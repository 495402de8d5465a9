pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// 服务中心 A–Z's touch index: tap a letter to jump to it. Each key is a visible tile of ≥ 48 px (the bare ≈ 15 px
// letters were no target); when the letters do not fit one column, they take a second.
Grid {
    id: root
    objectName: "azIndex"
    property var letters: []
    property real availableHeight: 0
    signal jump(string letter)

    readonly property int keySize: Theme.kiosk ? 56 : 40
    readonly property int count: letters.length
    readonly property int perColumn: Math.max(1, Math.floor((availableHeight + spacing) / (keySize + spacing)))
    columns: Math.max(1, Math.ceil(count / perColumn))
    flow: Grid.TopToBottom
    rows: Math.min(count, perColumn)
    spacing: 4
    Repeater {
        model: root.letters
        delegate: Rectangle {
            id: letterKey
            required property string modelData
            objectName: "azKey_" + modelData
            width: root.keySize
            height: root.keySize
            radius: Theme.radius
            color: keyTap.pressed ? Theme.primaryLight : Theme.card
            border.color: Theme.border
            Text {
                anchors.centerIn: parent
                text: letterKey.modelData
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.accent
            }
            TapHandler {
                id: keyTap
                gesturePolicy: TapHandler.ReleaseWithinBounds  // takes the press: see ChoiceChip
                onTapped: root.jump(letterKey.modelData)
            }
        }
    }
}
