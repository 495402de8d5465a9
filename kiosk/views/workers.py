"""Run blocking service calls on Qt's thread pool and deliver their results on the GUI thread; and reads of the
signed-in user's rows where only the newest answer counts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService

log = logging.getLogger(__name__)


class _Relay(QObject):
    """One per pool, for its whole life: every job reports through it, queued to the GUI thread. A relay per job,
    deleted on the GUI thread once its result arrived, could be freed while the worker was still inside the
    emit that delivered it (the GUI thread runs the slot as soon as the event is posted): the suite's process
    died with a segfault in that emit now and then (workers.py's emit line, a worker's only frame)."""

    finished = Signal(int, bool, object)  # job id, succeeded, result or exception


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], job_id: int, relay: _Relay) -> None:
        super().__init__()
        self.fn, self.job_id, self.relay = fn, job_id, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the caller's on_error, never lost
            self.relay.finished.emit(self.job_id, False, exc)
        else:
            self.relay.finished.emit(self.job_id, True, result)


class WorkerPool(QObject):
    """`run(fn, on_done, on_error)`: fn runs on a worker thread, the callbacks on this object's thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        # The pools before the relay: children are deleted in order, and a pool's destructor waits for its jobs,
        # so no job can emit through a relay already gone.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        # Waits that block for long on purpose (the live pull, kiosk/services/live_pull.py) get a thread of their
        # own, so the threads that serve the screens never sit behind one.
        self.waits = QThreadPool(self)
        self.waits.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]] = {}
        self._next_id = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        long_wait: bool = False,
    ) -> None:
        self._next_id += 1
        self._callbacks[self._next_id] = (on_done, on_error)
        (self.waits if long_wait else self.pool).start(_Job(fn, self._next_id, self._relay))

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, succeeded: bool, payload: Any) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        if succeeded:
            if on_done:
                on_done(payload)
        elif on_error:
            on_error(payload)
        else:
            log.error("background task failed: %r", payload)

    def wait(self, msecs: int = 10_000) -> bool:
        """The screens' jobs done. Not the wait lane's: a live pull ends when a change comes or it is cancelled,
        and whoever waits here for the work to settle would sit out the whole wait (up to 25 s)."""
        return self.pool.waitForDone(msecs)

    def drain(self, msecs: int = 10_000) -> bool:
        """Every job done, the wait lane's too (at shutdown, after the live wait was cancelled)."""
        return self.pool.waitForDone(msecs) and self.waits.waitForDone(msecs)


class LatestPersonalRead:
    """Reads of the signed-in user's rows from the local store, on a worker, where only the newest answer
    counts: one that arrives after a newer read was started, after `forget()`, or after the user left, is
    dropped (it would show an older state, or someone else's data). Shared by ★ and 办件."""

    def __init__(self, state: Any, auth: AuthService, workers: WorkerPool) -> None:
        self._state, self._auth, self._workers = state, auth, workers  # state: whatever holds `.store`
        self._generation = 0

    def run(self, read: Callable[[Any, str], Any], loaded: Callable[[Any], None]) -> None:
        """`read(store, user_id)` on a worker, then `loaded(result)` here; nothing when nobody is signed in."""
        store, user = self._state.store, self._auth.user_id
        if store is None or user is None:
            return
        self._generation += 1
        generation = self._generation

        def done(result: Any) -> None:
            if generation == self._generation and self._auth.user_id == user:
                loaded(result)

        self._workers.run(lambda: read(store, user), done)

    def forget(self) -> None:
        self._generation += 1
