"""Times as the campus reads them, without Qt: every time the app shows (the top bar's clock, 办理记录, due times)
is in the campus's time zone — the server's setting (`CAMPUS_SYNC_CAMPUS_TZ`, Asia/Shanghai by default), which
it tells terminals with its health — and says so ("北京时间") when this PC's own zone is another one, so a desk
in a branch office abroad never shows two kinds of time side by side."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

DEFAULT_ZONE = "Asia/Shanghai"
# What a label calls the campus's zone: China's is 北京时间; any other is the campus's time (校园时间).
BEIJING = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_zone = ZoneInfo(DEFAULT_ZONE)


def zone() -> ZoneInfo:
    return _zone


def set_zone(name: str | None) -> bool:
    """Take the zone the server named (its health says it); an unknown or missing name keeps the one known.
    Returns whether it changed."""
    global _zone
    if not name or name == _zone.key:
        return False
    try:
        _zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("the server's campus time zone %r is unknown here: keeping %s", name, _zone.key)
        return False
    return True


def now() -> datetime:
    return datetime.now(UTC).astimezone(_zone)


def label(at: datetime | None = None) -> str:
    """ "北京时间" (or the campus zone's name) when this PC's zone is not the campus's at that moment, else ""."""
    moment = at or datetime.now(UTC)
    if moment.astimezone().utcoffset() == moment.astimezone(_zone).utcoffset():
        return ""
    return "北京时间" if _zone.key in BEIJING else "校园时间"


def moment(iso: str | None) -> datetime | None:
    """A time the server sent (one without a zone is UTC), in the campus's zone."""
    if not iso:
        return None
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(_zone)


def moment_text(iso: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time the server sent as the campus reads it: "2026-12-05 15:30", with "（北京时间）" when the PC's zone
    differs; "" for none."""
    at = moment(iso)
    if at is None:
        return ""
    named = label(at)
    return at.strftime(fmt) + (f"（{named}）" if named else "")


def clock(at: datetime | None = None) -> dict[str, str]:
    """The top bar's clock: {"time": "15:30", "date": "12月5日 周六", "label": "北京时间" or ""}."""
    here = (at or datetime.now(UTC)).astimezone(_zone)
    return {
        "time": here.strftime("%H:%M"),
        "date": f"{here.month}月{here.day}日 {WEEKDAYS[here.weekday()]}",
        "dateEn": f"{here:%a} {here.day} {here:%b}",
        "label": label(here),
    }
