pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A touch signature pad: draw with a finger (or the mouse), 清除 to start again. When a stroke ends the
// drawing is handed on as a PNG data URL.
Rectangle {
    id: root
    signal signed(string png)
    signal cleared()
    signal started()  // the pen touched the pad
    property bool hasInk: false

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
    Canvas {
        id: canvas
        anchors.fill: parent
        property var strokes: []
        // A stroke ended: hand on the image once it has been painted with that stroke in it (requestPaint only
        // schedules the paint; an image taken at once could miss the stroke's last points, or all of it).
        property bool signPending: false
        onPainted: {
            if (signPending) {
                signPending = false
                root.signed(canvas.toDataURL("image/png"))
            }
        }
        onPaint: {
            const ctx = getContext("2d")
            ctx.clearRect(0, 0, width, height)
            ctx.lineWidth = Theme.kiosk ? 4 : 3
            ctx.lineCap = "round"
            ctx.lineJoin = "round"
            ctx.strokeStyle = "#1c2430"
            for (const stroke of strokes) {
                ctx.beginPath()
                ctx.moveTo(stroke[0].x, stroke[0].y)
                for (let i = 1; i < stroke.length; ++i)
                    ctx.lineTo(stroke[i].x, stroke[i].y)
                ctx.stroke()
            }
        }
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
            canvas.strokes.push([{ x: mouse.x, y: mouse.y }])
            root.hasInk = true
            canvas.requestPaint()
        }
        onPositionChanged: (mouse) => {
            const strokes = canvas.strokes
            strokes[strokes.length - 1].push({ x: mouse.x, y: mouse.y })
            canvas.requestPaint()
        }
        onReleased: {
            canvas.signPending = true
            canvas.requestPaint()
        }
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
            canvas.strokes = []
            canvas.signPending = false
            canvas.requestPaint()
            root.hasInk = false
            root.cleared()
        }
    }
}
