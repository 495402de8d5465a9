pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A touch signature pad: draw with a finger (or the mouse), 清除 to start again. When a stroke ends the
// drawing is handed on as a PNG data URL.
Rectangle {
    id: root
    signal signed(string png)
    signal cleared()
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
    PointHandler {
        id: pen
        onPointChanged: {
            if (!active)
                return
            const strokes = canvas.strokes
            strokes[strokes.length - 1].push({ x: point.position.x, y: point.position.y })
            canvas.requestPaint()
        }
        onActiveChanged: {
            if (active) {
                canvas.strokes.push([{ x: point.position.x, y: point.position.y }])
                root.hasInk = true
            } else if (root.hasInk) {
                root.signed(canvas.toDataURL("image/png"))
            }
        }
    }
    AppButton {
        objectName: "clearSignature"
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 4
        kind: "text"
        iconName: "x"
        text: qsTr("清除")
        onClicked: {
            canvas.strokes = []
            canvas.requestPaint()
            root.hasInk = false
            root.cleared()
        }
    }
}
