"""How calendar events reach terminals: one "calendar_event" change per event and user, in the user's scope.
Every kind (course, meeting, personal) has the same shape (docs/calendar.md#what-terminals-pull), with its dated
`occurrences` already expanded, so the kiosk's month, week and day views only read its store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from sync_server.core.change_log import append_change, user_scope
from sync_server.core.clock import CAMPUS_TZ, as_utc

ENTITY = "calendar_event"
KINDS = ("course", "meeting", "personal")


def local_iso(moment: datetime) -> str:
    """A time as RFC 3339 in campus time, with its offset (2026-09-07T08:00:00+08:00)."""
    return as_utc(moment).astimezone(CAMPUS_TZ).isoformat()


def occurrence(start: datetime | date, end: datetime | date) -> list[str]:
    """One occurrence as terminals get it: [start, end], RFC 3339 times, or for an all-day event its first and
    last day (inclusive) as YYYY-MM-DD."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        return [local_iso(start), local_iso(end)]
    return [start.isoformat(), end.isoformat()]


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def announce(
    session: Session,
    event_id: str,
    data: dict[str, Any] | None,
    *,
    before: Iterable[str],
    after: Iterable[str],
    changed: bool,
) -> int:
    """Tell the users who had the event (`before`) and who have it now (`after`) what changed: those who lost it
    get a delete, those who gained it an upsert, the others an upsert only when its data `changed`. Returns how
    many changes were written."""
    old, new = set(before), set(after)
    written = 0
    for user_id in sorted(old - new):
        append_change(session, user_scope(user_id), ENTITY, event_id, "delete", None)
        written += 1
    for user_id in sorted(new if changed else new - old):
        append_change(session, user_scope(user_id), ENTITY, event_id, "upsert", data)
        written += 1
    return written
