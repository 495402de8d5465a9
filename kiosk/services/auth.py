"""Logging in and out on a terminal: ID + password, QR tickets, the forced password change, desk remember-me.

Tokens live in this object's memory. A kiosk never writes them anywhere; a desk client writes only the
refresh token, and only to its CredentialStore, when the user ticks 记住我.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from campus_common import password_policy
from kiosk.services.api_client import Abort, ApiClient, ApiError

if TYPE_CHECKING:
    from kiosk.services.credentials import CredentialStore

REMEMBER_ACCOUNT = "refresh-token"


class AuthError(Exception):
    """A login-related failure with a message for the person at the screen (Chinese)."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field  # "user", "password", "old", "new", "confirm" or "" for the form as a whole


@dataclass
class UserSession:
    user: dict[str, Any]
    access_token: str
    refresh_token: str | None = field(repr=False)
    session_id: str
    must_change_password: bool
    # Signs the outbox operations of this session (campus_common/op_signing.py); memory only, like the tokens.
    op_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_tokens(cls, body: dict[str, Any]) -> UserSession:
        return cls(
            body["user"],
            body["access_token"],
            body.get("refresh_token"),
            body["session_id"],
            bool(body["must_change_password"]),
            body.get("op_key"),
        )


def normalise_user_id(text: str) -> str:
    return text.strip().upper()


def _explain(exc: ApiError) -> AuthError:
    if exc.is_offline:
        return AuthError(exc.code, "无法连接服务器，请稍后再试")
    if exc.code == "account_locked":
        minutes = max(1, math.ceil(int(exc.body.get("retry_after", 900)) / 60))
        return AuthError(exc.code, f"密码错误次数过多，账号已临时锁定，请 {minutes} 分钟后再试")
    if exc.code == "too_many_attempts":
        minutes = max(1, math.ceil(int(exc.body.get("retry_after", 600)) / 60))
        return AuthError(exc.code, f"本终端登录尝试过于频繁，请 {minutes} 分钟后再试")
    if exc.code == "invalid_credentials":
        return AuthError(exc.code, "学号/工号或密码错误")
    if exc.code == "validation_error":
        return AuthError(exc.code, "输入的内容不符合要求，请检查后重试")
    if exc.code == "wrong_password":
        return AuthError(exc.code, "原密码不正确", "old")
    if exc.code == "weak_password":
        return AuthError(exc.code, exc.message, "new")
    return AuthError(exc.code, exc.message or "操作失败，请稍后再试")


class AuthService:
    def __init__(
        self,
        client: ApiClient,
        *,
        mode: str,
        device_id: str,
        device_name: str,
        credentials: CredentialStore | None = None,
    ) -> None:
        self.client = client
        self.mode = mode
        self.device_id = device_id
        self.device_name = device_name
        self.credentials = credentials if mode == "desk" else None  # a kiosk never persists a token
        self.current: UserSession | None = None

    # -- ID + password ----------------------------------------------------------------------------------------
    @property
    def user_id(self) -> str | None:
        """Who may read and write personal data now: the signed-in user, unless they must first change their
        password (until then nothing of theirs is synced or shown)."""
        current = self.current
        return current.user["user_id"] if current and not current.must_change_password else None

    def login(self, user_id: str, password: str, *, remember: bool = False) -> UserSession:
        user_id = normalise_user_id(user_id)
        if not user_id:
            raise AuthError("empty", "请输入工号/学号", "user")
        if not password:
            raise AuthError("empty", "请输入密码", "password")
        if len(user_id) > 32 or not user_id.isascii() or not user_id.replace("-", "").isalnum():
            # Cannot be anyone's ID: answer exactly as a wrong password would, without a round trip's delay.
            raise AuthError("invalid_credentials", "学号/工号或密码错误")
        if len(password) > 128:
            raise AuthError("invalid_credentials", "学号/工号或密码错误")
        try:
            body = self.client.login(
                user_id, password, kind=self.mode, device_id=self.device_id, device_name=self.device_name
            )
        except ApiError as exc:
            raise _explain(exc) from exc
        return self._adopt(body, remember=remember)

    def _adopt(self, body: dict[str, Any], *, remember: bool) -> UserSession:
        session = UserSession.from_tokens(body)
        self.current = session
        self.client.access_token = session.access_token
        if self.credentials is not None:
            if remember and session.refresh_token:
                self.credentials.save(REMEMBER_ACCOUNT, session.refresh_token)
            else:
                self.credentials.delete(REMEMBER_ACCOUNT)
        return session

    def resume(self) -> UserSession | None:
        """Desk: log in again with a remembered refresh token (rotated on use, so the stored one is replaced)."""
        if self.credentials is None:
            return None
        token = self.credentials.load(REMEMBER_ACCOUNT)
        if not token:
            return None
        try:
            body = self.client.refresh(token)
        except ApiError as exc:
            if not exc.is_offline:
                self.credentials.delete(REMEMBER_ACCOUNT)  # revoked or expired: forget it
            return None
        return self._adopt(body, remember=True)

    # -- the forced change --------------------------------------------------------------------------------------
    def check_new_password(self, new: str, confirm: str, old: str | None = None) -> AuthError | None:
        user_id = self.current.user["user_id"] if self.current else ""
        problems = password_policy.problems(user_id, new, old)
        if problems:
            return AuthError(problems[0].code, "；".join(p.message for p in problems), "new")
        if new != confirm:
            return AuthError("mismatch", "两次输入的新密码不一致", "confirm")
        return None

    def change_password(self, old: str, new: str, confirm: str) -> None:
        if self.current is None:
            raise AuthError("unauthorized", "请先登录")
        if not old:
            raise AuthError("empty", "请输入原密码", "old")
        problem = self.check_new_password(new, confirm, old)
        if problem is not None:
            raise problem
        try:
            self.client.change_password(old, new)
        except ApiError as exc:
            raise _explain(exc) from exc
        self.current.must_change_password = False
        self.current.user["must_change_password"] = False

    # -- QR -------------------------------------------------------------------------------------------------------
    def qr_start(self) -> dict[str, Any]:
        try:
            return self.client.qr_create(self.device_id, self.device_name)
        except ApiError as exc:
            raise _explain(exc) from exc

    def qr_poll(self, ticket: str, known: str | None, wait: float = 8.0, abort: Abort | None = None) -> dict[str, Any]:
        return self.client.qr_poll(ticket, self.device_id, wait=wait, known=known, abort=abort)

    def qr_adopt(self, tokens: dict[str, Any]) -> UserSession:
        return self._adopt(tokens, remember=False)

    # -- the way out ------------------------------------------------------------------------------------------------
    def forget_locally(self) -> None:
        """Drop every token this process holds (and a remembered one). No I/O to the server."""
        self.current = None
        self.client.access_token = None
        if self.credentials is not None:
            self.credentials.delete(REMEMBER_ACCOUNT)

    def revoke_on_server(self, access_token: str) -> None:
        """Best effort: end the session on the server; offline, the token simply expires (30 min)."""
        probe = ApiClient(self.client.base_url, timeout=5)
        probe.access_token = access_token
        probe.device_credential = self.client.device_credential  # a kiosk session's logout is a kiosk request
        try:
            probe.logout()
        except ApiError:
            pass
        finally:
            probe.close()
