"""NotifySettings (QML singleton): 个人中心 › 通知设置, the signed-in user's e-mail switches (待办, 办理结果),
read from the local store and changed through the outbox (kiosk/services/notify_settings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import notify_settings
from kiosk.views.context import singleton_for
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class NotifySettings(QObject):
    """A switch turns at once (the write is queued on a worker); `syncState` then says 待同步 until the server
    has it, or 被拒绝 with `syncError`. Another device's change arrives with the next pull."""

    changed = Signal()

    def __init__(self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool) -> None:
        super().__init__(state)
        self._auth, self._sync = auth, sync
        self._read = LatestPersonalRead(state, auth, workers)
        self._settings = notify_settings.NotifySettings(dict(notify_settings.DEFAULTS))
        session.signedIn.connect(self.reload)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self.reload)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("NotifySettings", engine)

    @Slot()
    def reload(self) -> None:
        self._read.run(notify_settings.load, self._show)

    def _show(self, settings: notify_settings.NotifySettings) -> None:
        if settings != self._settings:
            self._settings = settings
            self.changed.emit()

    def _forget(self) -> None:
        self._read.forget()
        self._show(notify_settings.NotifySettings(dict(notify_settings.DEFAULTS)))

    @Slot(str, bool)
    def setEmail(self, field: str, on: bool) -> None:
        """Turn one switch (`email_todo` or `email_result`)."""
        user = self._auth.user_id
        if user is None or field not in notify_settings.DEFAULTS or self._settings.values.get(field) == on:
            return
        before = self._settings
        op_type, payload, apply_local = notify_settings.notify_write(user, before.values, field, on)
        # The switch moves with the finger; if the write cannot even be queued, it moves back.
        self._show(notify_settings.NotifySettings({**before.values, field: on}, "pending"))

        def saved(_op: dict[str, Any]) -> None:
            self.reload()

        if not self._sync.enqueue(op_type, payload, apply_local, saved, entity=notify_settings.ENTITY):
            self._show(before)

    def _get_email_todo(self) -> bool:
        return self._settings.values["email_todo"]

    def _get_email_result(self) -> bool:
        return self._settings.values["email_result"]

    def _get_sync_state(self) -> str:
        return self._settings.sync_state

    def _get_sync_error(self) -> str:
        return self._settings.sync_error

    emailTodo = Property(bool, _get_email_todo, notify=changed)
    emailResult = Property(bool, _get_email_result, notify=changed)
    syncState = Property(str, _get_sync_state, notify=changed)
    syncError = Property(str, _get_sync_error, notify=changed)
