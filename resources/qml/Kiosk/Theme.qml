pragma Singleton
import QtQuick
import Kiosk.Backend

// Sizes, colours and fonts for every page: kiosk (touch, 50–70 cm) and desk (mouse) scales,
// multiplied by the large-text factor. Pages use these names, never literal colours or pixel sizes.
QtObject {
    readonly property bool kiosk: AppState.isKiosk
    readonly property real scale: Display.textScale
    // 高对比度 (个人中心): black on white, darker blue, borders that show; the same names, so every page follows.
    readonly property bool contrast: Display.highContrast

    // Colours: a deep campus blue, white cards on light grey, one accent for actions, red only for errors.
    readonly property color primary: contrast ? "#002255" : "#0f3d7a"
    readonly property color primaryDark: contrast ? "#001533" : "#0a2c59"
    readonly property color primaryLight: contrast ? "#d6e2f5" : "#e8eef7"
    readonly property color accent: contrast ? "#0043a8" : "#1f6fd1"
    readonly property color accentPressed: contrast ? "#00327e" : "#1658a8"
    readonly property color page: contrast ? "#ffffff" : "#f2f4f7"
    readonly property color card: "#ffffff"
    readonly property color border: contrast ? "#000000" : "#d5dbe3"
    readonly property color text: contrast ? "#000000" : "#1c2430"
    readonly property color textSecondary: contrast ? "#1a1a1a" : "#56606e"
    readonly property color textOnPrimary: "#ffffff"
    readonly property color error: contrast ? "#a00000" : "#c62828"
    readonly property color errorLight: "#fdecea"
    readonly property color success: contrast ? "#1b5e20" : "#2e7d32"
    readonly property color warning: contrast ? "#7a4800" : "#b26a00"
    readonly property color disabled: contrast ? "#6b6b6b" : "#a9b1bc"

    readonly property string fontFamily: "Noto Sans CJK SC"

    // Type (pixels). Kiosk body ≥ 20, titles 28–36, counters 48; desk body 14–16.
    readonly property int fontBody: Math.round((kiosk ? 22 : 15) * scale)
    readonly property int fontSmall: Math.round((kiosk ? 20 : 13) * scale)
    readonly property int fontLarge: Math.round((kiosk ? 26 : 17) * scale)
    readonly property int fontTitle: Math.round((kiosk ? 32 : 22) * scale)
    readonly property int fontHero: Math.round((kiosk ? 44 : 28) * scale)
    readonly property int fontCounter: Math.round((kiosk ? 48 : 30) * scale)

    // Touch: targets ≥ 48 px (primary actions ≥ 64 on a kiosk), ≥ 8 px apart.
    readonly property int touchMin: kiosk ? 64 : 36
    readonly property int touchPrimary: kiosk ? 80 : 40
    readonly property int spacing: kiosk ? 16 : 10
    readonly property int spacingLarge: kiosk ? 32 : 20
    readonly property int margin: kiosk ? 32 : 20
    readonly property int radius: kiosk ? 12 : 6
    readonly property int iconSize: Math.round((kiosk ? 36 : 20) * scale)
    // The bars grow with the text (large text must not be clipped), a little less than it does.
    readonly property int topBarHeight: Math.round((kiosk ? 96 : 56) * (1 + (scale - 1) * 0.8))
    readonly property int bottomNavHeight: kiosk ? Math.round(104 * (1 + (scale - 1) * 0.5)) : 0
    readonly property int animationMs: 150
}
