pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// A news article: title, 发布时间, author and category, and the body (sanitized on the server) as blocks of
// rich text and images (ArticleBlock). Images are the server's copies, fetched and decoded off the GUI thread,
// fitted to the page; one that cannot be had gives way to its alt text. Opening it marks it read for a
// signed-in reader.
Item {
    id: root
    objectName: "articlePage"
    property int articleId: 0
    signal back()

    readonly property int textWidth: Math.min(width - 2 * Theme.margin, Theme.kiosk ? 1200 : 900)
    readonly property var categoryNames: ({
        "notice": qsTr("通知公告"), "school_news": qsTr("学校新闻"), "research": qsTr("科研动态"),
        "student_affairs": qsTr("学工动态"), "portal": qsTr("门户通知"), "department": qsTr("院系动态"),
        "lecture": qsTr("学术讲座"), "teaching": qsTr("教学科研")
    })

    Component.onCompleted: Messages.openArticle(root.articleId, 0)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        PageHeader {
            Layout.fillWidth: true
            title: root.categoryNames[Messages.articleCategory] || qsTr("消息中心")
            canGoBack: true
            onBack: root.back()
        }
        Flickable {
            id: flick
            objectName: "articleScroller"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            contentHeight: paper.height
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            Rectangle {
                id: paper
                x: Math.max(0, (flick.width - width) / 2)
                width: Math.min(flick.width, root.textWidth)
                height: column.implicitHeight + 2 * Theme.spacingLarge
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border
                ColumnLayout {
                    id: column
                    x: Theme.spacingLarge
                    y: Theme.spacingLarge
                    width: paper.width - 2 * Theme.spacingLarge
                    spacing: Theme.spacing
                    Text {
                        objectName: "articleTitle"
                        Layout.fillWidth: true
                        text: Messages.articleState === "missing" ? qsTr("这条消息已不存在") : Messages.articleTitle
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignHCenter
                    }
                    Text {
                        objectName: "articleMeta"
                        Layout.fillWidth: true
                        visible: Messages.articleState === "ready"
                        text: qsTr("发布时间：%1").arg(Messages.articlePublished)
                              + (Messages.articleAuthor.length > 0 ? "　" + qsTr("发布者：%1").arg(Messages.articleAuthor) : "")
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        color: Theme.textSecondary
                        wrapMode: Text.Wrap
                        horizontalAlignment: Text.AlignHCenter
                    }
                    Rectangle { Layout.fillWidth: true; implicitHeight: 1; color: Theme.border }
                    Text {
                        objectName: "articleLoading"
                        Layout.fillWidth: true
                        visible: Messages.articleState === "loading"
                        text: qsTr("正在打开…")
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        color: Theme.textSecondary
                    }
                    // The body: rich text between images, each image on its own (Messages.articleBlocks).
                    Repeater {
                        objectName: "articleBody"
                        model: Messages.articleBlocks
                        delegate: ArticleBlock {
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }
    }
}
