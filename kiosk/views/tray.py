"""Desk mode: new 办事通知 (a task, a return, an urge, a completion) also appear as system tray messages, so a
member of staff working in another window sees them; so does an action of theirs the server refused once it
synced (someone else handled the task first), and 日程中心's reminders. Kiosks have no tray: their users walk away."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from kiosk.views.calendar_reminders import CalendarReminders
    from kiosk.views.inbox import Inbox

log = logging.getLogger(__name__)


class DeskTray(QObject):
    """Shows `Inbox.notified` in the system tray, when the desktop has one (a QApplication is required)."""

    def __init__(self, inbox: Inbox, parent: QObject | None = None, reminders: CalendarReminders | None = None) -> None:
        super().__init__(parent)
        self.shown: list[tuple[str, str]] = []  # what was shown, newest last (for the logs and the tests)
        self._icon: QSystemTrayIcon | None = None
        from PySide6.QtWidgets import QApplication, QSystemTrayIcon

        if isinstance(QApplication.instance(), QApplication) and QSystemTrayIcon.isSystemTrayAvailable():
            from PySide6.QtGui import QIcon

            from kiosk.resources import icons_dir

            self._icon = QSystemTrayIcon(QIcon(str(icons_dir() / "bell.svg")), self)
            self._icon.setToolTip("一站式办事大厅")
            self._icon.show()
        else:
            log.info("no system tray here: 办事通知 stay in the app's bell only")
        inbox.notified.connect(self.show)
        inbox.refused.connect(self.show_refusal)
        if reminders is not None:
            reminders.reminded.connect(self.show_reminder)

    @Slot(str, str)
    def show(self, title: str, body: str) -> None:
        self._show(title, body, warning=False)

    @Slot(str, str)
    def show_refusal(self, process_name: str, reason: str) -> None:
        self._show(f"未能办理：{process_name}" if process_name else "未能办理", reason, warning=True)

    @Slot(str, str)
    def show_reminder(self, title: str, when: str) -> None:
        self._show(f"日程提醒：{title}", when, warning=False)

    def _show(self, title: str, body: str, warning: bool) -> None:
        self.shown.append((title, body))
        if self._icon is not None:
            from PySide6.QtWidgets import QSystemTrayIcon

            kind = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
            self._icon.showMessage(title, body, kind, 10_000)
