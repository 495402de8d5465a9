"""日程中心's reminders, Qt-free: which are due now and when the next one is, from the local store
(docs/calendar.md#reminders). Each (event, occurrence start) is shown once, at start − reminder_minutes; one that
fell due while the app was closed is shown at the next look if its occurrence has not ended; what was shown is
kept in the store (migration 13), so a restart repeats none. `now` is always passed in: the caller's clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.services import campus_time

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

# How far back and ahead to read: an occurrence lasts at most 31 days (so one that began this long ago may not
# have ended), and a reminder comes at most four weeks before its start (op_payloads.MAX_REMINDER_MINUTES).
LOOK_BACK = timedelta(days=32)
LOOK_AHEAD = timedelta(days=29)


# A reminder's "when", in each interface language: 16:30 开始 / 全天, with the day when it is not the reminder's.
WHEN_TEXTS: dict[str, dict[str, str]] = {
    "zh_CN": {"all_day": "全天", "clock": "{clock} 开始", "on_day": "{month}月{day}日 {when}"},
    "en_US": {"all_day": "All day", "clock": "Starts at {clock}", "on_day": "{weekday} {day} {month_name}, {when}"},
}
TITLE_TEXTS = {"zh_CN": "日程提醒：{title}", "en_US": "Reminder: {title}"}
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Reminder:
    event_id: str
    start: str  # the occurrence's, as stored (its identity with event_id)
    at: datetime  # when to show it
    title: str
    place: str
    all_day: bool = False
    other_day: bool = False  # the occurrence is on another day than the reminder: say which

    @property
    def key(self) -> tuple[str, str]:
        return (self.event_id, self.start)

    @property
    def when(self) -> str:
        return self.when_text("zh_CN")

    def when_text(self, language: str) -> str:
        """16:30 开始 / 全天 / 12月10日 全天 — or Starts at 16:30 / All day / Thu 10 Dec, All day."""
        texts = WHEN_TEXTS.get(language, WHEN_TEXTS["zh_CN"])
        start = _moment(self.start, self.all_day)
        when = texts["all_day"] if self.all_day else texts["clock"].format(clock=f"{start:%H:%M}")
        if not self.other_day:
            return when
        return texts["on_day"].format(
            month=start.month,
            day=start.day,
            when=when,
            weekday=_WEEKDAYS_EN[start.weekday()],
            month_name=_MONTHS_EN[start.month - 1],
        )

    def texts(self, language: str) -> tuple[str, str]:
        """(title, body) as the banner's card and the desk's tray say them: 日程提醒：组会, 16:30 开始 · 信息楼402."""
        title = TITLE_TEXTS.get(language, TITLE_TEXTS["zh_CN"]).format(title=self.title)
        return title, " · ".join(part for part in (self.when_text(language), self.place) if part)


@dataclass
class Plan:
    due: list[Reminder] = field(default_factory=list)  # to show now, soonest first
    next_at: datetime | None = None  # the next one after now, if any


def _moment(value: str, all_day: bool, *, end: bool = False) -> datetime:
    if all_day or len(value) <= 10:
        day = date.fromisoformat(value[:10]) + timedelta(days=1 if end else 0)  # an all-day end is inclusive
        return datetime.combine(day, time(), campus_time.zone())
    return datetime.fromisoformat(value)


def reminder_of(occurrence: dict[str, Any]) -> Reminder | None:
    minutes = occurrence.get("reminder_minutes")
    if minutes is None or isinstance(minutes, bool):
        return None
    all_day = bool(occurrence.get("all_day"))
    start = _moment(str(occurrence["start"]), all_day)
    at = start - timedelta(minutes=int(minutes))
    return Reminder(
        event_id=str(occurrence["id"]),
        start=str(occurrence["start"]),
        at=at,
        title=str(occurrence.get("title") or ""),
        place=str(occurrence.get("place") or ""),
        all_day=all_day,
        other_day=start.date() != at.date(),
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
    now = now.astimezone(campus_time.zone())
    first, last = (now - LOOK_BACK).date().isoformat(), (now + LOOK_AHEAD).date().isoformat()
    occurrences = store.calendar_between(user_id, first, last)
    result = plan(occurrences, store.reminders_fired(user_id, first), now)
    store.mark_reminders_fired(user_id, [r.key for r in result.due], now.isoformat())
    return result


def campus_now() -> datetime:
    return campus_time.now()
