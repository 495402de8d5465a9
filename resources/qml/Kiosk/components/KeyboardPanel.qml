pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

// Qt Virtual Keyboard for the kiosk: Chinese Pinyin and English, switchable on the keyboard itself.
InputPanel {
    id: root
    objectName: "inputPanel"
    property string uiLanguage: "zh_CN"

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = root.uiLanguage
    }
    onUiLanguageChanged: VirtualKeyboardSettings.locale = root.uiLanguage
}
