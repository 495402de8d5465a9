"""日程中心 in the local store: pulled `calendar_event` changes written (apply.py calls apply_calendar in the page's
transaction) as the event and its dated occurrences, and reads by time for the month/week/day views and 首页.

The server sends each event with every occurrence already dated (docs/calendar.md), so the terminal never
expands a rule: a view's range is one indexed read of the occurrences table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from kiosk.models.base import StoreBase

_INSERT_OCCURRENCE = (
    # OR IGNORE: a repeated occurrence in a change must not fail the page (and stall the user's sync).
    'INSERT OR IGNORE INTO calendar_occurrences (user_id, event_id, start, "end", all_day) VALUES (?, ?, ?, ?, ?)'
)


def apply_calendar(conn: Connection, user_id: str | None, changes: Iterable[dict[str, Any]]) -> bool:
    """Write a page's calendar changes in order (an upsert replaces the event and all its occurrences; a delete
    removes both). Returns whether anything was written."""
    if user_id is None:
        return False
    wrote = False
    for change in changes:
        if change["entity"] != "calendar_event":
            continue
        event_id = str(change["id"])
        conn.exec_driver_sql("DELETE FROM calendar_occurrences WHERE user_id = ? AND event_id = ?", (user_id, event_id))
        conn.exec_driver_sql("DELETE FROM calendar_events WHERE user_id = ? AND id = ?", (user_id, event_id))
        data = change.get("data")
        if change["op"] != "delete" and isinstance(data, dict):
            conn.exec_driver_sql(
                "INSERT INTO calendar_events (user_id, id, kind, data) VALUES (?, ?, ?, ?)",
                (user_id, event_id, str(data.get("kind") or ""), json.dumps(data, ensure_ascii=False)),
            )
            all_day = 1 if data.get("all_day") else 0
            rows = [
                (user_id, event_id, str(pair[0]), str(pair[1]), all_day)
                for pair in data.get("occurrences") or []
                if isinstance(pair, list | tuple) and len(pair) == 2
            ]
            if rows:
                conn.exec_driver_sql(_INSERT_OCCURRENCE, rows)
        wrote = True
    return wrote


def stored_event(conn: Connection, user_id: str, event_id: str) -> dict[str, Any] | None:
    """An event as stored (with every occurrence), inside the caller's transaction."""
    row = conn.exec_driver_sql(
        "SELECT data FROM calendar_events WHERE user_id = ? AND id = ?", (user_id, event_id)
    ).first()
    if row is None:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else dict(row[0])


def revert_save(session: Any, op: Any) -> None:
    """A refused `calendar.event.save`: a refused creation is removed (the server holds no such event); a
    refused edit stays until the pull brings the server's version, which a conflict implies is newer."""
    if op.payload.get("base_version") is None:
        change = {"entity": "calendar_event", "id": f"personal:{op.payload.get('event_id')}", "op": "delete"}
        apply_calendar(session.connection(), op.user_id, [change])


class CalendarMixin(StoreBase):
    def calendar_between(self, user_id: str, start: str, end: str) -> list[dict[str, Any]]:
        """The user's occurrences that begin before `end` and end on or after `start` (campus RFC 3339 text or
        dates; text order is time order within the campus's one offset), soonest first, each with its event."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                'SELECT o.start, o."end", o.all_day, e.id, e.kind, e.data FROM calendar_occurrences o '
                "JOIN calendar_events e ON e.user_id = o.user_id AND e.id = o.event_id "
                'WHERE o.user_id = ? AND o.start < ? AND o."end" >= ? ORDER BY o.start, e.id',
                (user_id, end, start),
            ).all()
        out = []
        # Each event decoded once, not once per occurrence: a daily series carries up to 1,000 dates, and a
        # month's read has 42 of its rows.
        decoded: dict[str, dict[str, Any]] = {}
        for occ_start, occ_end, all_day, event_id, kind, raw in rows:
            data = decoded.get(event_id)
            if data is None:
                data = json.loads(raw) if isinstance(raw, str) else dict(raw)
                data.pop("occurrences", None)  # the row is one occurrence; the whole list stays in the store
                decoded[event_id] = data
            out.append(
                {**data, "id": event_id, "kind": kind, "start": occ_start, "end": occ_end, "all_day": bool(all_day)}
            )
        return out

    def calendar_write_states(self, user_id: str) -> dict[str, dict[str, Any]]:
        """The latest write to each personal event (outbox entity `calendar:<uuid>`): its status and, refused, the
        server's stable code (said in the interface's language) and its own words (for a code not known here)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT entity, status, error_code, error_message FROM outbox "
                "WHERE user_id = ? AND entity LIKE 'calendar:%' ORDER BY seq",
                (user_id,),
            ).all()
        return {str(e): {"status": s, "code": c or "", "error": m or ""} for e, s, c, m in rows if e}

    def calendar_event(self, user_id: str, event_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            return stored_event(conn, user_id, event_id)

    # -- reminders: which (event, occurrence start) were shown, so none is shown twice (migration 13) ---------
    def reminders_fired(self, user_id: str, since: str) -> set[tuple[str, str]]:
        """The reminders shown to the user for occurrences starting at or after `since`."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT event_id, start FROM calendar_reminders_fired WHERE user_id = ? AND start >= ?",
                (user_id, since),
            ).all()
        return {(str(e), str(s)) for e, s in rows}

    def mark_reminders_fired(self, user_id: str, keys: Iterable[tuple[str, str]], fired_at: str) -> None:
        # Only while the event is still the user's: a look that read the store before logout's wipe and writes
        # after it would otherwise leave a row of the user behind (seen once in a full run). The wipe and this
        # insert are each one transaction, so either the wipe deletes the row or the row is never written.
        rows = [(user_id, event_id, start, fired_at, user_id, event_id) for event_id, start in keys]
        if not rows:
            return
        with self.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT OR IGNORE INTO calendar_reminders_fired (user_id, event_id, start, fired_at) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM calendar_events WHERE user_id = ? AND id = ?)",
                rows,
            )
