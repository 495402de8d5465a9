pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// 首页, the manual's fifteen items: the counters (1)–(4), the news lists (5)–(9), 每周会议 · 个人日程 · 我的课表
// (10)–(12), 办事中心 (13), 资源中心 (14) and 应用中心 (15). Before login a kiosk shows the public parts and asks
// for a login only for the personal ones. Two columns on a landscape screen, one on a portrait kiosk.
Item {
    id: root
    objectName: "homePage"
    signal open(string code)
    signal loginRequested()
    signal openTasks(string box)
    signal openHall()
    signal openMessages(int articleId)
    signal openCalendar()

    readonly property bool wide: width >= height && width >= 1000

    Flickable {
        id: flick
        objectName: "homeScroll"
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * Theme.margin
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        ColumnLayout {
            id: column
            x: Theme.margin
            y: Theme.margin
            width: flick.width - 2 * Theme.margin
            spacing: Theme.spacing

            RowLayout {
                Layout.fillWidth: true
                PageHeader {
                    Layout.fillWidth: true
                    title: qsTr("首页")
                    subtitle: Session.loggedIn ? qsTr("您好，%1").arg(Session.userName)
                                               : qsTr("登录后显示您的待办、邮件、借阅与日程")
                }
                AppButton {
                    objectName: "homeLoginButton"
                    visible: !Session.loggedIn
                    kind: "primary"
                    iconName: "user-circle"
                    text: qsTr("登录")
                    onClicked: root.loginRequested()
                }
            }

            // (1)–(4): figures from their sources, or "—" and why; 待办 is the synced 待办 list's own count.
            GridLayout {
                objectName: "homeCounters"
                Layout.fillWidth: true
                columns: root.width >= 900 ? 4 : 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing
                Repeater {
                    model: [
                        { key: "mail_unread", name: "unreadMail", icon: "mail", label: qsTr("未读邮件") },
                        { key: "loans", name: "booksBorrowed", icon: "books", label: qsTr("在借图书") },
                        { key: "overdue", name: "booksOverdue", icon: "book-2", label: qsTr("逾期图书") },
                        { key: "todo", name: "todo", icon: "file-text", label: qsTr("待办") }
                    ]
                    delegate: CounterCard {
                        id: counter
                        required property var modelData
                        required property int index
                        readonly property bool isTodo: modelData.key === "todo"
                        readonly property var figure: Portal.counters[index] || ({}) // qmllint disable unresolved-type
                        objectName: "counter_" + modelData.name
                        Layout.fillWidth: true
                        label: modelData.label
                        iconName: modelData.icon
                        known: isTodo ? Session.loggedIn : figure.known === true
                        value: isTodo ? (Session.loggedIn ? String(Inbox.todoCount) : "—") : (figure.value || "—")
                        reason: isTodo && !Session.loggedIn ? qsTr("登录后显示")
                                : isTodo ? "" : (figure.reason || "")  // ready, in the interface's language
                        demo: !isTodo && figure.demo === true
                        asOf: isTodo ? "" : (figure.asOf || "")
                        tappable: isTodo && Session.loggedIn
                        hint: isTodo ? qsTr("点击查看待办事宜") : ""
                        onTapped: root.openTasks("todo")
                    }
                }
            }

            GridLayout {
                Layout.fillWidth: true
                columns: root.wide ? 2 : 1
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing

                // (5)–(9)
                HeadlinesCard {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 3
                    Layout.fillHeight: true
                    onMore: root.openMessages(0)
                    onOpenArticle: (id) => root.openMessages(id)
                }

                // (10)–(12): today and this week from the synced calendar (docs/calendar.md).
                HomeCard {
                    objectName: "scheduleCard"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 2
                    Layout.fillHeight: true
                    title: qsTr("日程")
                    iconName: "calendar-event"
                    moreText: qsTr("日程中心")
                    onMore: root.openCalendar()
                    Repeater {
                        model: [
                            { kind: "meeting", label: qsTr("每周会议") },
                            { kind: "personal", label: qsTr("个人日程") },
                            { kind: "course", label: qsTr("我的课表") }
                        ]
                        delegate: ColumnLayout {
                            id: agendaRow
                            required property var modelData
                            required property int index
                            // {kind, week, today: [{time, title, place}]} from the synced calendar
                            readonly property var day: Portal.agenda[index] || ({ week: 0, today: [] }) // qmllint disable unresolved-type
                            objectName: "agenda_" + modelData.kind
                            Layout.fillWidth: true
                            spacing: 2
                            RowLayout {
                                Layout.fillWidth: true
                                Text {
                                    text: agendaRow.modelData.label
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontBody
                                    font.bold: true
                                    color: Theme.text
                                }
                                Text {
                                    objectName: "agendaSummary"
                                    Layout.fillWidth: true
                                    horizontalAlignment: Text.AlignRight
                                    // During the user's first sync an empty week is not known to be empty yet.
                                    text: !Session.loggedIn ? qsTr("登录后显示")
                                          : agendaRow.day.week === 0 && Sync.syncing && Sync.firstSyncProgress >= 0
                                            ? qsTr("正在同步…")
                                          : agendaRow.day.week === 0 ? qsTr("本周暂无安排")
                                          : qsTr("今天 %1 项 · 本周 %2 项").arg(agendaRow.day.today.length).arg(agendaRow.day.week)
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.textSecondary
                                    elide: Text.ElideRight
                                }
                            }
                            Repeater {
                                model: Session.loggedIn ? agendaRow.day.today.slice(0, 2) : []
                                delegate: Text {
                                    id: item
                                    required property var modelData
                                    Layout.fillWidth: true
                                    text: (item.modelData.time === "全天" ? qsTr("全天") : item.modelData.time) + "  "
                                          + item.modelData.title
                                          + (item.modelData.place.length > 0 ? " · " + item.modelData.place : "")
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.text
                                    elide: Text.ElideRight
                                }
                            }
                        }
                    }
                }
            }

            // (13) 办事中心: the processes this user may start, their ★ and the recently used first.
            HomeCard {
                objectName: "serviceCenter"
                Layout.fillWidth: true
                title: qsTr("办事中心")
                iconName: "building-community"
                moreText: qsTr("全部服务")
                onMore: root.openHall()
                GridLayout {
                    id: services
                    Layout.fillWidth: true
                    readonly property int perRow: Math.max(1, Math.floor(width / (Theme.kiosk ? 400 : 280)))
                    columns: perRow
                    columnSpacing: Theme.spacing
                    rowSpacing: Theme.spacing / 2
                    Repeater {
                        // Two rows' worth: the rest is one tap away in 办事大厅.
                        model: Portal.services // qmllint disable stale-property-read
                        delegate: Item {
                            id: service
                            required property int index
                            required property string name
                            required property string departmentName
                            required property string audience
                            required property string code
                            required property bool favorite
                            required property string syncState
                            required property string syncError
                            visible: service.index < 2 * services.perRow
                            Layout.fillWidth: true
                            Layout.preferredHeight: Theme.kiosk ? 140 : 90
                            ProcessDelegate {
                                anchors.fill: parent
                                name: service.name
                                departmentName: service.departmentName
                                audience: service.audience
                                code: service.code
                                favorite: service.favorite
                                syncState: service.syncState
                                syncError: service.syncError
                                onActivated: (code) => root.open(code)
                            }
                        }
                    }
                }
            }

            // (14) 资源中心 and (15) 应用中心: a kiosk shows the address as a QR code for the phone.
            GridLayout {
                Layout.fillWidth: true
                columns: root.wide ? 2 : 1
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing
                Repeater {
                    model: [
                        { kind: "resources", title: qsTr("资源中心"), icon: "books" },
                        { kind: "apps", title: qsTr("应用中心"), icon: "apps" }
                    ]
                    delegate: HomeCard {
                        id: entryCard
                        required property var modelData
                        readonly property var tiles: modelData.kind === "apps" ? Portal.apps : Portal.resources // qmllint disable unresolved-type
                        objectName: "home_" + modelData.kind
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        title: modelData.title
                        iconName: modelData.icon
                        GridLayout {
                            Layout.fillWidth: true
                            columns: Math.max(1, Math.floor(width / (Theme.kiosk ? 300 : 220)))
                            columnSpacing: Theme.spacing / 2
                            rowSpacing: Theme.spacing / 2
                            Repeater {
                                model: entryCard.tiles
                                delegate: EntryTile {
                                    id: tile
                                    required property var modelData
                                    objectName: "entry_" + tile.modelData.code
                                    Layout.fillWidth: true
                                    name: tile.modelData.name
                                    iconName: tile.modelData.icon
                                    badge: tile.modelData.sso ? qsTr("单点登录") : tile.modelData.trial ? qsTr("试用") : ""
                                    onActivated: Portal.openEntry(entryCard.modelData.kind, tile.modelData.code)
                                }
                            }
                        }
                        Text {
                            visible: entryCard.tiles.length === 0
                            Layout.fillWidth: true
                            text: AppState.connection === "offline" ? qsTr("离线，连接服务器后显示") : qsTr("正在获取…")
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            color: Theme.textSecondary
                        }
                    }
                }
            }
        }
    }

    LinkQrDialog { id: linkQr }
    Connections {
        target: Portal
        function onQrShown(name: string, url: string, image: string) { linkQr.present(name, url, image) }
    }
}
