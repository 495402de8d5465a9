"""Sync (QML singleton): drives the sync engine and tells the top bar how things stand.

It syncs at login, when the connection comes back, on 立即同步, after every local write, when the server reports
a change (live_channel.py; the timer then runs every 5 min) and otherwise every minute; after a failure it waits
`backoff_delay(attempt)` (1 s doubling to 60 s, jittered). The queue never waits for the next write to move.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import campus_time
from kiosk.services.api_client import ApiError
from kiosk.services.outbox import Writer, parked_view
from kiosk.services.sync import QueueCounts, backoff_delay, queue_counts, sync_round
from kiosk.views.context import singleton_for
from kiosk.views.live_channel import LiveChannel

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

PERIODIC_MS = 60_000
LIVE_PERIODIC_MS = 300_000  # while the live channel waits: a round for what it cannot see (users who left)


@QmlElement
@QmlSingleton
class Sync(QObject):
    changed = Signal()
    # "saved" once a write is durably in the outbox (synchronous=FULL): the UI may now say 已保存，待同步;
    # "failed" if the local write itself failed (nothing was queued).
    saved = Signal(str)
    # After a sync round: item views re-read their badges (待同步 / 已同步 / 被拒绝).
    settled = Signal()
    # Every round's end: None when it went through, else the exception (the device's heartbeat follows it).
    roundEnded = Signal(object)

    def __init__(self, state: AppState, auth: AuthService, session: Session, workers: WorkerPool) -> None:
        super().__init__(state)
        self._state, self._auth, self._workers = state, auth, workers
        self._running = False
        self._again = False
        self._attempt = 0
        self._pending = 0
        self._waiting_all = 0
        self._rejected = 0
        self._parked: list[dict[str, Any]] = []
        self._parked_all = 0
        self._last_sync = ""
        self._progress = -1.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.syncNow)
        self.live = LiveChannel(state, auth, workers, self.syncNow)
        session.signedIn.connect(self._signed_in)
        session.signedOut.connect(self._signed_out)
        state.connectionChanged.connect(self._connection_changed)
        state.storeReady.connect(self._store_ready)
        state.waitingSeen.connect(self._waiting_seen)
        self._progress_arrived.connect(self._on_progress)
        self._was_online = False

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Sync", engine)

    def _connection_changed(self) -> None:
        online = self._state.connection == "online"
        if online and not self._was_online:
            self.syncNow()  # connectivity came back: move the queue now
        self._was_online = online

    def _waiting_seen(self, waiting: int) -> None:
        self._waiting_all = waiting  # what waits on disk shows before the full store opens and any round runs
        self.changed.emit()

    def _store_ready(self) -> None:
        self._refresh_counts()  # what waits on disk shows before any round
        self._refresh_parked()
        if self._state.connection == "online":
            self.syncNow()  # the server answered before the store opened: deliver what waits now

    def _signed_in(self) -> None:
        self._last_sync = ""
        self._refresh_parked()
        self.syncNow()

    def _signed_out(self, _reason: str) -> None:
        self.live.cancel()  # at once: the logout does not wait for the server's answer
        self._attempt = 0
        self._pending = self._rejected = 0
        self._parked = []
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
        store, writer = self._state.store, Writer.of(self._auth)
        if store is None or writer is None:
            return False
        user = writer.user_id

        def saved(op: dict[str, Any]) -> None:
            if self._auth.user_id != user:
                # They left while it was being written (a held 通过 sent at sign-out): it is queued, nothing of
                # theirs to show. It goes without them soon, as _signed_out's round would have taken it had
                # the write been done by then.
                if self._running:
                    self._again = True
                else:
                    self._timer.start(1000)
                return
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

        self._workers.run(lambda: writer.write(store, op_type, payload, apply_local, entity=entity), saved, failed)
        return True

    @Slot()
    def syncNow(self) -> None:
        store, user, auth = self._state.store, self._auth.user_id, self._auth
        if store is None:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._timer.stop()
        self.live.cancel()  # the round pulls what there is; its end waits again
        current = auth.current
        # This round's own client holds the token of the user it started for: if they log out and someone else
        # logs in meanwhile, the rest of the round fails with the revoked token, never acts as the newcomer.
        client = self._state.client.with_token(current.access_token if user and current else None)

        def still_current() -> bool:
            # Read on the worker inside the page's transaction; logout clears auth.current before the wipe.
            return user is not None and auth.user_id == user

        self.changed.emit()
        # The progress is reported on the worker: a queued signal hands it to the GUI thread.
        round_ = lambda: sync_round(  # noqa: E731
            client, store, auth.device_id, user, still_current=still_current, on_progress=self._progress_arrived.emit
        )
        self._workers.run(round_, lambda counts: self._done(user, counts), self._failed)

    _progress_arrived = Signal(float)

    @Slot(float)
    def _on_progress(self, value: float) -> None:
        if self._running:
            self._progress = value
            self.changed.emit()

    def _done(self, user: str | None, counts: QueueCounts) -> None:
        self._running, self._progress, self._attempt = False, -1.0, 0
        self._waiting_all = counts.waiting_all
        self._refresh_parked()
        if user is not None and self._auth.user_id == user:
            self._pending, self._rejected = counts.pending, counts.rejected
            self._last_sync = campus_time.now().strftime("%H:%M")  # the campus clock's, as the top bar's
        self.changed.emit()
        self.settled.emit()
        self.roundEnded.emit(None)
        if self._again:
            self._again = False
            self.syncNow()
        elif self._auth.user_id is not None or self._waiting_all > 0:
            self._timer.start(LIVE_PERIODIC_MS if self._auth.user_id is not None and self.live.start() else PERIODIC_MS)

    def _failed(self, exc: Exception) -> None:
        self._running, self._progress = False, -1.0
        delay = backoff_delay(self._attempt)
        self._attempt += 1
        if not (isinstance(exc, ApiError) and exc.is_offline):
            log.warning("sync failed: %s", exc)
        self.changed.emit()
        self.settled.emit()
        self._refresh_counts()
        self._refresh_parked()
        self.roundEnded.emit(exc)
        # Retry on the backoff schedule while anyone's writes wait or someone is logged in.
        self._timer.start(int(delay * 1000))

    def _refresh_counts(self) -> None:
        """Re-read the queue's size (a failed round reports none, and at start no round has run yet): the
        user's, and the terminal's."""
        store, user = self._state.store, self._auth.user_id
        if store is None:
            return

        def loaded(counts: QueueCounts) -> None:
            self._waiting_all = counts.waiting_all
            if user is not None and self._auth.user_id == user:
                self._pending, self._rejected = counts.pending, counts.rejected
            self.changed.emit()

        self._workers.run(lambda: queue_counts(store, user), loaded)

    # -- parked operations: the server kept failing on them; the queue went on without them -----------------
    def _refresh_parked(self) -> None:
        store, user = self._state.store, self._auth.user_id
        if store is None:
            return

        def loaded(result: tuple[list[dict[str, Any]], int]) -> None:
            if self._auth.user_id == user:
                self._parked = result[0]
            self._parked_all = result[1]
            self.changed.emit()

        self._workers.run(lambda: parked_view(store, user), loaded)

    @Slot()
    def retryParked(self) -> None:
        """重试: the user's parked operations back in the queue, in their place, and a round now."""
        store, user = self._state.store, self._auth.user_id
        if store is None or user is None:
            return
        self._workers.run(lambda: store.retry_parked(user), lambda _n: self._after_parked_change())

    @Slot(str)
    def discardParked(self, op_id: str) -> None:
        """放弃: the user gives up on one parked operation; its local effect is undone."""
        store, user = self._state.store, self._auth.user_id
        if store is None or user is None:
            return
        self._workers.run(lambda: store.discard_parked(user, op_id), lambda _ok: self._after_parked_change())

    def _after_parked_change(self) -> None:
        self._refresh_parked()
        self.settled.emit()
        self.syncNow()

    def _get_parked(self) -> list[dict[str, Any]]:
        return self._parked

    def _get_parked_count(self) -> int:
        return len(self._parked) if self._auth.user_id is not None else self._parked_all

    def _get_syncing(self) -> bool:
        return self._running

    def _get_pending(self) -> int:
        return self._pending if self._auth.user_id is not None else self._waiting_all

    def _get_rejected(self) -> int:
        return self._rejected

    def _get_last(self) -> str:
        return self._last_sync

    def _get_progress(self) -> float:
        return self._progress

    syncing = Property(bool, _get_syncing, notify=changed)
    # Operations the server kept failing on (500), set aside so the queue goes on: {id, name, error, created_at}.
    parkedOps = Property(list, _get_parked, notify=changed)
    # The user's parked operations; with nobody signed in, the terminal's (what IT must see).
    parkedCount = Property(int, _get_parked_count, notify=changed)
    pendingCount = Property(int, _get_pending, notify=changed)
    rejectedCount = Property(int, _get_rejected, notify=changed)
    lastSync = Property(str, _get_last, notify=changed)
    # 0…1 while the first sync of a user pulls their data; -1 otherwise.
    firstSyncProgress = Property(float, _get_progress, notify=changed)
