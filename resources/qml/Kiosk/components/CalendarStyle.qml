pragma Singleton
import QtQuick
import Kiosk

// 日程中心's kinds: a colour, a tint, an icon and a word each, so colour is never the only signal.
QtObject {
    function colour(kind: string): color {
        return kind === "course" ? (Theme.contrast ? "#003c8f" : "#1f6fd1")
             : kind === "meeting" ? (Theme.contrast ? "#1b5e20" : "#2e7d32")
             : (Theme.contrast ? "#4a148c" : "#7b4fbf")
    }
    function tint(kind: string): color {
        return kind === "course" ? "#e3eefb" : kind === "meeting" ? "#e6f4ea" : "#f0e9fa"
    }
    function icon(kind: string): string {
        return kind === "course" ? "school" : kind === "meeting" ? "speakerphone" : "user"
    }
    function word(kind: string): string {
        return kind === "course" ? qsTr("课程") : kind === "meeting" ? qsTr("会议") : qsTr("个人")
    }
    function weekday(index: int): string {
        return [qsTr("周一"), qsTr("周二"), qsTr("周三"), qsTr("周四"), qsTr("周五"), qsTr("周六"),
                qsTr("周日")][index] || ""
    }
}
