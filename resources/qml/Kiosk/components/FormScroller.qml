pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// A vertically scrolling form that keeps the focused field — and, when there is room, the form's primary
// button (`keepVisible`) — in view. With the virtual keyboard up the page is short: the next field or the
// 提交 button must never sit hidden under the keyboard.
Flickable {
    id: root
    property Item keepVisible: null

    contentWidth: width
    boundsBehavior: Flickable.StopAtBounds
    clip: true

    function isInside(item: Item): bool {
        for (let it = item; it !== null; it = it.parent) {
            if (it === root.contentItem)
                return true
        }
        return false
    }

    function reveal() {
        const focused = root.Window.activeFocusItem
        if (focused === null || !isInside(focused))
            return
        // Room above the field for its label: a field without its label is a box nobody can name.
        const top = focused.mapToItem(root.contentItem, 0, 0).y - Theme.spacing - Math.round(Theme.fontBody * 1.6)
        let bottom = focused.mapToItem(root.contentItem, 0, focused.height).y + Theme.spacing
        if (root.keepVisible !== null && root.keepVisible.visible) {
            const buttonBottom = root.keepVisible.mapToItem(root.contentItem, 0, root.keepVisible.height).y
                                 + Theme.spacing
            if (buttonBottom - top <= root.height)
                bottom = Math.max(bottom, buttonBottom)
        }
        let wanted = root.contentY
        if (bottom - wanted > root.height)
            wanted = bottom - root.height
        if (top < wanted)
            wanted = top
        root.contentY = Math.max(0, Math.min(wanted, root.contentHeight - root.height))
    }

    onHeightChanged: Qt.callLater(root.reveal)
    Connections {
        target: root.Window.window
        function onActiveFocusItemChanged() { Qt.callLater(root.reveal) }
    }
}
