"""iCalendar: a user's subscription feed (a secret token in the URL, created and revoked by the user) and the
import of personal events from an .ics file. Built and read with the `icalendar` library; recurrences stay
RRULE/EXDATE/RECURRENCE-ID where 个人日程 can hold them, and rules it cannot are expanded by
`recurring-ical-events` into single events."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core import calendar_personal as personal
from sync_server.core import clock
from sync_server.core.calendar import user_calendar
from sync_server.core.clock import CAMPUS_TZ, as_utc
from sync_server.core.errors import DomainError, Invalid, NotFound
from sync_server.models import CalendarFeedToken, PersonalEvent, User

PRODID = "-//Campus Kiosk//日程中心//ZH"
UID_DOMAIN = "campus-kiosk"
FEED_PAST = timedelta(days=180)  # courses and meetings this far back and FEED_AHEAD ahead are in the feed
FEED_AHEAD = timedelta(days=210)  # (together within the read window, core/calendar.py MAX_WINDOW)
MAX_IMPORT_EVENTS = 500
EXPANDED_AHEAD = timedelta(days=365)  # an unsupported rule's occurrences imported as single events, this far


# -- feed tokens ------------------------------------------------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_token(session: Session, user: User) -> str:
    """A new secret for the user's feed; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    row = session.get(CalendarFeedToken, user.user_id)
    if row is None:
        session.add(CalendarFeedToken(user_id=user.user_id, token_hash=_digest(token), created_at=clock.now()))
    else:
        row.token_hash, row.created_at = _digest(token), clock.now()
    return token


def revoke_feed_token(session: Session, user: User) -> bool:
    row = session.get(CalendarFeedToken, user.user_id)
    if row is not None:
        session.delete(row)
    return row is not None


def feed_user(session: Session, token: str) -> User:
    row = None
    if 0 < len(token) <= 128:
        row = session.scalars(select(CalendarFeedToken).where(CalendarFeedToken.token_hash == _digest(token))).first()
    user = session.get(User, row.user_id) if row is not None else None
    if user is None:
        raise NotFound("feed_not_found", "日历订阅地址无效或已停用")
    return user


# -- export -----------------------------------------------------------------------------------------------------
def _alarm(minutes: int) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "日程提醒")
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _personal_vevents(event: PersonalEvent, stamp: datetime) -> list[Any]:
    start = as_utc(event.start).astimezone(CAMPUS_TZ)
    end = as_utc(event.end).astimezone(CAMPUS_TZ)

    def when(moment: datetime) -> date | datetime:
        return moment.date() if event.all_day else moment

    def base(uid: str) -> Any:
        vevent = icalendar.Event()
        vevent.add("uid", uid)
        vevent.add("dtstamp", stamp)
        vevent.add("summary", event.title)
        if event.place:
            vevent.add("location", event.place)
        if event.note:
            vevent.add("description", event.note)
        vevent.add("x-campus-kind", "personal")
        if event.reminder_minutes is not None:
            vevent.add_component(_alarm(event.reminder_minutes))
        return vevent

    uid = f"{event.id}@{UID_DOMAIN}"
    master = base(uid)
    master.add("dtstart", when(start))
    master.add("dtend", when(end))
    master.add("sequence", event.version)
    out = [master]
    if event.repeat:
        rule: dict[str, Any] = {"freq": event.repeat["freq"].upper()}
        if event.repeat.get("interval", 1) != 1:
            rule["interval"] = event.repeat["interval"]
        if event.repeat.get("until"):
            until = date.fromisoformat(event.repeat["until"])
            rule["until"] = (
                until if event.all_day else datetime.combine(until, time(23, 59, 59), CAMPUS_TZ).astimezone(UTC)
            )
        elif event.repeat.get("count"):
            rule["count"] = event.repeat["count"]
        master.add("rrule", rule)
        for exception in event.exceptions or []:
            day = date.fromisoformat(exception["date"])
            original = day if event.all_day else datetime.combine(day, start.timetz())
            if exception.get("deleted"):
                master.add("exdate", original)
                continue
            moved_start, moved_end = personal.parse_span(exception, event.all_day)
            override = base(uid)
            override.add("recurrence-id", original)
            override.add("dtstart", when(moved_start))
            override.add("dtend", when(moved_end))
            override.add("sequence", event.version)
            out.append(override)
    return out


def export_calendar(session: Session, user: User, *, now: datetime | None = None) -> bytes:
    """The user's calendar as iCalendar: personal events as series (RRULE, EXDATE, RECURRENCE-ID), courses and
    meetings as single events from FEED_PAST ago to FEED_AHEAD ahead, times in Asia/Shanghai with its VTIMEZONE."""
    now = now or clock.now()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{user.name}的日程")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for row in personal.user_events(session, user.user_id):
        for vevent in _personal_vevents(row, now):
            cal.add_component(vevent)
    for item in user_calendar(session, user, now - FEED_PAST, now + FEED_AHEAD, ("course", "meeting")):
        vevent = icalendar.Event()
        vevent.add("uid", f"{item['id'].replace(':', '-')}-{item['start'][:10]}@{UID_DOMAIN}")
        vevent.add("dtstamp", now)
        vevent.add("summary", item["title"])
        vevent.add("dtstart", datetime.fromisoformat(item["start"]).astimezone(CAMPUS_TZ))
        vevent.add("dtend", datetime.fromisoformat(item["end"]).astimezone(CAMPUS_TZ))
        if item.get("place"):
            vevent.add("location", item["place"])
        who = item.get("teacher") or item.get("host")
        if who:
            vevent.add("description", ("教师：" if item["kind"] == "course" else "主持：") + who)
        vevent.add("categories", ["课程" if item["kind"] == "course" else "会议"])
        vevent.add("x-campus-kind", item["kind"])
        if item.get("reminder_minutes") is not None:
            vevent.add_component(_alarm(item["reminder_minutes"]))
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


# -- import -----------------------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"uid", "reason"}


def _clean(value: Any, limit: int) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _as_campus(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        return (value.replace(tzinfo=CAMPUS_TZ) if value.tzinfo is None else value).astimezone(CAMPUS_TZ)
    return value


def _span_of(vevent: Any) -> tuple[date | datetime, date | datetime]:
    start = _as_campus(vevent.decoded("dtstart"))
    if "dtend" in vevent:
        end = _as_campus(vevent.decoded("dtend"))
    elif "duration" in vevent:
        end = start + vevent.decoded("duration")
    else:
        end = start + (timedelta(days=1) if not isinstance(start, datetime) else timedelta(0))
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise ValueError("DTSTART 与 DTEND 类型不一致")
    return start, end


def _text(moment: date | datetime, all_day: bool, *, end: bool = False) -> str:
    if all_day:
        day = moment if not isinstance(moment, datetime) else moment.date()
        return (day - timedelta(days=1) if end else day).isoformat()
    assert isinstance(moment, datetime)
    return moment.isoformat()


def _reminder(vevent: Any) -> int | None:
    for alarm in vevent.walk("VALARM"):
        trigger = alarm.decoded("trigger") if "trigger" in alarm else None
        if isinstance(trigger, timedelta) and trigger <= timedelta(0):
            return min(int(-trigger.total_seconds() // 60), 40320)
    return None


def _repeat(vevent: Any, start: date | datetime) -> dict[str, Any] | None:
    """The RRULE as 个人日程's repeat, or ValueError when it holds more than a daily or weekly rule can."""
    if "rrule" not in vevent:
        return None
    rule = vevent["rrule"]
    keys = set(rule) - {"FREQ", "INTERVAL", "UNTIL", "COUNT", "WKST", "BYDAY"}
    freq = str(rule.get("FREQ", [""])[0]).lower()
    if keys or freq not in ("daily", "weekly"):
        raise ValueError(f"重复规则 {vevent['rrule'].to_ical().decode()} 不受支持")
    if "BYDAY" in rule:
        weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start.weekday()]
        if freq != "weekly" or [str(d) for d in rule["BYDAY"]] != [weekday]:
            raise ValueError("按多个星期几重复的规则不受支持")
    repeat: dict[str, Any] = {"freq": freq}
    interval = int(rule.get("INTERVAL", [1])[0])
    if interval != 1:
        repeat["interval"] = interval
    if "UNTIL" in rule:
        until = _as_campus(rule["UNTIL"][0])
        repeat["until"] = (until.date() if isinstance(until, datetime) else until).isoformat()
    elif "COUNT" in rule:
        repeat["count"] = int(rule["COUNT"][0])
    return repeat


def _payload(vevent: Any, event_id: str) -> dict[str, Any]:
    start, end = _span_of(vevent)
    all_day = not isinstance(start, datetime)
    return {
        "event_id": event_id,
        "title": _clean(vevent.get("summary"), 128) or "（无标题）",
        "all_day": all_day,
        "start": _text(start, all_day),
        "end": _text(end, all_day, end=True),
        "place": _clean(vevent.get("location"), 64),
        "note": _clean(vevent.get("description"), 2000),
        "reminder_minutes": _reminder(vevent),
        "repeat": _repeat(vevent, start),
    }


def _exceptions(master: Any, overrides: list[Any], all_day: bool) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    exdates = master.get("exdate") or []
    for group in exdates if isinstance(exdates, list) else [exdates]:
        for item in group.dts:
            day = _as_campus(item.dt)
            key = (day.date() if isinstance(day, datetime) else day).isoformat()
            out[key] = {"date": key, "deleted": True}
    for override in overrides:
        original = _as_campus(override.decoded("recurrence-id"))
        key = (original.date() if isinstance(original, datetime) else original).isoformat()
        if str(override.get("status", "")).upper() == "CANCELLED":
            out[key] = {"date": key, "deleted": True}
            continue
        start, end = _span_of(override)
        out[key] = {"date": key, "start": _text(start, all_day), "end": _text(end, all_day, end=True)}
    return [out[k] for k in sorted(out)]


def _save(session: Session, user: User, payload: dict[str, Any], report: ImportReport) -> None:
    existing = session.get(PersonalEvent, payload["event_id"])
    if existing is not None and existing.user_id == user.user_id:
        payload["base_version"] = existing.version
        report.updated += 1
    else:
        report.created += 1
    personal.save(session, user, payload)


def import_ics(session: Session, user: User, data: bytes) -> ImportReport:
    """Import the VEVENTs of `data` as the user's personal events (in the caller's transaction). An event keeps
    its identity across imports (derived from its UID), so importing a file again updates what it created.
    Courses and meetings of a campus feed are skipped: the school delivers those."""
    try:
        cal = icalendar.Calendar.from_ical(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, IndexError, KeyError) as exc:
        raise Invalid("invalid_ics", "不是有效的 iCalendar（.ics）文件") from exc
    by_uid: dict[str, list[Any]] = {}
    for vevent in cal.walk("VEVENT"):
        by_uid.setdefault(_clean(vevent.get("uid"), 255) or uuid.uuid4().hex, []).append(vevent)
    if len(by_uid) > MAX_IMPORT_EVENTS:
        raise Invalid("invalid_ics", f"一次最多导入 {MAX_IMPORT_EVENTS} 个日程")
    report = ImportReport()
    for uid, vevents in by_uid.items():
        masters = [v for v in vevents if "recurrence-id" not in v]
        overrides = [v for v in vevents if "recurrence-id" in v]
        if not masters or str(masters[0].get("x-campus-kind", "personal")) in ("course", "meeting"):
            report.skipped.append(
                {"uid": uid, "reason": "不是个人日程（课程、会议由学校发布）" if masters else "缺少主事件"}
            )
            continue
        event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{user.user_id}:{uid}"))
        try:
            with session.begin_nested():
                payload = _payload(masters[0], event_id)
                payload["exceptions"] = _exceptions(masters[0], overrides, payload["all_day"])
                _save(session, user, payload, report)
        except ValueError as exc:
            try:
                _import_expanded(session, user, cal, uid, report)
            except (ValueError, DomainError) as inner:
                report.skipped.append({"uid": uid, "reason": str(getattr(inner, "message", inner)) or str(exc)})
        except DomainError as exc:
            report.skipped.append({"uid": uid, "reason": exc.message})
        except (KeyError, TypeError) as exc:
            report.skipped.append({"uid": uid, "reason": f"事件不完整：{exc}"})
    return report


def _import_expanded(session: Session, user: User, cal: icalendar.Calendar, uid: str, report: ImportReport) -> None:
    """A series whose rule 个人日程 cannot hold: its occurrences of the coming year, as single events."""
    now = clock.now().astimezone(CAMPUS_TZ)
    found = [
        v
        for v in recurring_ical_events.of(cal).between(now - timedelta(days=1), now + EXPANDED_AHEAD)
        if _clean(v.get("uid"), 255) == uid
    ][:MAX_IMPORT_EVENTS]
    if not found:
        raise ValueError("该重复日程在未来一年内没有日期")
    with session.begin_nested():
        for vevent in found:
            start, _ = _span_of(vevent)
            event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{user.user_id}:{uid}:{start.isoformat()}"))
            payload = _payload(_without_rule(vevent), event_id)
            _save(session, user, payload, report)


def _without_rule(vevent: Any) -> Any:
    for key in ("rrule", "rdate", "exdate", "recurrence-id"):
        vevent.pop(key, None)
    return vevent
