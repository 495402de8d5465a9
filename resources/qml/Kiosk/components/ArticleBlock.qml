pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// One block of an article's body (Messages.articleBlocks): rich text, or an image. An image is the server's
// copy from this terminal's cache, decoded asynchronously (never on the GUI thread), no wider than the page
// and never enlarged; while it comes a quiet line says so, and one that cannot be had — offline and not cached,
// gone from the server, not decodable — shows 〔图片：alt〕 in its place.
Item {
    id: block
    objectName: "articleBlock"
    required property string kind
    required property string html
    required property string source
    required property string alt
    required property int imageWidth
    required property int imageHeight
    required property string imageState

    readonly property bool isImage: kind === "image"
    readonly property bool failed: isImage && (imageState === "failed" || picture.status === Image.Error)
    readonly property bool shown: isImage && picture.status === Image.Ready && !failed

    implicitHeight: isImage ? (shown ? picture.height : note.implicitHeight) : body.implicitHeight

    Text {
        id: body
        objectName: "articleText"
        visible: !block.isImage
        width: block.width
        text: block.isImage ? "" : block.html
        textFormat: Text.RichText
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        lineHeight: 1.3
        color: Theme.text
        wrapMode: Text.Wrap
        // Links lead to the web, which a kiosk does not browse: shown, not followed.
    }

    Image {
        id: picture
        objectName: "articleImage"
        visible: block.shown
        anchors.horizontalCenter: parent.horizontalCenter
        asynchronous: true
        cache: false
        source: block.isImage ? block.source : ""
        // Decoded no larger than the page (memory) and never scaled up; shown at that size.
        sourceSize.width: Math.max(1, block.width)
        width: Math.min(implicitWidth, block.width)
        height: implicitWidth > 0 ? width * implicitHeight / implicitWidth : 0
        fillMode: Image.PreserveAspectFit
        smooth: true
    }

    Text {
        id: note
        objectName: block.failed ? "articleImageAlt" : "articleImageLoading"
        visible: block.isImage && !block.shown
        width: block.width
        text: block.failed
              ? (block.alt.length > 0 ? qsTr("〔图片：%1〕").arg(block.alt) : qsTr("〔图片〕"))
              : qsTr("正在加载图片…")
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        font.italic: block.failed
        // as the body's own placeholders (kiosk/services/news_images.py): the text's colour, on the left
        color: block.failed ? Theme.text : Theme.textSecondary
        wrapMode: Text.Wrap
    }
}
