"""Sync (QML singleton): drives the sync engine and tells the top bar how things stand.

It syncs when someone logs in, when the connection comes back, on 立即同步, after every local write, and
otherwise every minute; after a failure it waits `backoff_delay(attempt)` (1 s doubling to 60 s, jittered).
The queue never waits for the next local write to move again.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.api_client import ApiError
from kiosk.services.sync import backoff_delay
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

PERIODIC_MS = 60_000


@QmlElement
@QmlSingleton
class Sync(QObject):
    changed = Signal()

    def __init__(self, app: AppState) -> None:
        super().__init__(app)
        self.app = app
        self._running = False
        self._again = False
        self._attempt = 0
        self._pending = 0
        self._rejected = 0
        self._last_sync = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.syncNow)
        app.session.signedIn.connect(self.syncNow)
        app.session.signedOut.connect(self._signed_out)
        app.connectionChanged.connect(self._connection_changed)
        self._was_online = False

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Sync", engine)

    def _user(self) -> str | None:
        current = self.app.auth.current
        return current.user["user_id"] if current and not current.must_change_password else None

    def _connection_changed(self) -> None:
        online = self.app.connection == "online"
        if online and not self._was_online:
            self.syncNow()  # connectivity came back: move the queue now
        self._was_online = online

    def _signed_out(self, _reason: str) -> None:
        self._timer.stop()
        self._attempt = 0
        self._pending = self._rejected = 0
        self._last_sync = ""
        self.changed.emit()

    def enqueue(self, op_type: str, payload: dict[str, Any], apply_local: Any = None, on_saved: Any = None) -> None:
        """A user's write: stored durably (with its local effect) on a worker, then pushed."""
        store, user = self.app.store, self._user()
        if store is None or user is None:
            return

        def saved(op: dict[str, Any]) -> None:
            self._pending += 1
            self.changed.emit()
            if on_saved is not None:
                on_saved(op)
            self.syncNow()

        self.app.tasks.run(lambda: store.enqueue(user, op_type, payload, apply_local), saved)

    @Slot()
    def syncNow(self) -> None:
        store, user = self.app.store, self._user()
        if store is None or user is None:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._timer.stop()
        self.changed.emit()
        from kiosk.services.sync import SyncEngine

        engine = SyncEngine(self.app.client, store, self.app.auth.device_id)

        def work() -> dict[str, int]:
            engine.push(user)
            engine.pull(user)
            return store.outbox_counts(user)

        self.app.tasks.run(work, self._done, self._failed)

    def _done(self, counts: dict[str, int]) -> None:
        self._running = False
        if self._user() is None:  # they logged out meanwhile: nothing of theirs to show
            self.changed.emit()
            return
        self._attempt = 0
        self._pending, self._rejected = counts["pending"], counts["rejected"]
        self._last_sync = time.strftime("%H:%M")
        self.changed.emit()
        if self._again:
            self._again = False
            self.syncNow()
        else:
            self._timer.start(PERIODIC_MS)

    def _failed(self, exc: Exception) -> None:
        self._running = False
        delay = backoff_delay(self._attempt)
        self._attempt += 1
        if not (isinstance(exc, ApiError) and exc.is_offline):
            log.warning("sync failed: %s", exc)
        self.changed.emit()
        if self._user() is not None:
            self._timer.start(int(delay * 1000))

    def _get_syncing(self) -> bool:
        return self._running

    def _get_pending(self) -> int:
        return self._pending

    def _get_rejected(self) -> int:
        return self._rejected

    def _get_last(self) -> str:
        return self._last_sync

    syncing = Property(bool, _get_syncing, notify=changed)
    pendingCount = Property(int, _get_pending, notify=changed)
    rejectedCount = Property(int, _get_rejected, notify=changed)
    lastSync = Property(str, _get_last, notify=changed)
