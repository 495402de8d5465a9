"""Desk mode: new 办事通知 (a task, a return, an urge, a completion) also appear as system tray messages, one a
batch, so a member of staff working in another window sees them; so does an action of theirs the server refused
once it synced (someone else handled the task first), and 日程中心's reminders. A click on the icon or on a
message brings the window back (and opens the application the message named); the icon's menu has 打开, 待办 n
and 退出. Kiosks have no tray: their users walk away."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, Slot

if TYPE_CHECKING:
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QMenu, QSystemTrayIcon

    from kiosk.views.calendar_reminders import CalendarReminders
    from kiosk.views.inbox import Inbox

log = logging.getLogger(__name__)


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
        self.icon.setToolTip("一站式办事大厅")
        self.menu = QMenu()  # a QMenu takes no QObject parent: it is released with the tray (below)
        self.menu.addAction("打开", self.restore).setObjectName("trayOpen")
        self._tasks = self.menu.addAction("待办", lambda: self._open("openTasks", "todo"))
        self._tasks.setObjectName("trayTasks")
        self.menu.addSeparator()
        self.menu.addAction("退出", QApplication.quit).setObjectName("trayQuit")
        self.icon.setContextMenu(self.menu)
        self.destroyed.connect(self.menu.deleteLater)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._count_tasks()

    @Slot()
    def _count_tasks(self) -> None:
        if self.menu is not None:
            self._tasks.setText(f"待办 {self._inbox.todoCount}")

    @Slot(str, str, str)
    def show(self, title: str, body: str, application_id: str = "") -> None:
        self._target = ("openApplication", application_id) if application_id else ("openTasks", "todo")
        self._show(title, body, warning=False)

    @Slot(str, str)
    def show_refusal(self, process_name: str, reason: str) -> None:
        self._target = None
        self._show(f"未能办理：{process_name}" if process_name else "未能办理", reason, warning=True)

    @Slot(str, str)
    def show_reminder(self, title: str, when: str) -> None:
        self._target = None
        self._show(f"日程提醒：{title}", when, warning=False)

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
