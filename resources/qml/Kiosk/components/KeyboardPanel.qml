pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Kiosk.Backend

// Qt Virtual Keyboard for the kiosk: Chinese Pinyin and English, switchable on the keyboard itself.
InputPanel {
    id: root
    objectName: "inputPanel"
    property string uiLanguage: "zh_CN"

    Component.onCompleted: {
        // What the keyboard learns (Pinyin phrase frequencies, English words) goes to a private
        // directory that every logout empties, never to the shared config dir.
        VirtualKeyboardSettings.userDataPath = AppState.keyboardDataPath
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = root.uiLanguage
    }
    onUiLanguageChanged: VirtualKeyboardSettings.locale = root.uiLanguage

    Connections {
        target: Session
        // Logout: the input methods drop what they learned from this user, in memory and on disk.
        function onKeyboardResetRequested() { VirtualKeyboardSettings.userDataReset() }
    }
}
