"""Session (QML singleton): who is logged in, and the ways in and out — ID + password, QR code, the forced
password change, logout (on a kiosk also when the idle countdown ends), and 我的登录设备."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Property,
    QObject,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from campus_common import password_policy
from kiosk.services.api_client import ApiError
from kiosk.services.auth import AuthError, AuthService, UserSession
from kiosk.views.context import singleton_for
from kiosk.views.devices_model import SessionListModel, session_rows
from kiosk.views.idle import Idle

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


def _empty_dir(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)


@QmlElement
@QmlSingleton
class Session(QObject):
    changed = Signal()
    errorChanged = Signal()
    devicesChanged = Signal()
    signedIn = Signal()
    signedOut = Signal(str)  # reason: "user" | "idle" | "expired" | "device" (the server refused the kiosk)
    # Just before the session ends, while the user may still write: what they decided and was held back (the
    # undo bar's final actions) goes into the outbox now, signed with their key, to be delivered after logout.
    leaving = Signal(str)
    passwordChanged = Signal()
    keyboardResetRequested = Signal()

    def __init__(
        self, state: AppState, auth: AuthService, workers: WorkerPool, idle: Idle, keyboard_dir: Path | None
    ) -> None:
        super().__init__(state)
        self._state = state
        self.auth = auth
        self._workers = workers
        self.idle = idle
        self.keyboard_dir = keyboard_dir
        self._busy = False
        self._error = ""
        self._error_field = ""
        self._devices = SessionListModel(self)
        idle.timedOut.connect(lambda: self.logout_because("idle"))

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Session", engine)

    # -- helpers ----------------------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.changed.emit()

    def _set_error(self, message: str, field: str = "") -> None:
        self._error, self._error_field = message, field
        self.errorChanged.emit()

    def _fail(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, AuthError):
            self._set_error(exc.message, exc.field)
        else:
            log.exception("unexpected login failure", exc_info=exc)
            self._set_error("操作失败，请稍后再试")

    def adopt(self, session: UserSession) -> None:
        """Someone is signed in (by password, remembered token or QR code): the terminal is theirs now, once the
        store has opened (a kiosk forgets whoever used it before as it opens; a start takes well under a second,
        a person typing an ID and a password longer)."""
        self._state.when_store_settled(lambda: self._adopt(session))

    def _adopt(self, session: UserSession) -> None:
        if self.auth.current is not session:  # signed out (or replaced) while the store was opening
            return
        self._set_busy(False)
        self._set_error("")
        store = self._state.store
        if store is not None:
            self._workers.run(lambda: store.save_profile(session.user))
        self.idle.arm(self.auth.mode == "kiosk")
        self.changed.emit()
        self.signedIn.emit()

    # -- ID + password ----------------------------------------------------------------------------------------
    @Slot(str, str, bool)
    def login(self, user_id: str, password: str, remember: bool) -> None:
        if self._busy:
            return
        self._set_busy(True)
        self._set_error("")
        auth = self.auth
        self._workers.run(lambda: auth.login(user_id, password, remember=remember), self.adopt, self._fail)

    @Slot()
    def resume(self) -> None:
        """Desk: sign in with a remembered token, if there is one."""
        if self.auth.credentials is None or self._busy:
            return
        self._set_busy(True)

        def done(session: UserSession | None) -> None:
            self._set_busy(False)
            if session is not None:
                self.adopt(session)

        self._workers.run(self.auth.resume, done, self._fail)

    # -- password ---------------------------------------------------------------------------------------------
    @Slot(str, str, str)
    def changePassword(self, old: str, new: str, confirm: str) -> None:
        if self._busy:
            return
        problem = self.auth.check_new_password(new, confirm, old or None)
        if not old:
            self._set_error("请输入原密码", "old")
            return
        if problem is not None:
            self._set_error(problem.message, problem.field)
            return
        self._set_busy(True)
        self._set_error("")

        def done(_: object) -> None:
            self._set_busy(False)
            self.changed.emit()
            self.passwordChanged.emit()

        auth = self.auth
        self._workers.run(lambda: auth.change_password(old, new, confirm), done, self._fail)

    @Slot(str, result=int)
    def passwordStrength(self, text: str) -> int:
        return password_policy.strength(text)

    @Slot(str, result=str)
    def passwordHint(self, text: str) -> str:
        """What is still missing, as the user types (the server decides at 提交)."""
        if not text:
            return ""
        user_id = self.auth.current.user["user_id"] if self.auth.current else ""
        problems = password_policy.problems(user_id, text)
        return "；".join(p.message for p in problems)

    # -- the way out --------------------------------------------------------------------------------------------
    @Slot()
    def logout(self) -> None:
        self.logout_because("user")

    def logout_because(self, reason: str) -> None:
        """End the session and forget the user: server session revoked (in the background), every personal
        row deleted from the store and the WAL truncated, models cleared, the keyboard's learned words reset."""
        current = self.auth.current
        if current is None:
            return
        self.leaving.emit(reason)
        self.auth.forget_locally()
        token = current.access_token
        self._workers.run(lambda: self.auth.revoke_on_server(token))
        store = self._state.store
        if store is not None:
            # A desk client keeps drafts (each shown to its own user only); a kiosk keeps nothing personal.
            keep_drafts = self.auth.mode == "desk"
            self._workers.run(lambda: store.wipe_personal(keep_drafts=keep_drafts))
        self._devices.set_rows([])
        self.idle.arm(False)
        self._set_error("")
        self._set_busy(False)
        self.keyboardResetRequested.emit()
        if self.keyboard_dir is not None:
            self._workers.run(lambda: _empty_dir(self.keyboard_dir))  # disk work off the GUI thread
        self.changed.emit()
        self.signedOut.emit(reason)

    # -- 我的登录设备 ---------------------------------------------------------------------------------------------
    @Slot()
    def loadDevices(self) -> None:
        client = self.auth.client
        self._workers.run(client.sessions, lambda raw: self._devices_loaded(raw), self._devices_failed)

    def _devices_loaded(self, raw: list[dict[str, Any]]) -> None:
        if self.auth.current is None:
            return
        self._devices.set_rows(session_rows(raw))
        self.devicesChanged.emit()

    def _devices_failed(self, exc: Exception) -> None:
        self._set_error(exc.message if isinstance(exc, ApiError) else "无法获取登录设备")

    @Slot(str)
    def revokeDevice(self, session_id: str) -> None:
        client = self.auth.client
        self._workers.run(lambda: client.revoke_session(session_id), lambda _: self.loadDevices(), self._devices_failed)

    # -- properties -----------------------------------------------------------------------------------------------
    def _user(self, key: str) -> str:
        current = self.auth.current
        return str(current.user.get(key) or "") if current else ""

    def _get_logged_in(self) -> bool:
        return self.auth.current is not None

    def _get_busy(self) -> bool:
        return self._busy

    def _get_user_name(self) -> str:
        return self._user("name")

    def _get_user_id(self) -> str:
        return self._user("user_id")

    def _get_role(self) -> str:
        return self._user("role")

    def _get_department(self) -> str:
        return self._user("department_name")

    def _get_class_name(self) -> str:
        return self._user("class_name")

    def _get_must_change(self) -> bool:
        return bool(self.auth.current and self.auth.current.must_change_password)

    def _get_error(self) -> str:
        return self._error

    def _get_error_field(self) -> str:
        return self._error_field

    def _get_can_remember(self) -> bool:
        return self.auth.mode == "desk"  # kiosks never remember anyone

    def _get_devices(self) -> SessionListModel:
        return self._devices

    loggedIn = Property(bool, _get_logged_in, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    userName = Property(str, _get_user_name, notify=changed)
    userId = Property(str, _get_user_id, notify=changed)
    role = Property(str, _get_role, notify=changed)
    departmentName = Property(str, _get_department, notify=changed)
    className = Property(str, _get_class_name, notify=changed)
    mustChangePassword = Property(bool, _get_must_change, notify=changed)
    error = Property(str, _get_error, notify=errorChanged)
    errorField = Property(str, _get_error_field, notify=errorChanged)
    canRemember = Property(bool, _get_can_remember, notify=changed)
    devices = Property(SessionListModel, _get_devices, constant=True)
