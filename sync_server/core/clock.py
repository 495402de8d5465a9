"""Time on the server: the clock the workflow reads (tests set it), stored times as UTC, the campus's own day."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The campus's time zone: its dates (申请日期, 单号's month), due days and what clients show. A setting, read once
# per process (at import: tests/helpers.py IMPORT_TIME_SETTINGS knows); an unknown name stops the server at start
# rather than mis-dating documents.
CAMPUS_TZ = ZoneInfo(os.environ.get("CAMPUS_SYNC_CAMPUS_TZ") or "Asia/Shanghai")


def _utc_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _utc_now


def now() -> datetime:
    """The workflow's now (due times, the urge limit, notifications read), in UTC."""
    return as_utc(_source())


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Let `fn` tell the time (a test's clock), or the real clock again with None."""
    global _source
    _source = fn or _utc_now


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC one: SQLite returns them naive, and everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def campus_today(moment: datetime) -> date:
    return as_utc(moment).astimezone(CAMPUS_TZ).date()
