pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// (Hall.categories, .departments and .letters are QVariantLists, which pyside6-metaobjectdump cannot declare:
// the lines that read them tell qmllint so; and Hall.recommended/.popular are constant, which qmllint misses
// through CardFlow's alias.)
// 办事大厅, as the manual's hall home: search, 推荐服务, 热门服务 and the categories; 服务中心 (all processes A–Z by
// the pinyin initial of their first character); by department. Only the processes of the user's audience.
Item {
    id: root
    objectName: "hallPage"
    signal open(string code)

    readonly property bool landscape: width > height
    readonly property int cardWidth: Theme.kiosk ? 420 : 300
    readonly property int cardHeight: Theme.kiosk ? 156 : 100
    // 推荐服务 and 热门服务 show whole rows only, as many as leave 服务分类 in view: one each in landscape, two in
    // portrait (Hall tops the lists up to fill them).
    readonly property int homeRows: landscape ? 1 : 2
    // At 1920×1080 the home's rows are lower (name and department fit in 120 px), so 服务分类 is not cut off.
    readonly property int homeCardHeight: Theme.kiosk && landscape ? 120 : cardHeight

    // With the keyboard up the page is ≈ 340 px high: the tabs step aside and the margins shrink, so the first
    // results stay in view above the keyboard (they were under it: "1 项" and no card).
    readonly property bool typing: Qt.inputMethod.visible // qmllint disable missing-property

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: root.typing ? Theme.spacing : Theme.margin
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingLarge
            PageHeader {
                Layout.fillWidth: true
                title: qsTr("办事大厅")
                // Not beside a search's own count (共 31 项服务 next to 1 项 read as a contradiction).
                subtitle: Hall.count > 0 && Hall.view !== "search"
                          ? qsTr("共 %1 项服务").arg(Hall.count) + (Catalog.source === "cache" ? qsTr("（离线副本）") : "")
                          : ""
                canGoBack: Hall.view === "category" || Hall.view === "department"
                onBack: Hall.show(Hall.view === "department" ? "departments" : "home", "")
            }
            // Search: Chinese, full pinyin or initials (zzy → 转专业审批申请); results follow each keystroke and the
            // Pinyin keyboard's composition too.
            AppTextField {
                id: search
                objectName: "hallSearch"
                Layout.preferredWidth: root.landscape ? root.width * 0.42 : root.width * 0.5
                iconName: "search"
                placeholderText: qsTr("搜索服务：名称、拼音或首字母")
                maximumLength: 40
                onTextEdited: Hall.search(search.text + search.field.preeditText)
                field.onPreeditTextChanged: Hall.search(search.text + search.field.preeditText)
                // ↵ as on a phone: typing is done, the keyboard goes and the results get the page.
                onAccepted: {
                    root.forceActiveFocus()
                    Qt.inputMethod.hide() // qmllint disable missing-property
                }
                Connections {
                    target: Hall
                    function onChanged() { if (Hall.query === "" && search.text !== "") search.text = "" }
                }
            }
        }

        // The hall's own tabs.
        RowLayout {
            visible: !root.typing
            Layout.fillWidth: true
            spacing: Theme.spacing
            Repeater {
                model: [
                    { key: "home", label: qsTr("服务首页") },
                    { key: "az", label: qsTr("服务中心 A–Z") },
                    { key: "departments", label: qsTr("按部门") }
                ]
                delegate: ChoiceChip {
                    required property var modelData
                    objectName: "hallTab_" + modelData.key
                    text: modelData.label
                    checked: Hall.view === modelData.key
                             || (modelData.key === "home" && Hall.view === "category")
                             || (modelData.key === "departments" && Hall.view === "department")
                    onToggled: Hall.show(modelData.key, "")
                }
            }
            Item { Layout.fillWidth: true }
        }

        Loader {
            Layout.fillWidth: true
            Layout.fillHeight: true
            sourceComponent: Hall.count === 0 ? emptyView
                             : Hall.view === "home" ? homeView
                             : Hall.view === "az" ? azView
                             : Hall.view === "departments" ? departmentsView
                             : listView
        }
    }

    // -- views ------------------------------------------------------------------------------------------------
    Component {
        id: homeView
        Flickable {
            objectName: "hallHome"
            contentHeight: homeColumn.implicitHeight + Theme.spacingLarge
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            ColumnLayout {
                id: homeColumn
                width: parent.width
                spacing: Theme.spacingLarge
                // Desk mode: the forms this user saved with 存草稿, to carry on with (a kiosk keeps none).
                SectionTitle { text: qsTr("我的草稿"); visible: draftsFlow.count > 0 }
                CardFlow { id: draftsFlow; objectName: "draftList"; visible: count > 0; model: Hall.drafts } // qmllint disable stale-property-read
                SectionTitle { text: qsTr("推荐服务"); visible: recommendedFlow.count > 0 }
                CardFlow { id: recommendedFlow; objectName: "recommendedList"; rows: root.homeRows; model: Hall.recommended } // qmllint disable stale-property-read
                SectionTitle { text: qsTr("热门服务"); visible: popularFlow.count > 0 }
                CardFlow { id: popularFlow; objectName: "popularList"; rows: root.homeRows; model: Hall.popular; ranked: true } // qmllint disable stale-property-read
                SectionTitle { text: qsTr("服务分类") }
                Flow {
                    objectName: "categoryGrid"
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Repeater {
                        model: Hall.categories // qmllint disable unresolved-type
                        delegate: Rectangle {
                            id: tile
                            required property var modelData
                            objectName: "category_" + modelData.name
                            width: root.landscape ? (parent.width - 5 * Theme.spacing) / 6 : (parent.width - 2 * Theme.spacing) / 3
                            height: Theme.kiosk ? (root.landscape ? 112 : 150) : 96
                            radius: Theme.radius
                            color: tileTap.pressed ? Theme.primaryLight : Theme.card
                            border.color: Theme.border
                            Column {
                                anchors.centerIn: parent
                                spacing: root.landscape ? 2 : 6
                                AppIcon { anchors.horizontalCenter: parent.horizontalCenter; name: tile.modelData.icon; color: Theme.primary }
                                Text {
                                    anchors.horizontalCenter: parent.horizontalCenter
                                    text: tile.modelData.title  // English mode: the category's English
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontBody
                                    font.bold: true
                                    color: Theme.text
                                }
                                Text {
                                    anchors.horizontalCenter: parent.horizontalCenter
                                    text: qsTr("%1 项").arg(tile.modelData.count)
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    color: Theme.textSecondary
                                }
                            }
                            TapHandler { id: tileTap; gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: Hall.show("category", tile.modelData.name) }
                        }
                    }
                }
            }
        }
    }

    Component {
        id: azView
        RowLayout {
            spacing: Theme.spacing
            // One block per letter: its title, then its processes as a grid of cards, as on 服务首页.
            ListView {
                id: azList
                objectName: "azList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: Hall.azLetters
                spacing: Theme.spacing
                boundsBehavior: Flickable.StopAtBounds
                delegate: Column {
                    id: letterBlock
                    required property string letter
                    width: ListView.view ? ListView.view.width : 0
                    spacing: Theme.spacing / 2
                    Text {
                        objectName: "azSection_" + letterBlock.letter
                        text: letterBlock.letter
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                        color: Theme.primary
                    }
                    Flow {
                        id: letterGrid
                        objectName: "azGrid_" + letterBlock.letter
                        width: parent.width
                        readonly property int columns: Math.max(1, Math.floor(width / root.cardWidth))
                        Repeater {
                            model: Hall.azGroup(letterBlock.letter)
                            delegate: ProcessCard { width: Math.floor(letterGrid.width / letterGrid.columns); height: root.cardHeight }
                        }
                    }
                }
                ScrollBar.vertical: ScrollBar {}
            }
            AzIndex {
                Layout.alignment: Qt.AlignTop
                letters: Hall.letters // qmllint disable unresolved-type
                availableHeight: azList.height
                onJump: (letter) => azList.positionViewAtIndex(Hall.letters.indexOf(letter), ListView.Beginning) // qmllint disable unresolved-type
            }
        }
    }

    Component {
        id: departmentsView
        GridView {
            objectName: "departmentGrid"
            clip: true
            model: Hall.departments // qmllint disable unresolved-type
            readonly property int columns: Math.max(1, Math.floor(width / (Theme.kiosk ? 360 : 260)))
            cellWidth: Math.floor(width / columns)
            cellHeight: Theme.kiosk ? 110 : 72
            boundsBehavior: Flickable.StopAtBounds
            delegate: Item {
                id: deptCell
                required property var modelData
                width: GridView.view.cellWidth
                height: GridView.view.cellHeight
                Rectangle {
                    objectName: "department_" + deptCell.modelData.name
                    anchors.fill: parent
                    anchors.margins: Theme.spacing / 2
                    radius: Theme.radius
                    color: deptTap.pressed ? Theme.primaryLight : Theme.card
                    border.color: Theme.border
                    Column {
                        anchors.verticalCenter: parent.verticalCenter
                        x: Theme.spacing
                        width: parent.width - 2 * Theme.spacing
                        Text {
                            width: parent.width
                            text: deptCell.modelData.name
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Text {
                            text: qsTr("%1 项服务").arg(deptCell.modelData.count)
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            color: Theme.textSecondary
                        }
                    }
                    TapHandler { id: deptTap; gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: Hall.show("department", deptCell.modelData.name) }
                }
            }
        }
    }

    Component {
        id: listView
        ColumnLayout {
            spacing: Theme.spacing
            Text {
                objectName: "resultTitle"
                text: Hall.view === "search" ? qsTr("“%1”的搜索结果：%2 项").arg(Hall.query).arg(grid.count)
                                             : qsTr("%1 · %2 项").arg(Hall.filter).arg(grid.count)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                color: Theme.text
            }
            GridView {
                id: grid
                objectName: "processGrid"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: Hall.results
                readonly property int columns: Math.max(1, Math.floor(width / root.cardWidth))
                cellWidth: Math.floor(width / columns)
                cellHeight: root.cardHeight
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { policy: Theme.kiosk ? ScrollBar.AsNeeded : ScrollBar.AlwaysOn }
                delegate: ProcessCard { width: grid.cellWidth; height: grid.cellHeight }
            }
            EmptyState {
                objectName: "noResults"
                visible: grid.count === 0
                Layout.fillWidth: true
                Layout.fillHeight: true
                iconName: "search"
                title: qsTr("没有找到相关服务")
                detail: qsTr("换个说法试试，例如输入拼音首字母“xx”查找“休学”，或到“服务中心 A–Z”中浏览全部服务。")
            }
        }
    }

    Component {
        id: emptyView
        EmptyState {
            objectName: "hallEmpty"
            iconName: AppState.connection === "offline" ? "wifi-off" : "loader-2"
            title: AppState.connection === "offline" ? qsTr("暂时无法获取办事目录") : qsTr("正在获取办事目录…")
            detail: AppState.connection === "offline"
                    ? qsTr("网络未连接：%1。恢复后会自动重试，也可点右上角的状态重试。").arg(AppState.connectionDetail)
                    : ""
        }
    }

    // -- pieces --------------------------------------------------------------------------------------------------
    component SectionTitle: Text {
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.primary
    }
    component CardFlow: Flow {
        id: cardFlow
        property alias model: cards.model
        property bool ranked: false
        property int rows: 0  // 0: all; else at most this many rows, and only full ones
        readonly property int count: cards.count
        readonly property int columns: Math.max(1, Math.floor(width / root.cardWidth))
        readonly property int shown: rows === 0 || count < columns ? count
                                     : Math.min(rows, Math.floor(count / columns)) * columns
        Layout.fillWidth: true
        spacing: 0
        Repeater {
            id: cards
            delegate: ProcessCard {
                visible: index < cardFlow.shown
                width: Math.floor(cardFlow.width / cardFlow.columns)
                height: root.homeCardHeight
                // The place among what this user sees; the cards that only fill the row carry none.
                rank: cardFlow.ranked && popularRank > 0 ? index + 1 : 0
            }
        }
    }
    component ProcessCard: Item {
        id: card
        required property string name
        required property string nameHtml
        required property string departmentName
        required property string audience
        required property string code
        required property bool favorite
        required property string syncState
        required property string syncError
        required property int index
        required property int popularRank
        property int rank: 0
        ProcessDelegate {
            anchors.fill: parent
            anchors.margins: Theme.spacing / 2
            name: card.name
            nameHtml: card.nameHtml
            rank: card.rank
            departmentName: card.departmentName
            audience: card.audience
            code: card.code
            favorite: card.favorite
            syncState: card.syncState
            syncError: card.syncError
            onActivated: (code) => root.open(code)
        }
    }
}
