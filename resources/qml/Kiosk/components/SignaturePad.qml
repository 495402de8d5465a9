pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Shapes
import Kiosk
import Kiosk.Backend

// A touch signature pad: draw with a finger (or the mouse), 清除 to start again. When a stroke ends the
// drawing is handed on as a PNG data URL.
Rectangle {
    id: root
    signal signed(string png)
    signal cleared()
    signal started()  // the pen touched the pad
    property bool hasInk: false
    property var strokes: []  // [[Qt.point, …], …]
    readonly property real lineWidth: Theme.kiosk ? 4 : 3

    implicitHeight: Theme.kiosk ? 240 : 160
    radius: Theme.radius
    color: "white"
    border.color: Theme.border

    Text {
        anchors.centerIn: parent
        visible: !root.hasInk
        text: qsTr("请在此处签名")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
        color: Theme.disabled
    }
    // The ink on screen: one polyline per stroke (Qt Quick Shapes). The PNG the form keeps is drawn from the same
    // points by SignatureInk (Python's QPainter) when a stroke ends.
    SignatureInk { id: inkImage }
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: "#1c2430"
            strokeWidth: root.lineWidth
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathMultiline { id: ink }
        }
    }
    function redraw() {
        // A JS array changed in place notifies nobody: hand the polylines over again.
        ink.paths = root.strokes
    }
    // A MouseArea (a finger arrives as its synthesised mouse) that keeps what it pressed: the form around the pad
    // is a Flickable, and a stroke must draw, not scroll the form away under the pen (a PointHandler only looks
    // on, and the form took the stroke over after a few pixels). Declared before 清除, so a press on that button
    // is the button's, not ink.
    MouseArea {
        id: pen
        anchors.fill: parent
        preventStealing: true
        onPressed: (mouse) => {
            root.started()
            root.strokes.push([Qt.point(mouse.x, mouse.y)])
            root.hasInk = true
            root.redraw()
        }
        onPositionChanged: (mouse) => {
            const strokes = root.strokes
            strokes[strokes.length - 1].push(Qt.point(mouse.x, mouse.y))
            root.redraw()
        }
        onReleased: root.signed(inkImage.dataUrl(root.strokes, root.width, root.height, root.lineWidth))
    }
    AppButton {
        id: clearButton
        objectName: "clearSignature"
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 4
        kind: "text"
        iconName: "x"
        text: qsTr("清除")
        onClicked: {
            root.strokes = []
            root.redraw()
            root.hasInk = false
            root.cleared()
        }
    }
}
