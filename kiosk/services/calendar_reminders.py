"""日程中心's reminders, Qt-free: which are due now and when the next one is, from the local store
(docs/calendar.md#reminders). Each (event, occurrence start) is shown once, at start − reminder_minutes; one that
fell due while the app was closed is shown at the next look if its occurrence has not ended; what was shown is
kept in the store (migration 13), so a restart repeats none. `now` is always passed in: the caller's clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.services.calendar_edit import CAMPUS_TZ

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

# How far back and ahead to read: an occurrence lasts at most 31 days (so one that began this long ago may not
# have ended), and a reminder comes at most four weeks before its start (op_payloads.MAX_REMINDER_MINUTES).
LOOK_BACK = timedelta(days=32)
LOOK_AHEAD = timedelta(days=29)


@dataclass(frozen=True)
class Reminder:
    event_id: str
    start: str  # the occurrence's, as stored (its identity with event_id)
    at: datetime  # when to show it
    title: str
    place: str
    when: str  # 16:30 开始 / 全天, in the occurrence's own words

    @property
    def key(self) -> tuple[str, str]:
        return (self.event_id, self.start)


@dataclass
class Plan:
    due: list[Reminder] = field(default_factory=list)  # to show now, soonest first
    next_at: datetime | None = None  # the next one after now, if any


def _moment(value: str, all_day: bool, *, end: bool = False) -> datetime:
    if all_day or len(value) <= 10:
        day = date.fromisoformat(value[:10]) + timedelta(days=1 if end else 0)  # an all-day end is inclusive
        return datetime.combine(day, time(), CAMPUS_TZ)
    return datetime.fromisoformat(value)


def reminder_of(occurrence: dict[str, Any]) -> Reminder | None:
    minutes = occurrence.get("reminder_minutes")
    if minutes is None or isinstance(minutes, bool):
        return None
    all_day = bool(occurrence.get("all_day"))
    start = _moment(str(occurrence["start"]), all_day)
    when = "全天" if all_day else f"{start:%H:%M} 开始"
    if start.date() != (start - timedelta(minutes=int(minutes))).date():
        when = f"{start.month}月{start.day}日 {when}"
    return Reminder(
        event_id=str(occurrence["id"]),
        start=str(occurrence["start"]),
        at=start - timedelta(minutes=int(minutes)),
        title=str(occurrence.get("title") or ""),
        place=str(occurrence.get("place") or ""),
        when=when,
    )


def plan(occurrences: list[dict[str, Any]], fired: set[tuple[str, str]], now: datetime) -> Plan:
    """From the occurrences around `now`: the unshown reminders due (their occurrence not over) and the next."""
    out = Plan()
    for occurrence in occurrences:
        reminder = reminder_of(occurrence)
        if reminder is None or reminder.key in fired:
            continue
        if reminder.at <= now:
            if _moment(str(occurrence["end"]), bool(occurrence.get("all_day")), end=True) > now:
                out.due.append(reminder)
        elif out.next_at is None or reminder.at < out.next_at:
            out.next_at = reminder.at
    out.due.sort(key=lambda r: (r.at, r.start, r.event_id))
    return out


def look(store: LocalStore, user_id: str, now: datetime) -> Plan:
    """Read the store around `now`, and mark the due reminders shown (in the same call: whoever looks shows
    them, so two looks never show one twice)."""
    now = now.astimezone(CAMPUS_TZ)
    first, last = (now - LOOK_BACK).date().isoformat(), (now + LOOK_AHEAD).date().isoformat()
    occurrences = store.calendar_between(user_id, first, last)
    result = plan(occurrences, store.reminders_fired(user_id, first), now)
    store.mark_reminders_fired(user_id, [r.key for r in result.due], now.isoformat())
    return result


def campus_now() -> datetime:
    return datetime.now(CAMPUS_TZ)
