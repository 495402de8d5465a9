pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk
import Kiosk.Backend

// The window: top bar, the page stack, the navigation, and on a kiosk the virtual keyboard.
ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: AppState.isKiosk ? 1920 : 1366
    height: AppState.isKiosk ? 1080 : 768
    minimumWidth: AppState.isKiosk ? 720 : 1024
    minimumHeight: AppState.isKiosk ? 720 : 640
    title: qsTr("融合门户 · 一站式办事大厅") + " — " + AppState.schoolName
    color: Theme.page
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    readonly property bool keyboardVisible: keyboardLoader.status === Loader.Ready
                                            && (keyboardLoader.item as KeyboardPanel).active
    property string currentSection: "login"

    // An unfinished Pinyin composition is dropped, not committed, before the page changes: the field would commit
    // it as a word on losing the focus to the next page (知道下降 in the search box after 返回).
    function dropComposition() {
        Qt.inputMethod.reset() // qmllint disable missing-property
    }
    function back() {
        window.dropComposition()
        stack.pop()
    }

    function navigate(section: string) {
        window.dropComposition()
        const pages = {
            "login": loginPage, "home": homePage, "hall": hallPage,
            "calendar": calendarPage, "messages": messagesPage, "profile": profilePage,
            "changePassword": changePasswordPage
        }
        // Until the initial password is changed, that page is the only place to be (the manual's rule).
        if (Session.loggedIn && Session.mustChangePassword && section !== "changePassword")
            section = "changePassword"
        if (!(section in pages))
            return
        if (section === window.currentSection) {
            if (stack.depth > 1)
                stack.popToIndex(0)  // the section's tab again: back to its first page
            return
        }
        // To and from the login page at once: no frame of the login form (and its password) over 首页, and no
        // frame of the last user's page over the fresh login form.
        const instant = section === "login" || window.currentSection === "login" || window.currentSection === ""
        window.currentSection = section
        stack.replace(null, pages[section], {}, instant ? StackView.Immediate : StackView.Transition)
    }

    // 我的办件 (待办 / 已办 / 我的申请) and an application's progress, pushed over the current section.
    function openTasks(box: string) {
        window.dropComposition()
        stack.push(tasksPage, { initialBox: box })
    }
    function openApplication(applicationId: string) {
        window.dropComposition()
        stack.push(applicationPage, { applicationId: applicationId })
    }

    // 办事指南 then the form, pushed over the current section; 返回 pops, 完成 goes back to where it started.
    function openArticle(articleId: int) {
        stack.push(articlePage, { articleId: articleId })
    }
    // As the manual: a tap on a process's name opens its form (the guide's essentials at its top, the whole
    // guide one tap away); with nobody logged in, its guide (登录后办理).
    function openProcess(code: string) {
        window.dropComposition()
        stack.push(Session.loggedIn ? formPage : guidePage, { processCode: code })
    }

    header: TopBar { onNotificationsRequested: window.navigate("messages") }

    Connections {
        target: Session
        function onSignedIn() { window.navigate(Session.mustChangePassword ? "changePassword" : "home") }
        // Back to a fresh login page: the old pages (and whatever was typed into them) are destroyed.
        function onSignedOut(reason: string) {
            toast.clear()  // the last user's 已保存，待同步 does not float over the next one's login
            window.currentSection = ""
            window.navigate("login")
        }
    }

    IdleDialog {}

    // 日程提醒 over any page, at the top, until 知道了 (docs/calendar.md#reminders).
    ReminderBanner {
        parent: window.contentItem
        anchors { top: parent.top; right: parent.right; margins: Theme.spacing }
        width: Math.min(parent.width - 2 * Theme.spacing, Theme.kiosk ? 760 : 480)
    }

    // 已保存，待同步: said only once the write is durably in the outbox (Sync.saved comes after the commit).
    Toast {
        id: toast
        parent: window.contentItem
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.spacingLarge + (window.keyboardVisible ? (keyboardLoader.item as KeyboardPanel).height : 0)
                              + (window.undoBarBelow ? Theme.touchMin + Theme.spacing + Theme.margin : 0)
    }
    // 待办's undo bar is at the bottom of the page: a toast goes above it, not over its 撤销.
    readonly property bool undoBarBelow: Inbox.held.count > 0 && stack.currentItem !== null // qmllint disable stale-property-read
                                         && stack.currentItem.objectName === "tasksPage"
    Connections {
        target: Sync
        function onSaved(outcome: string) {
            // A form page says where its application stands itself (待同步, then 已同步): no second voice.
            if (outcome === "saved" && stack.currentItem !== null && stack.currentItem.objectName === "formPage")
                return
            toast.show(outcome === "saved" ? qsTr("已保存，待同步") : qsTr("保存失败，请重试"))
        }
    }
    Connections {
        target: Inbox
        // An action refused by the server (the task was handled by someone else first …): said even when the
        // item has left the boxes.
        function onRefused(name: string, reason: string) {
            toast.show(qsTr("未能办理%1：%2").arg(name.length > 0 ? "“" + name + "”" : "").arg(reason))
        }
    }
    Connections {
        target: Portal
        // Desk: an 应用中心 / 资源中心 entry went to the browser; said when single sign-on could not be had.
        function onOpened(name: string, note: string) {
            toast.show(note.length > 0 ? qsTr("已在浏览器中打开“%1”，请在其页面登录（%2）").arg(name).arg(note)
                                       : qsTr("已在浏览器中打开“%1”").arg(name))
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.bottomMargin: window.keyboardVisible ? (keyboardLoader.item as KeyboardPanel).height : 0
        spacing: 0

        NavBar {
            visible: !AppState.isKiosk
            vertical: true
            current: window.currentSection
            Layout.fillHeight: true
            onNavigate: (page) => window.navigate(page)
        }
        StackView {
            id: stack
            objectName: "pageStack"
            Layout.fillWidth: true
            Layout.fillHeight: true
            initialItem: loginPage
            // Short, purposeful motion: a quick cross-fade. A StackView takes no input while a transition runs,
            // so every one is short: the Basic style's own push and pop slide for 400 ms, and a tap on 开始办理
            // right after the guide appeared went nowhere.
            replaceEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.animationMs } }
            replaceExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.animationMs } }
            pushEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.animationMs } }
            pushExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.animationMs } }
            popEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: Theme.animationMs } }
            popExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: Theme.animationMs } }
        }
    }

    footer: NavBar {
        visible: AppState.isKiosk && !window.keyboardVisible
        current: window.currentSection
        onNavigate: (page) => window.navigate(page)
    }

    Loader {
        id: keyboardLoader
        active: AppState.isKiosk
        // Built off the first frame: the login screen shows first, the keyboard is ready before a finger lands.
        asynchronous: true
        z: 100
        width: window.contentItem.width
        anchors.bottom: parent.bottom
        sourceComponent: KeyboardPanel {
            uiLanguage: Display.language
            visible: active
        }
    }

    Component { id: loginPage; LoginPage { onBrowse: window.navigate("home") } }
    Component {
        id: homePage
        HomePage {
            onLoginRequested: window.navigate(Session.loggedIn ? "profile" : "login")
            onOpen: (code) => window.openProcess(code)
            onOpenTasks: (box) => window.openTasks(box)
            onOpenHall: window.navigate("hall")
            onOpenMessages: (articleId) => articleId > 0 ? window.openArticle(articleId) : window.navigate("messages")
            onOpenCalendar: window.navigate("calendar")
        }
    }
    Component { id: hallPage; HallPage { onOpen: (code) => window.openProcess(code) } }
    Component {
        id: guidePage
        GuidePage {
            id: guide
            onBack: window.back()
            onStart: (code) => guide.fromForm ? window.back() : stack.push(formPage, { processCode: code })
            onLoginRequested: window.navigate("login")
        }
    }
    Component {
        id: formPage
        FormPage {
            onBack: window.back()
            onDone: resubmitting ? stack.pop() : stack.popToIndex(0)
            onGuideRequested: (code) => stack.push(guidePage, { processCode: code, fromForm: true })
        }
    }
    Component {
        id: tasksPage
        TasksPage {
            onBack: window.back()
            onOpen: (applicationId) => window.openApplication(applicationId)
        }
    }
    Component {
        id: applicationPage
        ApplicationPage {
            onBack: window.back()
            onOpenNext: (applicationId) => stack.replace(stack.currentItem, applicationPage, { applicationId: applicationId })
            // 修改后重新提交: the form over the progress page; 完成 comes back to it.
            onResubmit: (applicationId, processCode) => stack.push(formPage, { processCode: processCode,
                                                                               resubmitOf: applicationId })
        }
    }
    Component { id: calendarPage; CalendarPage { onLoginRequested: window.navigate("login") } }
    Component {
        id: messagesPage
        MessagesPage {
            onOpenApplication: (applicationId) => window.openApplication(applicationId)
            onOpenArticle: (articleId) => window.openArticle(articleId)
        }
    }
    Component { id: articlePage; ArticlePage { onBack: stack.pop() } }
    Component {
        id: profilePage
        ProfilePage {
            onLoginRequested: window.navigate("login")
            onChangePasswordRequested: window.navigate("changePassword")
            onOpenTasks: (box) => window.openTasks(box)
            onOpenHall: window.navigate("hall")
        }
    }
    Component {
        id: changePasswordPage
        ChangePasswordPage {
            onDone: window.navigate("home")
            onCancelled: window.navigate("profile")
        }
    }
}
