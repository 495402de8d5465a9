"""QrLogin (QML singleton): 扫码登录 on the login screen — a ticket's QR code, its state as the phone moves it
(scanned, confirmed, denied, expired → a fresh code) and the login when it is confirmed."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.api_client import Abort, ApiError
from kiosk.services.auth import AuthError
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.qr_image import QrImageProvider
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

RETRY_MS = 3_000


@QmlElement
@QmlSingleton
class QrLogin(QObject):
    changed = Signal()

    def __init__(self, auth: AuthService, session: Session, workers: WorkerPool, images: QrImageProvider) -> None:
        super().__init__(session)
        self._auth, self._session, self._workers, self.qr_images = auth, session, workers, images
        self._state = "idle"
        self._message = ""
        self._ticket = ""
        self._expires = 0.0
        self._serial = 0
        self._generation = 0
        self._waiting: Abort | None = None  # the long poll in flight, ended when its code leaves the screen
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.changed)
        # Signed in (by this code or otherwise) or out: the code on screen is no longer anyone's way in.
        session.signedIn.connect(self.stop)
        session.signedOut.connect(self.stop)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("QrLogin", engine)

    @Slot()
    def start(self) -> None:
        self._generation += 1
        self._end_wait()
        generation = self._generation
        self._set("loading", "")
        self._workers.run(
            self._auth.qr_start, lambda t: self._ticket_ready(generation, t), lambda e: self._failed(generation, e)
        )

    @Slot()
    def stop(self) -> None:
        self._generation += 1  # results of requests still in flight are ignored
        self._end_wait()
        self._tick.stop()
        self._ticket = ""
        self.qr_images.clear()
        self._set("idle", "")

    def _set(self, state: str, message: str) -> None:
        self._state, self._message = state, message
        self.changed.emit()

    def _ticket_ready(self, generation: int, ticket: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        self._ticket = ticket["ticket"]
        self._expires = time.monotonic() + float(ticket["expires_in"])
        self._serial += 1
        self.qr_images.show(str(self._serial), ticket["url"])
        self._tick.start()
        self._set("pending", "")
        self._poll(generation, None)

    def _end_wait(self) -> None:
        # The old code's long poll would hold a worker (and the app's exit) until the server's wait ends.
        if self._waiting is not None:
            self._waiting.abort()
            self._waiting = None

    def _poll(self, generation: int, known: str | None) -> None:
        ticket, auth = self._ticket, self._auth
        self._waiting = abort = Abort()
        self._workers.run(
            lambda: auth.qr_poll(ticket, known, abort=abort),
            lambda s: self._state_arrived(generation, s),
            lambda e: self._failed(generation, e),
        )

    def _state_arrived(self, generation: int, state: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        status = state["status"]
        if status == "confirmed" and state.get("tokens"):
            self._tick.stop()
            self._set("confirmed", state.get("user_name") or "")
            session = self._auth.qr_adopt(state["tokens"])
            self._session.adopt(session)
            return
        if status == "expired":
            self.start()  # a fresh code, without the user having to ask
            return
        if status == "denied":
            self._tick.stop()
            self._set("denied", "")
            return
        self._set(status, state.get("user_name") or "")
        self._poll(generation, status)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, ApiError) and exc.code in ("ticket_used", "ticket_not_found"):
            self.start()
            return
        message = exc.message if isinstance(exc, (ApiError, AuthError)) else "无法获取二维码"
        self._set("error", message)
        QTimer.singleShot(RETRY_MS, self, lambda: self.start() if generation == self._generation else None)

    def _get_state(self) -> str:
        return self._state

    def _get_message(self) -> str:
        return self._message

    def _get_source(self) -> str:
        return f"image://qr/{self._serial}" if self._ticket else ""

    def _get_seconds(self) -> int:
        return max(0, round(self._expires - time.monotonic())) if self._ticket else 0

    # idle | loading | pending | scanned | contested (another user tried too) | confirmed | denied | error
    state = Property(str, _get_state, notify=changed)
    message = Property(str, _get_message, notify=changed)  # the (first) scanner's name, or what went wrong
    source = Property(str, _get_source, notify=changed)
    secondsLeft = Property(int, _get_seconds, notify=changed)
