"""CalendarFeed (QML singleton): 个人中心's 订阅日历 — a secret iCalendar feed URL for the user's phone, made (or
replaced: 重置链接) and revoked on the server from a worker, shown as text and as a QR code (image://linkqr/),
copied to the clipboard on a desk. The server keeps only the token's hash, so a URL is shown only right after
it is made; the card forgets it when the user leaves (docs/calendar.md#icalendar)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services.api_client import ApiError
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.qr_image import QrImageProvider
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class CalendarFeed(QObject):
    changed = Signal()
    copied = Signal()

    def __init__(
        self, state: AppState, auth: AuthService, session: Session, workers: WorkerPool, qr: QrImageProvider
    ) -> None:
        super().__init__(state)
        self._auth, self._workers, self._qr = auth, workers, qr
        self._url = self._qr_source = self._error = ""
        self._busy = self._revoked = False
        self._serial = 0
        session.signedOut.connect(self._forget)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("CalendarFeed", engine)

    def _forget(self, _reason: str = "") -> None:
        self._serial += 1  # an answer still on its way is dropped
        self._url = self._qr_source = self._error = ""
        self._busy = self._revoked = False
        self.changed.emit()

    def _call(self, work: Any, done: Any) -> None:
        current, user = self._auth.current, self._auth.user_id
        if current is None or user is None or self._busy:
            return
        client = self._auth.client.with_token(current.access_token)
        self._serial += 1
        serial = self._serial
        self._busy, self._error = True, ""
        self.changed.emit()

        def finished(result: Any) -> None:
            if serial == self._serial and self._auth.user_id == user:
                self._busy = False
                done(result)
                self.changed.emit()

        def failed(exc: Exception) -> None:
            if serial == self._serial:
                self._busy = False
                self._error = (
                    "无法连接服务器，请稍后再试"
                    if isinstance(exc, ApiError) and exc.is_offline
                    else getattr(exc, "message", str(exc))
                )
                self.changed.emit()

        self._workers.run(lambda: work(client), finished, failed)

    @Slot()
    def makeLink(self) -> None:
        """生成订阅链接 / 重置链接: a new URL; any earlier one stops working. Its QR code is drawn on the worker."""
        key = f"feed-{self._serial + 1}"
        qr = self._qr

        def work(client: Any) -> str:
            url = str(client.calendar_feed_token()["url"])
            qr.show(key, url)
            return url

        def done(url: str) -> None:
            self._url, self._qr_source, self._revoked = url, f"image://linkqr/{key}", False

        self._call(work, done)

    @Slot()
    def revoke(self) -> None:
        """停用: the URL stops working (a phone's subscription then fails)."""

        def done(_result: Any) -> None:
            self._url, self._qr_source, self._revoked = "", "", True
            self._qr.clear()

        self._call(lambda client: client.revoke_calendar_feed_token(), done)

    @Slot()
    def copy(self) -> None:
        """Desk: the URL to the clipboard (a calendar program subscribes from it)."""
        if self._url:
            from PySide6.QtGui import QGuiApplication

            QGuiApplication.clipboard().setText(self._url)
            self.copied.emit()

    def _get_url(self) -> str:
        return self._url

    def _get_qr(self) -> str:
        return self._qr_source

    def _get_busy(self) -> bool:
        return self._busy

    def _get_error(self) -> str:
        return self._error

    def _get_revoked(self) -> bool:
        return self._revoked

    url = Property(str, _get_url, notify=changed)
    qrSource = Property(str, _get_qr, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    error = Property(str, _get_error, notify=changed)
    revoked = Property(bool, _get_revoked, notify=changed)
