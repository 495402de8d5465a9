"""首页's figures and entries, Qt-free: the four counters of the manual's items (1)–(4) as the server reports them
(GET /api/v1/me/counters, docs/portal.md), and the 资源中心 / 应用中心 entries (public, kept for offline starts).

A counter is a number with where it came from, or "—" with the reason there is none: never an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.services import campus_time

if TYPE_CHECKING:
    from kiosk.services.api_client import ApiClient

# The manual's order: 未读邮件, 在借图书, 逾期图书, 待办.
COUNTER_KEYS = ("mail_unread", "loans", "overdue", "todo")
OFFLINE_REASON = "离线，暂时无法获取"
SIGNED_OUT_REASON = "登录后显示"


# Why a counter has no figure, in each interface language: the server's stable codes (docs/portal.md) and this
# client's own (offline, signed_out, loading). `{what}` names the source of the counter; a code this client does
# not know shows the server's own words (Chinese), which is better than nothing.
REASON_TEXTS: dict[str, dict[str, str]] = {
    "signed_out": {"zh_CN": SIGNED_OUT_REASON, "en_US": "Shown after sign-in"},
    "loading": {"zh_CN": "正在获取…", "en_US": "Loading…"},
    "offline": {"zh_CN": OFFLINE_REASON, "en_US": "Offline: not available now"},
    "not_configured": {"zh_CN": "未接入数据源", "en_US": "No data source connected"},
    "source_down": {"zh_CN": "{what}暂不可用", "en_US": "{what} unavailable"},
    "timeout": {"zh_CN": "{what}响应超时", "en_US": "{what} timed out"},
    "auth_failed": {"zh_CN": "{what}拒绝了门户的登录", "en_US": "{what} refused the portal"},
    "unknown_patron": {"zh_CN": "{what}中没有您的读者记录", "en_US": "No library record for you"},
    "protocol_error": {"zh_CN": "{what}的应答无法识别", "en_US": "{what} gave an unreadable answer"},
    "no_demo_data": {"zh_CN": "演示数据中没有此用户的数字", "en_US": "No demo figure for this user"},
    "no_app_password": {"zh_CN": "未填写邮箱授权码", "en_US": "No mail app password given"},
    "app_password_invalid": {"zh_CN": "授权码无效", "en_US": "App password not accepted"},
}
SOURCE_NAMES = {
    "mail_unread": {"zh_CN": "邮箱服务", "en_US": "Mail service"},
    "library": {"zh_CN": "图书馆系统", "en_US": "Library system"},
}


def reason_text(key: str, code: str, server_reason: str, language: str) -> str:
    """The words a person reads under a counter without a figure, in `language` (zh_CN when it is not known)."""
    texts = REASON_TEXTS.get(code)
    if texts is None:
        return server_reason
    lang = language if language in texts else "zh_CN"
    what = SOURCE_NAMES["mail_unread" if key == "mail_unread" else "library"][lang]
    return texts[lang].format(what=what)


@dataclass(frozen=True)
class Counter:
    key: str
    value: int | None  # None: show "—" and `reason`
    reason: str = ""
    reason_code: str = ""  # the server's stable code (docs/portal.md), or offline | signed_out | loading
    demo: bool = False  # the demo connector's seeded figure: shown with 演示数据
    as_of: str = ""  # RFC 3339: when the source was read

    @property
    def text(self) -> str:
        return "—" if self.value is None else str(self.value)

    def to_qml(self, language: str = "zh_CN") -> dict[str, Any]:
        """What 首页 shows, ready: the reason is in the interface's `language` already (QML holds no table)."""
        return {
            "key": self.key,
            "value": self.text,
            "known": self.value is not None,
            "reason": "" if self.value is not None else reason_text(self.key, self.reason_code, self.reason, language),
            "demo": self.demo,
            "asOf": _clock(self.as_of),
        }


def _clock(moment: str) -> str:
    try:
        return datetime.fromisoformat(moment).astimezone(campus_time.zone()).strftime("%H:%M")
    except ValueError:
        return ""


def parse_counters(body: dict[str, Any]) -> list[Counter]:
    """The server's answer as four counters, in the manual's order; a key missing or malformed is "—"."""
    counters = []
    for key in COUNTER_KEYS:
        entry = body.get(key)
        if not isinstance(entry, dict):
            counters.append(Counter(key, None, "服务器未提供此项", "missing"))
            continue
        value = entry.get("value")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            as_of = str(entry.get("as_of") or "")
            counters.append(Counter(key, value, demo=bool(entry.get("demo")), as_of=as_of))
        else:
            reason, code = str(entry.get("reason") or "暂无数据"), str(entry.get("reason_code") or "")
            counters.append(Counter(key, None, reason, code))
    return counters


def placeholders(reason: str, code: str) -> list[Counter]:
    return [Counter(key, None, reason, code) for key in COUNTER_KEYS]


def fetch_counters(client: ApiClient, known: list[Counter] | None = None) -> list[Counter]:
    """The signed-in user's counters from the server. Blocking: run it on a worker. Offline, the figures already
    shown stay (with the time they were read); without any, each is "—" and says why."""
    from kiosk.services.api_client import ApiError

    try:
        return parse_counters(client.counters())
    except ApiError as exc:
        if not exc.is_offline and exc.status not in (502, 503, 504):
            raise
        if known and any(c.value is not None for c in known):
            return known
        return placeholders(OFFLINE_REASON, "offline")


@dataclass(frozen=True)
class Entry:
    """One tile of 资源中心 or 应用中心."""

    code: str
    name: str
    description: str
    url: str
    icon: str
    sso: bool = False  # 应用中心: the portal signs the user in (CAS) when opened from a desk
    trial: bool = False  # 资源中心: a trial subscription

    @classmethod
    def from_dict(cls, raw: dict[str, Any], default_icon: str) -> Entry:
        return cls(
            code=str(raw.get("code", "")),
            name=str(raw.get("name", "")),
            description=str(raw.get("description", "")),
            url=str(raw.get("url", "")),
            icon=str(raw.get("icon") or default_icon),
            sso=bool(raw.get("sso", False)),
            trial=bool(raw.get("trial", False)),
        )

    def to_qml(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "url": self.url,
            "icon": self.icon,
            "sso": self.sso,
            "trial": self.trial,
        }


def entries(raw: list[dict[str, Any]], default_icon: str) -> list[Entry]:
    return [Entry.from_dict(r, default_icon) for r in raw if isinstance(r, dict) and r.get("url")]


def recent_process_codes(applications: list[dict[str, Any]]) -> list[str]:
    """The processes of the user's applications, most recent first, each once (我的申请 is newest first)."""
    seen: dict[str, None] = {}
    for application in applications:
        code = application.get("process_code")
        if isinstance(code, str):
            seen.setdefault(code, None)
    return list(seen)


def service_center_codes(visible: list[tuple[str, bool, bool]], recent: list[str]) -> list[str]:
    """办事中心's order of the processes this user may start (`visible`: code, ★, recommended, in the catalog's
    order): their ★ first, then what they used lately, then the recommended ones, then the rest."""
    allowed = {code for code, _, _ in visible}
    favorites = [code for code, favorite, _ in visible if favorite]
    ordered = dict.fromkeys(favorites)
    ordered.update(dict.fromkeys(code for code in recent if code in allowed))
    ordered.update(dict.fromkeys(code for code, _, recommended in visible if recommended))
    ordered.update(dict.fromkeys(code for code, _, _ in visible))
    return list(ordered)


def browser_url(client: ApiClient, entry: Entry, signed_in: bool) -> tuple[str, str]:
    """Where a desk opens `entry`: through the portal's single sign-on when the system takes it and someone is
    signed in (a one-time hand-off link, so no password is typed again), else its own address. Returns the URL
    and, when single sign-on could not be had, why (the entry still opens, at its login page). Blocking."""
    from kiosk.services.api_client import ApiError

    if not (entry.sso and signed_in):
        return entry.url, ""
    try:
        return str(client.cas_handoff(entry.url)["url"]), ""
    except ApiError as exc:
        return entry.url, exc.message
