"""Desk mode: new 办事通知 (a task, a return, an urge, a completion) also appear as system tray messages, one a
batch, so a member of staff working in another window sees them; so does an action of theirs the server refused
once it synced (someone else handled the task first), and 日程中心's reminders. A click on the icon or on a
message brings the window back (and opens the application the message named); the icon's menu has 打开, 待办 n
and 退出. Kiosks have no tray: their users walk away."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, Slot

if TYPE_CHECKING:
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QMenu, QSystemTrayIcon

    from kiosk.views.calendar_reminders import CalendarReminders
    from kiosk.views.inbox import Inbox

log = logging.getLogger(__name__)

# The tray's own words, in the interface's language (the messages' titles and bodies come from the server).
WORDS = {
    "zh_CN": {
        "tooltip": "一站式办事大厅",
        "open": "打开",
        "tasks": "待办",
        "quit": "退出",
        "refused": "未能办理",
        "reminder": "日程提醒",
        "colon": "：",
    },
    "en_US": {
        "tooltip": "One-stop service hall",
        "open": "Open",
        "tasks": "To do",
        "quit": "Quit",
        "refused": "Not handled",
        "reminder": "Reminder",
        "colon": ": ",
    },
}


class DeskTray(QObject):
    """Shows `Inbox.notified` in the system tray and brings `window` (Main.qml's) back from it. The icon exists
    whenever there is a QApplication; it is shown only where the desktop has a tray."""

    def __init__(
        self,
        inbox: Inbox,
        parent: QObject | None = None,
        reminders: CalendarReminders | None = None,
        window: QWindow | None = None,
    ) -> None:
        super().__init__(parent)
        self.shown: list[tuple[str, str]] = []  # what was shown, newest last (for the logs and the tests)
        self.icon: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        self._inbox, self._window = inbox, window
        self._language: Callable[[], str] = lambda: "zh_CN"
        # What a click on the last message opens: (Main.qml's function, its argument); None: just the window.
        self._target: tuple[str, str] | None = None
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon

        if isinstance(QApplication.instance(), QApplication):
            self._build_icon()
            if QSystemTrayIcon.isSystemTrayAvailable():
                assert self.icon is not None
                self.icon.show()
            else:
                log.info("no system tray here: 办事通知 stay in the app's bell only")
        inbox.notified.connect(self.show)
        inbox.refused.connect(self.show_refusal)
        inbox.countsChanged.connect(self._count_tasks)
        if reminders is not None:
            reminders.reminded.connect(self.show_reminder)

    def _build_icon(self) -> None:
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

        from kiosk.resources import icons_dir

        self.icon = QSystemTrayIcon(QIcon(str(icons_dir() / "bell.svg")), self)
        self.menu = QMenu()  # a QMenu takes no QObject parent: it is released with the tray (below)
        self._open_action = self.menu.addAction("", self.restore)
        self._open_action.setObjectName("trayOpen")
        self._tasks = self.menu.addAction("", lambda: self._open("openTasks", "todo"))
        self._tasks.setObjectName("trayTasks")
        self.menu.addSeparator()
        self._quit_action = self.menu.addAction("", QApplication.quit)
        self._quit_action.setObjectName("trayQuit")
        self.icon.setContextMenu(self.menu)
        self.destroyed.connect(self.menu.deleteLater)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._label()

    def follow_language(self, language: Callable[[], str], changed: Any) -> None:
        """Say the tray's own words in the interface's language (`language()`), again whenever it `changed`."""
        self._language = language
        changed.connect(self._label)
        self._label()

    def _word(self, key: str) -> str:
        return WORDS.get(self._language(), WORDS["zh_CN"])[key]

    @Slot()
    def _label(self) -> None:
        if self.icon is None:
            return
        self.icon.setToolTip(self._word("tooltip"))
        self._open_action.setText(self._word("open"))
        self._quit_action.setText(self._word("quit"))
        self._count_tasks()

    @Slot()
    def _count_tasks(self) -> None:
        if self.menu is not None:
            self._tasks.setText(f"{self._word('tasks')} {self._inbox.todoCount}")

    @Slot(str, str, str)
    def show(self, title: str, body: str, application_id: str = "") -> None:
        self._target = ("openApplication", application_id) if application_id else ("openTasks", "todo")
        self._show(title, body, warning=False)

    @Slot(str, str)
    def show_refusal(self, process_name: str, reason: str) -> None:
        self._target = None
        refused = self._word("refused")
        self._show(f"{refused}{self._word('colon')}{process_name}" if process_name else refused, reason, warning=True)

    @Slot(str, str)
    def show_reminder(self, title: str, when: str) -> None:
        self._target = None
        self._show(f"{self._word('reminder')}{self._word('colon')}{title}", when, warning=False)

    def _show(self, title: str, body: str, warning: bool) -> None:
        self.shown.append((title, body))
        if self.icon is not None and self.icon.isVisible():
            from PySide6.QtWidgets import QSystemTrayIcon

            kind = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage(title, body, kind, 10_000)

    # -- back to the window ---------------------------------------------------------------------------------------
    @Slot()
    def restore(self) -> None:
        """The window back from the taskbar (as it was: maximised stays maximised), on top, with the focus."""
        window = self._window
        if window is None:
            return
        if window.windowStates() & Qt.WindowState.WindowMinimized:
            window.setWindowStates(window.windowStates() & ~Qt.WindowState.WindowMinimized)
        if not window.isVisible():
            window.show()
        window.raise_()
        window.requestActivate()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        from PySide6.QtWidgets import QSystemTrayIcon

        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.restore()

    def _message_clicked(self) -> None:
        if self._target is None:
            self.restore()
        else:
            self._open(*self._target)

    def _open(self, function: str, argument: str) -> None:
        """Restore the window, then call one of Main.qml's navigation functions with `argument`."""
        self.restore()
        if self._window is not None:
            QMetaObject.invokeMethod(self._window, function, Qt.ConnectionType.DirectConnection, Q_ARG(str, argument))
