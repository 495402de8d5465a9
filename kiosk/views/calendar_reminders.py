"""CalendarReminders (QML singleton): 日程中心's reminders shown as a banner (and, on a desk, in the tray through
`reminded`). One single-shot QTimer set to the next reminder, not a poll: it is set again after every look,
after a sync (a pulled change may add, move or drop a reminder) and at sign-in, when those that fell due while
the app was closed are shown once. The rules live in kiosk/services/calendar_reminders.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import calendar_reminders as cr
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

# The longest the timer sleeps before looking again: a suspended PC or a changed clock is caught within this.
MAX_SLEEP_MS = 15 * 60 * 1000


@QmlElement
@QmlSingleton
class CalendarReminders(QObject):
    changed = Signal()
    # title, "16:30 开始 · 信息楼402" in the interface's language (the desk's tray shows it)
    reminded = Signal(str, str)

    def __init__(
        self,
        state: AppState,
        auth: AuthService,
        session: Session,
        sync: Sync,
        workers: WorkerPool,
        clock: Callable[[], datetime] = cr.campus_now,
    ) -> None:
        super().__init__(state)
        self._state, self._auth, self._workers, self._clock = state, auth, workers, clock
        self._shown: list[cr.Reminder] = []  # said in the interface's language when read
        self._language: Callable[[], str] = lambda: "zh_CN"
        self._looking = self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.look)
        session.signedIn.connect(self.look)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self.look)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("CalendarReminders", engine)

    def follow_language(self, language: Callable[[], str], changed: Any) -> None:
        """Say the reminders in the interface's language (`language()`), again whenever it `changed`."""
        self._language = language
        changed.connect(self.changed)

    def set_clock(self, clock: Callable[[], datetime]) -> None:
        """Another clock (a test's), then a look with it."""
        self._clock = clock
        self.look()

    def _forget(self, _reason: str = "") -> None:
        self._timer.stop()
        self._shown = []
        self.changed.emit()

    @Slot()
    def look(self) -> None:
        """Show what is due and set the timer to the next one. One look at a time: what it finds is marked shown
        in the store, so it must reach the screen (a look that would overlap runs after it)."""
        store, user = self._state.store, self._auth.user_id
        if store is None or user is None:
            return
        if self._looking:
            self._again = True
            return
        self._looking = True
        now = self._clock()

        def done(found: cr.Plan) -> None:
            self._looking = False
            if self._auth.user_id == user:
                self._present(found)
            if self._again:
                self._again = False
                self.look()

        def failed(_exc: Exception) -> None:
            self._looking = False
            self._timer.start(MAX_SLEEP_MS)

        self._workers.run(lambda: cr.look(store, user, now), done, failed)

    def _present(self, found: cr.Plan) -> None:
        for reminder in found.due:
            self._shown.append(reminder)
            self.reminded.emit(reminder.title, reminder.texts(self._language())[1])
        if found.due:
            self.changed.emit()
        delay = MAX_SLEEP_MS
        if found.next_at is not None:
            delay = min(delay, max(0, int((found.next_at - self._clock()).total_seconds() * 1000)))
        self._timer.start(delay)

    @Slot(int)
    def dismiss(self, index: int) -> None:
        """知道了 on one shown reminder."""
        if 0 <= index < len(self._shown):
            del self._shown[index]
            self.changed.emit()

    def _get_shown(self) -> list[dict[str, Any]]:
        language = self._language()
        return [
            {"id": r.event_id, "start": r.start, "title": r.title, "body": r.texts(language)[1]} for r in self._shown
        ]

    def _get_next_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else -1

    # Shown and not yet dismissed, oldest first: {id, start, title, body}, the body in the interface's language.
    shown = Property(list, _get_shown, notify=changed)
    # Milliseconds until the timer looks again (-1: not set): for tests and the logs.
    nextLookMs = Property(int, _get_next_ms, notify=changed)
