"""What a counter source is and what it reports: figures, or a SourceError with a stable code and the reason
in Chinese for the person looking at 首页."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol

from sync_server.core.clock import CAMPUS_TZ

# The codes a counter without a figure carries (reason_code), with the words the user reads; `{what}` names the
# source ("邮箱服务", "图书馆系统").
REASONS = {
    "not_configured": "未接入数据源",
    "source_down": "{what}暂不可用",
    "timeout": "{what}响应超时",
    "auth_failed": "{what}拒绝了门户的登录",
    "unknown_patron": "{what}中没有您的读者记录",
    "protocol_error": "{what}的应答无法识别",
    "no_demo_data": "演示数据中没有此用户的数字",
    # The app-password mode of the mail counter (core/counters/app_passwords.py).
    "no_app_password": "未填写邮箱授权码",
    "app_password_invalid": "授权码无效",
}


class SourceError(Exception):
    """A source gave no figure: `code` is one of REASONS."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail  # for the log, never shown to the user


class Source(Protocol):
    """A connector: one call to one outside system gives the figures of one or more counters."""

    name: ClassVar[str]  # what `source` says: imap | sip2 | workflow | demo
    label: ClassVar[str]  # how the reason names it: 邮箱服务, 图书馆系统, …
    keys: ClassVar[tuple[str, ...]]  # the counters it feeds
    demo: ClassVar[bool]
    cached: ClassVar[bool]  # False for the server's own data, which is cheap and must be fresh

    def fetch(self, user_id: str) -> dict[str, int]: ...


@dataclass(frozen=True)
class Reading:
    """One counter's answer: a figure with its source and time, or none with the reason."""

    value: int | None
    source: str | None = None
    as_of: datetime | None = None
    demo: bool = False
    reason_code: str | None = None
    reason: str | None = None

    @classmethod
    def missing(cls, code: str, label: str = "", source: str | None = None) -> Reading:
        return cls(None, source=source, reason_code=code, reason=REASONS[code].format(what=label))

    def public(self) -> dict[str, Any]:
        if self.value is None:
            return {"value": None, "source": self.source, "reason_code": self.reason_code, "reason": self.reason}
        assert self.as_of is not None
        return {
            "value": self.value,
            "source": self.source,
            # RFC 3339 with the campus's offset: what a person reads beside the figure is the school's time.
            "as_of": self.as_of.astimezone(CAMPUS_TZ).isoformat(timespec="seconds"),
            "demo": self.demo,
        }
