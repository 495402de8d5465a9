"""Session (QML singleton): who is logged in, and the ways in and out — ID + password, QR code, the forced
password change, logout, and on a kiosk the idle countdown that ends with a logout.

Idle (QML singleton): the kiosk's "还在吗？" countdown. SessionListModel: 我的登录设备.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    Property,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlSingleton, QmlUncreatable, QQmlEngine

from campus_common import password_policy
from kiosk.services.api_client import ApiError
from kiosk.services.auth import AuthError, AuthService, UserSession
from kiosk.views.context import singleton_for
from kiosk.views.list_model import RowListModel
from kiosk.views.qr_image import QrImageProvider

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

QR_RETRY_MS = 3_000


@dataclass(frozen=True)
class SessionRow:
    id: str
    kind: str
    device_name: str
    last_seen: str
    current: bool


class SessionRole(IntEnum):
    SessionId = Qt.ItemDataRole.UserRole + 1
    Kind = Qt.ItemDataRole.UserRole + 2
    DeviceName = Qt.ItemDataRole.UserRole + 3
    LastSeen = Qt.ItemDataRole.UserRole + 4
    Current = Qt.ItemDataRole.UserRole + 5


_SESSION_ATTR = {
    SessionRole.SessionId: "id",
    SessionRole.Kind: "kind",
    SessionRole.DeviceName: "device_name",
    SessionRole.LastSeen: "last_seen",
    SessionRole.Current: "current",
}


@QmlElement
@QmlUncreatable("SessionListModel comes from Session.devices")
class SessionListModel(RowListModel):
    ROLES = SessionRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(k): v for k, v in _SESSION_ATTR.items()}
    DISPLAY_ATTR = "device_name"


def _empty_dir(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)


def _local_time(iso: str) -> str:
    """The server speaks UTC; people read the terminal's local time."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _session_rows(raw: list[dict[str, Any]]) -> list[SessionRow]:
    kinds = {"kiosk": "自助终端", "desk": "办公电脑", "phone": "手机"}
    rows = []
    for s in raw:
        seen = _local_time(str(s.get("last_seen_at", "")))
        rows.append(
            SessionRow(
                s["id"],
                kinds.get(s["kind"], s["kind"]),
                s.get("device_name") or "未命名设备",
                seen,
                bool(s.get("current")),
            )
        )
    return rows


@QmlElement
@QmlSingleton
class Idle(QObject):
    """Kiosk only: after `timeout_s` without a touch or key, a countdown of `countdown_s`; then `timedOut`."""

    changed = Signal()
    timedOut = Signal()

    def __init__(self, timeout_s: int, countdown_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.countdown_s = countdown_s
        self._armed = False
        self._left = 0
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(timeout_s * 1000)
        self._quiet.timeout.connect(self._start_countdown)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        obj = singleton_for("Idle", engine)
        return obj

    def arm(self, armed: bool) -> None:
        """Watch for idleness only while someone is logged in on a kiosk."""
        self._armed = armed
        self._tick.stop()
        self._left = 0
        if armed:
            self._quiet.start()
        else:
            self._quiet.stop()
        self.changed.emit()

    def activity(self) -> None:
        if self._armed and self._left == 0:
            self._quiet.start()  # restart the quiet period; a running countdown needs the 继续 button

    @Slot()
    def stillHere(self) -> None:
        if self._armed:
            self._tick.stop()
            self._left = 0
            self._quiet.start()
            self.changed.emit()

    def _start_countdown(self) -> None:
        self._left = self.countdown_s
        self._tick.start()
        self.changed.emit()

    def _count_down(self) -> None:
        self._left -= 1
        self.changed.emit()
        if self._left <= 0:
            self._tick.stop()
            self._left = 0
            self.changed.emit()
            self.timedOut.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.activity()
        return False

    def _get_active(self) -> bool:
        return self._left > 0

    def _get_left(self) -> int:
        return self._left

    countdownActive = Property(bool, _get_active, notify=changed)
    secondsLeft = Property(int, _get_left, notify=changed)


_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


@QmlElement
@QmlSingleton
class Session(QObject):
    changed = Signal()
    errorChanged = Signal()
    qrChanged = Signal()
    devicesChanged = Signal()
    signedIn = Signal()
    signedOut = Signal(str)  # reason: "user" | "idle" | "expired"
    passwordChanged = Signal()
    keyboardResetRequested = Signal()

    def __init__(
        self, app: AppState, auth: AuthService, qr_images: QrImageProvider, idle: Idle, keyboard_dir: Path | None
    ) -> None:
        super().__init__(app)
        self.app = app
        self.auth = auth
        self.qr_images = qr_images
        self.idle = idle
        self.keyboard_dir = keyboard_dir
        self._busy = False
        self._error = ""
        self._error_field = ""
        self._qr_state = "idle"
        self._qr_message = ""
        self._qr_ticket = ""
        self._qr_expires = 0.0
        self._qr_serial = 0
        self._qr_generation = 0
        self._devices = SessionListModel(self)
        self._qr_tick = QTimer(self)
        self._qr_tick.setInterval(1000)
        self._qr_tick.timeout.connect(self.qrChanged)
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

    def _became_logged_in(self, session: UserSession) -> None:
        self._set_busy(False)
        self._set_error("")
        self.stopQr()
        store = self.app.store
        if store is not None:
            self.app.tasks.run(lambda: store.save_profile(session.user))
        self.idle.arm(self.app.config.mode == "kiosk")
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
        self.app.tasks.run(lambda: auth.login(user_id, password, remember=remember), self._became_logged_in, self._fail)

    @Slot()
    def resume(self) -> None:
        """Desk: sign in with a remembered token, if there is one."""
        if self.auth.credentials is None or self._busy:
            return
        self._set_busy(True)

        def done(session: UserSession | None) -> None:
            self._set_busy(False)
            if session is not None:
                self._became_logged_in(session)

        self.app.tasks.run(self.auth.resume, done, self._fail)

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
        self.app.tasks.run(lambda: auth.change_password(old, new, confirm), done, self._fail)

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

    # -- QR -----------------------------------------------------------------------------------------------------
    @Slot()
    def startQr(self) -> None:
        self._qr_generation += 1
        generation = self._qr_generation
        self._set_qr("loading", "")
        self.app.tasks.run(
            self.auth.qr_start, lambda t: self._qr_ticket_ready(generation, t), lambda e: self._qr_failed(generation, e)
        )

    @Slot()
    def stopQr(self) -> None:
        self._qr_generation += 1  # results of requests still in flight are ignored
        self._qr_tick.stop()
        self._qr_ticket = ""
        self.qr_images.clear()
        self._set_qr("idle", "")

    def _set_qr(self, state: str, message: str) -> None:
        self._qr_state, self._qr_message = state, message
        self.qrChanged.emit()

    def _qr_ticket_ready(self, generation: int, ticket: dict[str, Any]) -> None:
        if generation != self._qr_generation:
            return
        self._qr_ticket = ticket["ticket"]
        self._qr_expires = time.monotonic() + float(ticket["expires_in"])
        self._qr_serial += 1
        self.qr_images.show(str(self._qr_serial), ticket["url"])
        self._qr_tick.start()
        self._set_qr("pending", "")
        self._qr_poll(generation, None)

    def _qr_poll(self, generation: int, known: str | None) -> None:
        ticket, auth = self._qr_ticket, self.auth
        self.app.tasks.run(
            lambda: auth.qr_poll(ticket, known),
            lambda s: self._qr_state_arrived(generation, s),
            lambda e: self._qr_failed(generation, e),
        )

    def _qr_state_arrived(self, generation: int, state: dict[str, Any]) -> None:
        if generation != self._qr_generation:
            return
        status = state["status"]
        if status == "confirmed" and state.get("tokens"):
            self._qr_tick.stop()
            self._set_qr("confirmed", state.get("user_name") or "")
            session = self.auth.qr_adopt(state["tokens"])
            self._became_logged_in(session)
            return
        if status == "expired":
            self.startQr()  # a fresh code, without the user having to ask
            return
        if status == "denied":
            self._qr_tick.stop()
            self._set_qr("denied", "")
            return
        self._set_qr(status, state.get("user_name") or "")
        self._qr_poll(generation, status)

    def _qr_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._qr_generation:
            return
        if isinstance(exc, ApiError) and exc.code in ("ticket_used", "ticket_not_found"):
            self.startQr()
            return
        message = exc.message if isinstance(exc, (ApiError, AuthError)) else "无法获取二维码"
        self._set_qr("error", message)
        QTimer.singleShot(QR_RETRY_MS, self, lambda: self.startQr() if generation == self._qr_generation else None)

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
        self.auth.forget_locally()
        token = current.access_token
        self.app.tasks.run(lambda: self.auth.revoke_on_server(token))
        store = self.app.store
        if store is not None:
            # A desk client keeps drafts (each shown to its own user only); a kiosk keeps nothing personal.
            keep_drafts = self.app.config.mode == "desk"
            self.app.tasks.run(lambda: store.wipe_personal(keep_drafts=keep_drafts))
        self._devices.set_rows([])
        self.idle.arm(False)
        self.stopQr()
        self._set_error("")
        self._set_busy(False)
        self.keyboardResetRequested.emit()
        if self.keyboard_dir is not None:
            self.app.tasks.run(lambda: _empty_dir(self.keyboard_dir))  # disk work off the GUI thread
        self.changed.emit()
        self.signedOut.emit(reason)

    # -- 我的登录设备 ---------------------------------------------------------------------------------------------
    @Slot()
    def loadDevices(self) -> None:
        client = self.auth.client
        self.app.tasks.run(client.sessions, lambda raw: self._devices_loaded(raw), self._devices_failed)

    def _devices_loaded(self, raw: list[dict[str, Any]]) -> None:
        if self.auth.current is None:
            return
        self._devices.set_rows(_session_rows(raw))
        self.devicesChanged.emit()

    def _devices_failed(self, exc: Exception) -> None:
        self._set_error(exc.message if isinstance(exc, ApiError) else "无法获取登录设备")

    @Slot(str)
    def revokeDevice(self, session_id: str) -> None:
        client = self.auth.client
        self.app.tasks.run(
            lambda: client.revoke_session(session_id), lambda _: self.loadDevices(), self._devices_failed
        )

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

    def _get_qr_state(self) -> str:
        return self._qr_state

    def _get_qr_message(self) -> str:
        return self._qr_message

    def _get_qr_source(self) -> str:
        return f"image://qr/{self._qr_serial}" if self._qr_ticket else ""

    def _get_qr_seconds(self) -> int:
        return max(0, round(self._qr_expires - time.monotonic())) if self._qr_ticket else 0

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
    qrState = Property(str, _get_qr_state, notify=qrChanged)
    qrMessage = Property(str, _get_qr_message, notify=qrChanged)
    qrSource = Property(str, _get_qr_source, notify=qrChanged)
    qrSecondsLeft = Property(int, _get_qr_seconds, notify=qrChanged)
    canRemember = Property(bool, _get_can_remember, notify=changed)
    devices = Property(SessionListModel, _get_devices, constant=True)
