"""个人日程: a user's own events, created, edited and deleted through the outbox (`calendar.event.save`,
`calendar.event.delete`) or imported from .ics. A series repeats daily or weekly with an end date or a count, and
keeps its exceptions (one occurrence moved or deleted). Expansion is dateutil.rrule's.

Conflict rule: every applied save or delete raises the event's version by one, and a terminal sends the version
its edit was made on. An edit made on a version the server no longer has (the event was changed meanwhile on
another terminal) is refused as `calendar_conflict`, with the server's current event, and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import DAILY, WEEKLY, rrule
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core import calendar_changes as changes
from sync_server.core import clock
from sync_server.core.clock import CAMPUS_TZ, as_utc
from sync_server.core.errors import Conflict, Invalid, NotFound
from sync_server.models import PersonalEvent, User

MAX_DURATION = timedelta(days=31)
# What one change carries: a series' occurrences up to this long after its start or last save (whichever is
# later), at most MAX_SYNCED of them. The series itself (repeat, exceptions) is in the change too.
SYNC_HORIZON = timedelta(days=730)
MAX_SYNCED = 1000
_FREQ = {"daily": DAILY, "weekly": WEEKLY}


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, campus time
    end: datetime
    original: date  # the day the series put it on (the key of its exception)
    moved: bool = False


def _bad(field: str, reason: str) -> Invalid:
    return Invalid("invalid_event", f"日程{reason}", fields={field: reason})


def parse_time(value: str, field: str, *, all_day: bool) -> datetime:
    """A payload time → aware datetime. All day: a date, taken as that day's campus midnight."""
    if all_day:
        try:
            return datetime.combine(date.fromisoformat(value), time(), CAMPUS_TZ)
        except ValueError as exc:
            raise _bad(field, "日期不正确（YYYY-MM-DD）") from exc
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _bad(field, "时间不正确") from exc
    if moment.tzinfo is None or len(value) <= 10:
        raise _bad(field, "时间须带时区（RFC 3339）")
    return moment.astimezone(CAMPUS_TZ)


def parse_span(payload: dict[str, Any], all_day: bool, prefix: str = "") -> tuple[datetime, datetime]:
    start = parse_time(str(payload["start"]), prefix + "start", all_day=all_day)
    end = parse_time(str(payload["end"]), prefix + "end", all_day=all_day)
    if all_day:
        end += timedelta(days=1)  # the last day is inclusive in payloads, exclusive when stored
    if end <= start:
        raise _bad(prefix + "end", "结束时间须晚于开始时间")
    if end - start > MAX_DURATION:
        raise _bad(prefix + "end", "不能超过 31 天")
    return start, end


def _rule(event: PersonalEvent) -> rrule | None:
    repeat = event.repeat
    if not repeat:
        return None
    start = as_utc(event.start).astimezone(CAMPUS_TZ)
    until = None
    if repeat.get("until"):
        until = datetime.combine(date.fromisoformat(repeat["until"]), time(23, 59, 59), CAMPUS_TZ)
    return rrule(
        _FREQ[repeat["freq"]],
        dtstart=start,
        interval=int(repeat.get("interval") or 1),
        until=until,
        count=repeat.get("count") if not until else None,
    )


def occurrences(event: PersonalEvent, start: datetime, end: datetime, limit: int = MAX_SYNCED) -> list[Occurrence]:
    """The event's occurrences that overlap [start, end), exceptions applied, at most `limit`."""
    first = as_utc(event.start).astimezone(CAMPUS_TZ)
    length = as_utc(event.end) - as_utc(event.start)
    exceptions = {e["date"]: e for e in event.exceptions or []}
    rule = _rule(event)
    starts = [first] if rule is None else rule.between(start - length - MAX_DURATION, end, inc=True)
    out: list[Occurrence] = []
    for s in starts:
        original = s.date()
        exception = exceptions.get(original.isoformat())
        if exception is None:
            occ = Occurrence(s, s + length, original)
        elif exception.get("deleted"):
            continue
        else:
            a, b = parse_span(exception, event.all_day)
            occ = Occurrence(a, b, original, moved=True)
        if occ.start < end and occ.end > start:
            out.append(occ)
            if len(out) >= limit:
                break
    # A moved occurrence may land outside the window its original day was in, and inside another.
    for key, exception in exceptions.items():
        if exception.get("deleted") or any(o.original.isoformat() == key for o in out):
            continue
        a, b = parse_span(exception, event.all_day)
        if a < end and b > start and _has_day(event, rule, date.fromisoformat(key)):
            out.append(Occurrence(a, b, date.fromisoformat(key), moved=True))
    return sorted(out, key=lambda o: o.start)


def _has_day(event: PersonalEvent, rule: rrule | None, day: date) -> bool:
    first = as_utc(event.start).astimezone(CAMPUS_TZ)
    if rule is None:
        return day == first.date()
    moment = datetime.combine(day, first.timetz())
    return rule.after(moment - timedelta(seconds=1), inc=True) == moment


def occurrence_pair(event: PersonalEvent, occ: Occurrence) -> list[str]:
    if event.all_day:
        return changes.occurrence(occ.start.date(), (occ.end - timedelta(days=1)).date())
    return changes.occurrence(occ.start, occ.end)


def event_view(event: PersonalEvent) -> dict[str, Any]:
    """The "calendar_event" data of a personal event: the series as saved (what an edit starts from) and its
    occurrences up to the sync horizon."""
    start, end = as_utc(event.start).astimezone(CAMPUS_TZ), as_utc(event.end).astimezone(CAMPUS_TZ)
    horizon = max(start, as_utc(event.updated_at)) + SYNC_HORIZON
    occs = occurrences(event, start, horizon)
    if event.all_day:
        start_text, end_text = start.date().isoformat(), (end - timedelta(days=1)).date().isoformat()
    else:
        start_text, end_text = start.isoformat(), end.isoformat()
    return {
        "id": f"personal:{event.id}",
        "kind": "personal",
        "event_id": event.id,
        "version": event.version,
        "title": event.title,
        "all_day": event.all_day,
        "start": start_text,
        "end": end_text,
        "place": event.place,
        "note": event.note,
        "reminder_minutes": event.reminder_minutes,
        "repeat": event.repeat,
        "exceptions": event.exceptions or [],
        "occurrences": [occurrence_pair(event, o) for o in occs],
        "occurrences_until": changes.local_iso(horizon) if event.repeat else None,
        "updated_at": clock.iso(event.updated_at),
    }


def _apply_fields(event: PersonalEvent, payload: dict[str, Any]) -> None:
    all_day = bool(payload.get("all_day"))
    start, end = parse_span(payload, all_day)
    repeat = payload.get("repeat") or None
    if repeat is not None:
        repeat = {k: v for k, v in repeat.items() if v is not None}
        if repeat.get("until"):
            try:
                until = date.fromisoformat(repeat["until"])
            except ValueError as exc:
                raise _bad("repeat.until", "重复截止日期不正确") from exc
            if until < start.date():
                raise _bad("repeat.until", "重复截止日期早于开始日期")
        period = timedelta(days=int(repeat.get("interval") or 1) * (7 if repeat["freq"] == "weekly" else 1))
        if end - start > period:
            raise _bad("end", "比重复的间隔还长")
    title = payload["title"].strip()
    if not title:
        raise _bad("title", "标题不能为空")
    event.title = title
    # Stored as UTC: SQLite keeps a datetime's wall time and drops its offset.
    event.all_day, event.start, event.end = all_day, start.astimezone(UTC), end.astimezone(UTC)
    event.place = (payload.get("place") or "").strip()
    event.note = payload.get("note") or ""
    event.reminder_minutes = payload.get("reminder_minutes")
    event.repeat = repeat
    rule = _rule(event)
    exceptions: dict[str, dict[str, Any]] = {}
    for index, exception in enumerate(payload.get("exceptions") or []):
        try:
            day = date.fromisoformat(exception["date"])
        except ValueError as exc:
            raise _bad(f"exceptions.{index}.date", "日期不正确") from exc
        if not _has_day(event, rule, day):
            raise _bad(f"exceptions.{index}.date", f"在 {day} 没有这个日程")
        if not exception.get("deleted"):
            parse_span(exception, all_day, prefix=f"exceptions.{index}.")
        exceptions[day.isoformat()] = {k: v for k, v in exception.items() if v is not None}
    event.exceptions = [exceptions[k] for k in sorted(exceptions)]


def _conflict(event: PersonalEvent) -> Conflict:
    # The push records code, message and fields; the server's current event reaches the terminal by its pull.
    return Conflict(
        "calendar_conflict",
        "该日程已在其他设备上修改，本次修改未保存",
        fields={"base_version": f"服务器上的版本为 {event.version}"},
        current_version=event.version,
    )


def save(session: Session, user: User, payload: dict[str, Any], *, now: datetime | None = None) -> PersonalEvent:
    """Create (base_version null) or edit (base_version = the version the edit was made on) the user's event."""
    event_id = str(payload["event_id"]).lower()
    base = payload.get("base_version")
    event = session.get(PersonalEvent, event_id, with_for_update=True)
    if event is not None and event.user_id != user.user_id:
        raise NotFound("calendar_event_not_found", "没有这个日程")
    if event is None and base is not None:
        raise NotFound("calendar_event_not_found", "该日程已被删除")
    if event is not None and base != event.version:
        raise _conflict(event)
    created = event is None
    if event is None:
        event = PersonalEvent(id=event_id, user_id=user.user_id, version=0)
    _apply_fields(event, payload)
    event.version += 1
    event.updated_at = now or clock.now()
    if created:
        session.add(event)
    session.flush()
    data = event_view(event)
    changes.announce(session, data["id"], data, before=(), after=(user.user_id,), changed=True)
    return event


def save_op(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `calendar.event.save` operation."""
    event = save(session, user, payload)
    return {"event_id": event.id, "version": event.version}


def delete_op(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `calendar.event.delete` operation: an event already gone is no refusal (the user's intent holds)."""
    event = session.get(PersonalEvent, str(payload["event_id"]).lower(), with_for_update=True)
    if event is None or event.user_id != user.user_id:
        return {"event_id": payload["event_id"], "deleted": False}
    base = payload.get("base_version")
    if base is not None and base != event.version:
        raise _conflict(event)
    session.delete(event)
    changes.announce(session, f"personal:{event.id}", None, before=(user.user_id,), after=(), changed=False)
    return {"event_id": event.id, "deleted": True}


def user_events(session: Session, user_id: str) -> list[PersonalEvent]:
    return list(session.scalars(select(PersonalEvent).where(PersonalEvent.user_id == user_id)))
