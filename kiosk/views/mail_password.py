"""MailPassword (QML singleton): 个人中心 › 邮箱授权码 — whether this campus wants one, whether the user gave one,
and giving or removing it (kiosk/services/mail_password.py: straight to the server, never kept here)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import mail_password
from kiosk.services.mail_password import UNKNOWN, MailPasswordState
from kiosk.views.context import singleton_for
from kiosk.views.devices_model import local_time

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.services.api_client import ApiClient
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
@QmlSingleton
class MailPassword(QObject):
    changed = Signal()
    stored = Signal()  # the server now holds another password (or none): 未读邮件 is worth asking again

    def __init__(self, state: AppState, auth: AuthService, session: Session, workers: WorkerPool) -> None:
        super().__init__(state)
        self._auth, self._workers = auth, workers
        self._state = UNKNOWN
        self._busy = False
        self._message = ""  # what the last action did, or why it failed
        session.signedIn.connect(self.refresh)
        session.signedOut.connect(self._forget)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("MailPassword", engine)

    def _forget(self, _reason: str = "") -> None:
        self._state, self._busy, self._message = UNKNOWN, False, ""
        self.changed.emit()

    def _call(self, work: Callable[[ApiClient], MailPasswordState], done_message: str, stores: bool = False) -> None:
        current, user = self._auth.current, self._auth.user_id
        if current is None or user is None or self._busy:
            return
        client = self._auth.client.with_token(current.access_token)
        self._busy = True
        self.changed.emit()

        def done(state: MailPasswordState) -> None:
            if self._auth.user_id == user:
                self._state, self._busy, self._message = state, False, done_message
                self.changed.emit()
                if stores:
                    self.stored.emit()

        def failed(exc: Exception) -> None:
            # The message is the server's or the transport's; the password is in neither.
            log.warning("mail password: %s", getattr(exc, "code", type(exc).__name__))
            if self._auth.user_id == user:
                self._busy, self._message = False, getattr(exc, "message", "") or "暂时无法完成，请稍后再试"
                self.changed.emit()

        self._workers.run(lambda: work(client), done, failed)

    @Slot()
    def refresh(self) -> None:
        self._call(mail_password.fetch, "")

    @Slot(str)
    def save(self, password: str) -> None:
        """Send the 授权码 once; the field is cleared by the card whatever the answer, so nothing keeps it."""
        if password:
            self._call(lambda client: mail_password.give(client, password), "已保存授权码", stores=True)

    @Slot()
    def remove(self) -> None:
        self._call(mail_password.remove, "已删除授权码", stores=True)

    def _get_mode(self) -> str:
        return self._state.mode

    def _get_is_set(self) -> bool:
        return self._state.set

    def _get_updated_at(self) -> str:
        return local_time(self._state.updated_at)  # as the terminal's clock and 我的登录设备 say it

    def _get_busy(self) -> bool:
        return self._busy

    def _get_message(self) -> str:
        return self._message

    mode = Property(str, _get_mode, notify=changed)
    isSet = Property(bool, _get_is_set, notify=changed)
    updatedAt = Property(str, _get_updated_at, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    message = Property(str, _get_message, notify=changed)
