"""The live channel of `Sync`: while someone is signed in and the server offers it, one pull waits on the
server (kiosk/services/live_pull.py) on the workers' wait lane, never the GUI thread. When it reports a change,
`Sync` runs a round at once; when it ends empty, it waits again; when it fails, a round follows after a backoff
and, after repeated failures, `Sync` polls on its timer for a while. Logout, quit and every round cancel the
wait (its socket is shut down), so none of them waits for it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk.services.live_pull import LiveSchedule, LiveWait, available, wait_for_changes

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.workers import WorkerPool


class LiveChannel(QObject):
    def __init__(self, state: AppState, auth: AuthService, workers: WorkerPool, on_change: Callable[[], None]) -> None:
        super().__init__(state)
        self._state, self._auth, self._workers, self._on_change = state, auth, workers, on_change
        self._waiter: LiveWait | None = None
        self.schedule = LiveSchedule()
        self._fallback = QTimer(self)  # the round that replaces a failed wait
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(on_change)
        self.waits = 0  # for tests: waits started

    @property
    def waiting(self) -> bool:
        return self._waiter is not None

    def start(self) -> bool:
        """Wait for the signed-in user's next change, if the server offers it; True when a wait is running."""
        if self._waiter is not None:
            return True
        store, user, current = self._state.store, self._auth.user_id, self._auth.current
        wait = self._state.live_wait
        if (
            store is None
            or user is None
            or current is None
            or self._state.connection != "online"
            or not available(wait)
            or not self.schedule.enabled(time.monotonic())
        ):
            return False
        waiter = LiveWait(self._state.client.with_token(current.access_token), wait)
        self._waiter = waiter
        self.waits += 1
        started = time.monotonic()

        def done(found: bool) -> None:
            if self._waiter is not waiter:
                return  # cancelled: whoever cancelled it decides what comes next
            self._waiter = None
            if not found and time.monotonic() - started < min(wait / 2, 5.0):
                failed(RuntimeError("the wait ended early"))  # something between us answers for the server
                return
            self.schedule.succeeded()
            if self._auth.user_id != user:
                return
            if found:
                self._on_change()
            else:
                self.start()

        def failed(_exc: Exception) -> None:
            if waiter.cancelled:
                return
            self._waiter = None
            self._fallback.start(int(self.schedule.failed(time.monotonic()) * 1000))

        self._workers.run(lambda: wait_for_changes(waiter, store, user), done, failed, long_wait=True)
        return True

    def cancel(self) -> None:
        waiter, self._waiter = self._waiter, None
        self._fallback.stop()
        if waiter is not None:
            waiter.cancel()
