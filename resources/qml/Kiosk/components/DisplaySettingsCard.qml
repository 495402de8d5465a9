pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 显示设置: language, 字号 (标准 / 大 / 特大) and 高对比度, applied at once to every screen. On a kiosk the choices
// last until logout; a desk keeps them.
HomeCard {
    id: root
    objectName: "displaySettings"
    title: qsTr("显示设置")
    iconName: "eye"

    component SettingRow: RowLayout {
        id: row
        property string label
        default property alias choices: chips.data
        Layout.fillWidth: true
        spacing: Theme.spacing
        Text {
            Layout.preferredWidth: Theme.kiosk ? 160 : 100
            text: row.label
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.text
        }
        Flow {
            id: chips
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
        }
    }

    SettingRow {
        label: qsTr("语言")
        ChoiceChip { objectName: "language_zh"; text: "中文"; checked: Display.language === "zh_CN"; onToggled: Display.setLanguage("zh_CN") }
        ChoiceChip { objectName: "language_en"; text: "English"; checked: Display.language === "en_US"; onToggled: Display.setLanguage("en_US") }
    }
    SettingRow {
        label: qsTr("字号")
        Repeater {
            model: [
                { scale: 1.0, name: qsTr("标准") },
                { scale: 1.25, name: qsTr("大") },
                { scale: 1.5, name: qsTr("特大") }
            ]
            delegate: ChoiceChip {
                id: sizeChip
                required property var modelData
                objectName: "textScale_" + sizeChip.modelData.scale
                text: sizeChip.modelData.name
                checked: Math.abs(Display.textScale - sizeChip.modelData.scale) < 0.01
                onToggled: Display.setTextScale(sizeChip.modelData.scale)
            }
        }
    }
    SettingRow {
        label: qsTr("高对比度")
        ChoiceChip {
            objectName: "highContrast"
            text: Display.highContrast ? qsTr("已开启") : qsTr("已关闭")
            multiple: true
            checked: Display.highContrast
            onToggled: Display.setHighContrast(!Display.highContrast)
        }
    }
    Text {
        Layout.fillWidth: true
        visible: Theme.kiosk
        text: qsTr("退出登录后恢复默认设置")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        color: Theme.textSecondary
        wrapMode: Text.Wrap
    }
}
