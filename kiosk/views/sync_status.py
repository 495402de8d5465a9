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
    # "saved" once a write is durably in the outbox (synchronous=FULL): the UI may now say 已保存，待同步;
    # "failed" if the local write itself failed (nothing was queued).
    saved = Signal(str)
    # After a sync round: item views re-read their badges (待同步 / 已同步 / 被拒绝).
    settled = Signal()

    def __init__(self, app: AppState) -> None:
        super().__init__(app)
        self.app = app
        self._running = False
        self._again = False
        self._attempt = 0
        self._pending = 0
        self._waiting_all = 0
        self._rejected = 0
        self._last_sync = ""
        self._progress = -1.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.syncNow)
        app.session.signedIn.connect(self._signed_in)
        app.session.signedOut.connect(self._signed_out)
        app.connectionChanged.connect(self._connection_changed)
        self._progress_arrived.connect(self._on_progress)
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

    def _signed_in(self) -> None:
        self._last_sync = ""
        self.syncNow()

    def _signed_out(self, _reason: str) -> None:
        self._attempt = 0
        self._pending = self._rejected = 0
        self._last_sync = ""
        self._progress = -1.0
        self.changed.emit()
        self.settled.emit()
        self._refresh_counts()
        # What the user left in the queue goes on without them (signed operations, no token): soon, not at
        # the next timer tick, so the next person in the line does not inherit a backlog.
        self._timer.start(1000)

    def enqueue(
        self,
        op_type: str,
        payload: dict[str, Any],
        apply_local: Any = None,
        on_saved: Any = None,
        *,
        entity: str | None = None,
    ) -> bool:
        """A user's write: stored durably (with its local effect and its signature) on a worker, then pushed.
        Returns False when nobody who may write is logged in or the store is not open yet."""
        store, current = self.app.store, self.app.auth.current
        user = self._user()
        if store is None or current is None or user is None:
            return False
        from kiosk.services.sync import op_signer

        device = self.app.auth.device_id
        signer = op_signer(current.op_key, current.session_id, device) if current.op_key else None
        session_id = current.session_id

        def save() -> dict[str, Any]:
            return store.enqueue(
                user, op_type, payload, apply_local, entity=entity, session_id=session_id, signer=signer
            )

        def saved(op: dict[str, Any]) -> None:
            if self._user() != user:
                return  # they left while it was being written: it is queued, nothing of theirs to show
            self._pending += 1
            self.changed.emit()
            self.settled.emit()
            if on_saved is not None:
                on_saved(op)
            self.saved.emit("saved")
            self.syncNow()

        def failed(exc: Exception) -> None:
            log.error("could not save %s: %s", op_type, exc)
            self.saved.emit("failed")

        self.app.tasks.run(save, saved, failed)
        return True

    @Slot()
    def syncNow(self) -> None:
        store, user = self.app.store, self._user()
        if store is None:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._timer.stop()
        # This run's own client, holding the token of the user it started for: if they log out and someone
        # else logs in meanwhile, the rest of this run must not act with the newcomer's token (it fails with
        # the revoked one instead, and the next run starts over).
        from kiosk.services.api_client import ApiClient
        from kiosk.services.sync import SyncEngine

        client = ApiClient(self.app.client.base_url, session=self.app.client.http)
        current = self.app.auth.current
        client.access_token = current.access_token if user is not None and current is not None else None
        engine = SyncEngine(client, store, self.app.auth.device_id)
        auth = self.app.auth

        def still_current() -> bool:
            # Read on the worker inside the page's transaction; logout clears auth.current before the wipe.
            now = auth.current
            return now is not None and now.user.get("user_id") == user

        self.changed.emit()

        def progress(done: int, remaining: int) -> None:
            # Called on the worker: hand the figure to the GUI thread through a queued signal.
            self._progress_arrived.emit(done / max(1, done + remaining))

        def work() -> dict[str, int]:
            if user is not None:
                engine.push(user)
                # A user's first pull on this terminal (no cursor yet) shows its progress.
                first = not store.get_meta(f"user.sync.cursor.{user}")
                if first:
                    progress(0, 1)
                engine.pull(user, on_progress=progress if first else None, still_current=still_current)
            else:
                engine.pull(None)  # public data (forms, catalog changes) for the next person, offline too
            engine.deliver_departed(user)
            counts = store.outbox_counts(user) if user is not None else {"pending": 0, "applied": 0, "rejected": 0}
            counts["waiting_all"] = store.outbox_counts()["pending"]
            return counts

        self.app.tasks.run(work, lambda counts: self._done(user, counts), self._failed)

    _progress_arrived = Signal(float)

    @Slot(float)
    def _on_progress(self, value: float) -> None:
        if self._running:
            self._progress = value
            self.changed.emit()

    def _done(self, user: str | None, counts: dict[str, int]) -> None:
        self._running = False
        self._progress = -1.0
        self._attempt = 0
        self._waiting_all = counts["waiting_all"]
        if user is not None and self._user() == user:
            self._pending, self._rejected = counts["pending"], counts["rejected"]
            self._last_sync = time.strftime("%H:%M")
        self.changed.emit()
        self.settled.emit()
        if self._again:
            self._again = False
            self.syncNow()
        elif self._user() is not None or self._waiting_all > 0:
            self._timer.start(PERIODIC_MS)

    def _failed(self, exc: Exception) -> None:
        self._running = False
        self._progress = -1.0
        delay = backoff_delay(self._attempt)
        self._attempt += 1
        if not (isinstance(exc, ApiError) and exc.is_offline):
            log.warning("sync failed: %s", exc)
        self.changed.emit()
        self.settled.emit()
        self._refresh_counts()
        # Retry on the backoff schedule while anyone's writes wait or someone is logged in.
        self._timer.start(int(delay * 1000))

    def _refresh_counts(self) -> None:
        """Re-read the queue's size (a failed round reports none): the user's, and the terminal's."""
        store, user = self.app.store, self._user()
        if store is None:
            return

        def read() -> tuple[dict[str, int], int]:
            mine = store.outbox_counts(user) if user is not None else {"pending": 0, "rejected": 0}
            return mine, store.outbox_counts()["pending"]

        def loaded(result: tuple[dict[str, int], int]) -> None:
            mine, everyone = result
            self._waiting_all = everyone
            if user is not None and self._user() == user:
                self._pending, self._rejected = mine["pending"], mine["rejected"]
            self.changed.emit()

        self.app.tasks.run(read, loaded)

    def _get_syncing(self) -> bool:
        return self._running

    def _get_pending(self) -> int:
        return self._pending if self._user() is not None else self._waiting_all

    def _get_rejected(self) -> int:
        return self._rejected

    def _get_last(self) -> str:
        return self._last_sync

    def _get_progress(self) -> float:
        return self._progress

    syncing = Property(bool, _get_syncing, notify=changed)
    pendingCount = Property(int, _get_pending, notify=changed)
    rejectedCount = Property(int, _get_rejected, notify=changed)
    lastSync = Property(str, _get_last, notify=changed)
    # 0…1 while the first sync of a user pulls their data; -1 otherwise.
    firstSyncProgress = Property(float, _get_progress, notify=changed)
