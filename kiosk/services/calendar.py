"""日程中心 on the terminal, Qt-free: a user's 个人日程 writes as outbox operations (the whole event; docs/calendar.md)
with their optimistic local rows, and 首页's items (10)–(12) — 每周会议, 个人日程 and 我的课表 for today and this
week — read from the local store."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from campus_common import ops
from kiosk.services import calendar_edit

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

# 首页's order: (10) 每周会议, (11) 个人日程, (12) 我的课表.
AGENDA_KINDS = ("meeting", "personal", "course")


def new_event_id() -> str:
    return str(uuid.uuid4())


def local_occurrences(before: dict[str, Any] | None, event: dict[str, Any]) -> list[list[str]]:
    """The occurrences to show for a saved event until the server's own version arrives. The terminal expands
    no rule: a single event is its one occurrence; a series whose timing is unchanged keeps the dates it has,
    with its exceptions applied as now saved (an occurrence deleted, moved, or moved back where the series puts
    it); a new or re-timed series shows its first date until the server sends every date."""
    first = [[str(event["start"]), str(event["end"])]]
    if not event.get("repeat") or before is None:
        return first
    timing = ("start", "end", "all_day", "repeat")
    if any(before.get(k) != event.get(k) for k in timing):
        return first
    exceptions = {str(e.get("date")): e for e in event.get("exceptions") or []}
    out = []
    for pair in before.get("occurrences") or []:
        day = calendar_edit.original_day(before, str(pair[0]))
        exception = exceptions.get(day)
        if exception is None:
            out.append(list(calendar_edit.stored_span(before, day, pair)))
        elif not exception.get("deleted"):
            out.append([str(exception["start"]), str(exception["end"])])
    return sorted(out, key=lambda pair: pair[0])


def _local_rows(user_id: str, payload: dict[str, Any]) -> Callable[[Any], None]:
    """The event as the terminal shows it until the server's own version arrives, with the version the server
    will give it (one terminal's writes are applied in order, so a queued edit after this one names it)."""

    def apply_local(session: Any) -> None:
        from kiosk.models.calendar import apply_calendar, stored_event

        conn = session.connection()
        event_id = f"personal:{payload['event_id']}"
        data = {k: v for k, v in payload.items() if k != "base_version"}
        data.update(id=event_id, kind="personal", version=(payload.get("base_version") or 0) + 1)
        data["occurrences"] = local_occurrences(stored_event(conn, user_id, event_id), payload)
        change = {"entity": "calendar_event", "id": event_id, "op": "upsert", "data": data}
        apply_calendar(conn, user_id, [change])

    return apply_local


def event_save_write(
    user_id: str, event: dict[str, Any], base_version: int | None = None
) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of creating or editing a personal event: always the whole event, with
    the version it was edited from (None: a new one), so an edit made elsewhere meanwhile is refused, not lost."""
    fields = ("event_id", "title", "all_day", "start", "end", "place", "note", "reminder_minutes", "repeat")
    payload = {k: event[k] for k in fields if k in event}
    payload["exceptions"] = list(event.get("exceptions") or [])
    payload["base_version"] = base_version
    return ops.CALENDAR_EVENT_SAVE, payload, _local_rows(user_id, payload)


def event_delete_write(
    user_id: str, event_id: str, base_version: int | None
) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of deleting a personal event (the whole series)."""

    def apply_local(session: Any) -> None:
        from kiosk.models.calendar import apply_calendar

        change = {"entity": "calendar_event", "id": f"personal:{event_id}", "op": "delete", "data": None}
        apply_calendar(session.connection(), user_id, [change])

    return ops.CALENDAR_EVENT_DELETE, {"event_id": event_id, "base_version": base_version}, apply_local


def _clock(moment: str) -> str:
    try:
        return datetime.fromisoformat(moment).strftime("%H:%M")
    except ValueError:
        return ""


def agenda(store: LocalStore, user_id: str, today: date) -> list[dict[str, Any]]:
    """首页's (10)–(12): for each kind, today's occurrences (time, title, place) and how many this week
    (Monday to Sunday), in the manual's order."""
    monday = today - timedelta(days=today.weekday())
    week = store.calendar_between(user_id, monday.isoformat(), (monday + timedelta(days=7)).isoformat())
    day, next_day = today.isoformat(), (today + timedelta(days=1)).isoformat()
    out = []
    for kind in AGENDA_KINDS:
        mine = [o for o in week if o["kind"] == kind]
        todays = [o for o in mine if o["start"] < next_day and o["end"] >= day]
        out.append(
            {
                "kind": kind,
                "week": len(mine),
                "today": [
                    {
                        "time": "全天" if o["all_day"] else _clock(o["start"]),
                        "title": str(o.get("title") or ""),
                        "place": str(o.get("place") or ""),
                    }
                    for o in todays
                ],
            }
        )
    return out
