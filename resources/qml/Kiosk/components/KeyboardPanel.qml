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
    onUiLanguageChanged: root.followField()

    // The layout follows the field, as on a phone: a password or an ID (ImhLatinOnly, ImhHiddenText) gets the
    // English keyboard, which has a Shift key (the Pinyin one has none: a capital took 🌐 → English → ⇧); any
    // other text the UI's language (Pinyin in Chinese). The digit pads come from the hints themselves.
    function followField() {
        const hints = InputContext.inputMethodHints
        const latin = (hints & (Qt.ImhLatinOnly | Qt.ImhHiddenText | Qt.ImhPreferLatin | Qt.ImhEmailCharactersOnly
                                | Qt.ImhUrlCharactersOnly)) !== 0
        const wanted = latin ? "en_US" : root.uiLanguage
        if (VirtualKeyboardSettings.locale !== wanted)
            VirtualKeyboardSettings.locale = wanted
    }
    Connections {
        target: InputContext
        function onInputMethodHintsChanged() { root.followField() }
    }

    Connections {
        target: Session
        // Logout: the input methods drop what they learned from this user, in memory and on disk.
        function onKeyboardResetRequested() { VirtualKeyboardSettings.userDataReset() }
    }
}
