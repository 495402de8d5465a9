"""Enrollment (QML singleton): this terminal's enrollment and heartbeat (kiosk/services/device.py), and whether
the server refuses the device — what the login screen then says.

The stored credential is loaded on a worker at start; a pending enrollment code is exchanged once the server
answers. A heartbeat goes every 5 minutes and after every sync round (one at a time: a round that ends while one
is under way is followed by one more), always on a worker.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.api_client import ApiError
from kiosk.services.device import DEVICE_REFUSALS, DeviceService, Enrolled, MemoryStore
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

HEARTBEAT_MS = 5 * 60_000


@QmlElement
@QmlSingleton
class Enrollment(QObject):
    changed = Signal()
    # The server refused this device (revoked, or unknown to it): whoever is signed in can do nothing more here.
    refused = Signal()
    answered = Signal(object)  # a heartbeat's answer: it may offer an update (views/updates.py)

    def __init__(self, state: AppState, service: DeviceService, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._state, self._service, self._workers = state, service, workers
        self._enrolled = False
        self._problem = ""  # device_revoked | device_unknown | enrollment_failed | ""
        self._detail = ""
        self._exchanging = False
        self._exchanged = False  # a pending code was dealt with (exchanged, or refused for good)
        self._last_sync: datetime | None = None
        self._last_error: str | None = None
        self._update_problem = ""  # a release that could not be staged or switched to (views/updates.py)
        self._beating = False
        self._beat_again = False
        self._timer = QTimer(self)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self.beat)
        state.connectionChanged.connect(self._connection_changed)
        sync.roundEnded.connect(self._round_ended)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Enrollment", engine)

    def start(self) -> None:
        """The stored credential, if any, for the API client (on a worker: the keyring or the file)."""
        self._workers.run(self._service.load, self._loaded, lambda exc: log.warning("no device credential: %s", exc))

    def _loaded(self, held: bool) -> None:
        if held:
            self._set(enrolled=True)
            self._timer.start()

    def _connection_changed(self) -> None:
        if self._state.connection != "online" or self._exchanged or self._exchanging:
            return
        demo = self._state.demo_server
        if demo is not None and not self._service.code:
            # The demo's server enrolled this kiosk for it; its credential dies with the demo's data.
            self._service.code = getattr(demo, "enrollment_code", "") or ""
            self._service.credentials = MemoryStore()
        self._exchanging = True
        self._workers.run(self._service.prepare, self._prepared, self._prepare_failed)

    def _prepared(self, result: Enrolled) -> None:
        self._exchanging, self._exchanged = False, True
        if result.problem:
            self._set(enrolled=result.enrolled, problem="enrollment_failed", detail=result.problem)
        else:
            self._set(enrolled=result.enrolled)
        if result.enrolled:
            self._timer.start()
            self.beat()

    def _prepare_failed(self, exc: Exception) -> None:
        self._exchanging = False  # offline or the server failing: tried again when it is back
        log.warning("enrollment not done yet: %s", exc)

    def _round_ended(self, error: object) -> None:
        if error is None:
            self._last_sync, self._last_error = datetime.now(UTC), None
        elif isinstance(error, ApiError) and error.code in DEVICE_REFUSALS:
            self._set(problem=error.code)
            return
        else:
            self._last_error = error.message if isinstance(error, ApiError) else str(error)
        self.beat()

    def beat(self) -> None:
        if not self._enrolled:
            return
        if self._beating:
            self._beat_again = True  # what this one reports is already old: one more when it is back
            return
        self._beating = True
        service, store = self._service, self._state.store
        last_sync, last_error = self._last_sync, self._last_error or self._update_problem or None
        self._workers.run(
            lambda: service.heartbeat(store, last_sync_at=last_sync, last_error=last_error), self._beaten, self._failed
        )

    def report_problem(self, problem: str) -> None:
        """An update's problem, for the next heartbeat's last_error ("" once it is solved)."""
        self._update_problem = problem

    def _beaten(self, answer: Any) -> None:
        self._beating = False
        self.answered.emit(answer if isinstance(answer, dict) else {})
        if self._problem in DEVICE_REFUSALS:
            self._set(problem="")  # honoured again (IT re-enrolled it, or the server stopped requiring it)
        if self._beat_again:
            self._beat_again = False
            self.beat()

    def _failed(self, exc: Exception) -> None:
        self._beating = self._beat_again = False
        if isinstance(exc, ApiError) and exc.code in DEVICE_REFUSALS:
            self._set(problem=exc.code)
        elif not (isinstance(exc, ApiError) and exc.is_offline):
            log.warning("heartbeat failed: %s", exc)

    def _set(self, *, enrolled: bool | None = None, problem: str | None = None, detail: str = "") -> None:
        if enrolled is not None:
            self._enrolled = enrolled
        if problem is not None:
            self._problem, self._detail = problem, detail
        self.changed.emit()
        if problem in DEVICE_REFUSALS:
            self.refused.emit()

    def stop(self) -> None:
        self._timer.stop()

    def _get_enrolled(self) -> bool:
        return self._enrolled

    def _get_problem(self) -> str:
        return self._problem

    def _get_detail(self) -> str:
        return self._detail

    enrolled = Property(bool, _get_enrolled, notify=changed)
    # Why the server will not serve this terminal: device_revoked, device_unknown, enrollment_failed; or "".
    problem = Property(str, _get_problem, notify=changed)
    detail = Property(str, _get_detail, notify=changed)  # enrollment_failed: the server's words
