"""新增日程 and 编辑, Qt-free: the sheet's form (what the user typed, kept as typed), its checks with Chinese
messages by field, the whole event it becomes for `calendar.event.save` (docs/calendar.md), and deleting one
occurrence of a series as an exception on its original day.

A form is a flat dict of strings and booleans, as the sheet's fields hold them:
title, allDay, startDate, startTime, endDate, endTime, place, note, reminder (a key of REMINDERS), repeat
(none | daily | weekly), repeatEnd (until | count), repeatUntil, repeatCount; and, when editing, eventId,
version and exceptions (the series' saved exceptions, sent back unchanged)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from campus_common.ops import MAX_EVENT_NOTE, MAX_EVENT_TITLE

# The campus's one offset (Asia/Shanghai has had no daylight saving since 1991): what payload times carry.
CAMPUS_TZ = timezone(timedelta(hours=8))
MAX_DURATION = timedelta(days=31)  # the server's limit, said here before the write is queued
MAX_PLACE = 64
MAX_COUNT = 1000

# The sheet's reminder choices, in order: key → minutes before the start (None: no reminder) and the label.
REMINDERS: dict[str, tuple[int | None, str]] = {
    "none": (None, "无"),
    "0": (0, "开始时"),
    "5": (5, "5分钟前"),
    "15": (15, "15分钟前"),
    "30": (30, "30分钟前"),
    "60": (60, "1小时前"),
    "1440": (1440, "1天前"),
}
REPEATS = {"none": "不重复", "daily": "每天", "weekly": "每周"}
REPEAT_ENDS = {"until": "截止日期", "count": "重复次数"}
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _next_hour(now: datetime) -> time:
    hour = min(now.hour + 1, 22)
    return time(hour, 0)


def blank_form(day: date, now: datetime) -> dict[str, Any]:
    """新增日程 on `day`: today from the next full hour, another day from 09:00, for an hour, no repetition."""
    start = _next_hour(now) if day == now.date() else time(9, 0)
    end = time(start.hour + 1, start.minute)
    return {
        "eventId": "",
        "version": 0,
        "exceptions": [],
        "title": "",
        "allDay": False,
        "startDate": day.isoformat(),
        "startTime": f"{start:%H:%M}",
        "endDate": day.isoformat(),
        "endTime": f"{end:%H:%M}",
        "place": "",
        "note": "",
        "reminder": "15",
        "repeat": "none",
        "repeatEnd": "count",
        "repeatUntil": (day + timedelta(days=28)).isoformat(),
        "repeatCount": "10",
    }


def _split(moment: str, all_day: bool) -> tuple[str, str]:
    """A payload time → (date, clock) as the form shows it, in campus time."""
    if all_day or len(moment) <= 10:
        return moment[:10], ""
    parsed = datetime.fromisoformat(moment).astimezone(CAMPUS_TZ)
    return parsed.date().isoformat(), f"{parsed:%H:%M}"


def form_from_event(event: dict[str, Any]) -> dict[str, Any]:
    """编辑: the form of a stored personal event (the series' first occurrence, its rule and its exceptions)."""
    all_day = bool(event.get("all_day"))
    start_date, start_time = _split(str(event["start"]), all_day)
    end_date, end_time = _split(str(event["end"]), all_day)
    minutes = event.get("reminder_minutes")
    reminder = next((k for k, (m, _) in REMINDERS.items() if m == minutes), "none")
    repeat = event.get("repeat") or {}
    form = blank_form(date.fromisoformat(start_date), datetime.combine(date.min, time()))
    form.update(
        {
            "eventId": str(event.get("event_id") or ""),
            "version": int(event.get("version") or 0),
            "exceptions": list(event.get("exceptions") or []),
            "title": str(event.get("title") or ""),
            "allDay": all_day,
            "startDate": start_date,
            "startTime": start_time or "09:00",
            "endDate": end_date,
            "endTime": end_time or "10:00",
            "place": str(event.get("place") or ""),
            "note": str(event.get("note") or ""),
            "reminder": reminder,
            "repeat": repeat.get("freq") if repeat.get("freq") in REPEATS else "none",
        }
    )
    if repeat.get("until"):
        form["repeatEnd"], form["repeatUntil"] = "until", str(repeat["until"])
    elif repeat.get("count"):
        form["repeatEnd"], form["repeatCount"] = "count", str(repeat["count"])
    return form


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if len(str(value)) == 10 else None
    except ValueError:
        return None


def _moment(day: date, clock: Any) -> datetime | None:
    match = _CLOCK.match(str(clock or ""))
    if match is None:
        return None
    return datetime.combine(day, time(int(match[1]), int(match[2])), CAMPUS_TZ)


def check(form: dict[str, Any]) -> dict[str, str]:
    """What is wrong with the form, by field, in Chinese ({}: nothing). The server checks again and decides."""
    errors: dict[str, str] = {}
    title = str(form.get("title") or "").strip()
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > MAX_EVENT_TITLE:
        errors["title"] = f"标题不能超过 {MAX_EVENT_TITLE} 个字"
    if len(str(form.get("place") or "").strip()) > MAX_PLACE:
        errors["place"] = f"地点不能超过 {MAX_PLACE} 个字"
    if len(str(form.get("note") or "")) > MAX_EVENT_NOTE:
        errors["note"] = f"备注不能超过 {MAX_EVENT_NOTE} 个字"
    all_day = bool(form.get("allDay"))
    start_day, end_day = _date(form.get("startDate")), _date(form.get("endDate"))
    if start_day is None:
        errors["startDate"] = "请选择开始日期"
    if end_day is None:
        errors["endDate"] = "请选择结束日期"
    span: tuple[datetime, datetime] | None = None
    if start_day is not None and end_day is not None:
        if all_day:
            span = (
                datetime.combine(start_day, time(), CAMPUS_TZ),
                datetime.combine(end_day + timedelta(days=1), time(), CAMPUS_TZ),
            )
        else:
            start, end = _moment(start_day, form.get("startTime")), _moment(end_day, form.get("endTime"))
            if start is None:
                errors["startTime"] = "请选择开始时间"
            if end is None:
                errors["endTime"] = "请选择结束时间"
            if start is not None and end is not None:
                span = (start, end)
    if span is not None:
        start, end = span
        if end <= start:
            # All day, the span has at least the start's day: ending on it is fine, ending before it is not.
            errors["end"] = "结束时间不能早于开始时间" if end < start or all_day else "结束时间须晚于开始时间"
        elif end - start > MAX_DURATION:
            errors["end"] = "一个日程不能超过 31 天"
    repeat = form.get("repeat") or "none"
    if repeat not in REPEATS:
        errors["repeat"] = "请选择重复方式"
    elif repeat != "none":
        if span is not None and "end" not in errors:
            period = timedelta(days=1 if repeat == "daily" else 7)
            if span[1] - span[0] > period:
                errors["end"] = "日程比重复的间隔还长"
        if form.get("repeatEnd") == "until":
            until = _date(form.get("repeatUntil"))
            if until is None:
                errors["repeatUntil"] = "请选择重复截止日期"
            elif start_day is not None and until < start_day:
                errors["repeatUntil"] = "重复截止日期不能早于开始日期"
        else:
            count = str(form.get("repeatCount") or "").strip()
            if not count.isdigit() or not 1 <= int(count) <= MAX_COUNT:
                errors["repeatCount"] = f"重复次数须为 1–{MAX_COUNT}"
    if form.get("reminder", "none") not in REMINDERS:
        errors["reminder"] = "请选择提醒"
    return errors


def _payload_time(day: date, clock: Any, all_day: bool) -> str:
    if all_day:
        return day.isoformat()
    moment = _moment(day, clock)
    assert moment is not None  # check() passed
    return moment.isoformat()


def to_event(form: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The whole event a checked form becomes (the fields of `calendar.event.save` but base_version)."""
    all_day = bool(form.get("allDay"))
    start_day, end_day = _date(form["startDate"]), _date(form["endDate"])
    assert start_day is not None and end_day is not None  # check() passed
    repeat: dict[str, Any] | None = None
    if form.get("repeat") in ("daily", "weekly"):
        repeat = {"freq": form["repeat"], "interval": 1}
        if form.get("repeatEnd") == "until":
            repeat["until"] = str(form["repeatUntil"])
        else:
            repeat["count"] = int(str(form["repeatCount"]).strip())
    exceptions = list(form.get("exceptions") or [])
    if repeat is None:
        exceptions = []  # a single event has no occurrences to except
    return {
        "event_id": event_id,
        "title": str(form["title"]).strip(),
        "all_day": all_day,
        "start": _payload_time(start_day, form.get("startTime"), all_day),
        "end": _payload_time(end_day, form.get("endTime"), all_day),
        "place": str(form.get("place") or "").strip(),
        "note": str(form.get("note") or ""),
        "reminder_minutes": REMINDERS[str(form.get("reminder", "none"))][0],
        "repeat": repeat,
        "exceptions": exceptions,
    }


def original_day(event: dict[str, Any], occurrence_start: str) -> str:
    """The day the series put an occurrence on (an exception's key): a moved occurrence's original day is the
    exception that moved it there; any other's is its own start's day."""
    for exception in event.get("exceptions") or []:
        if not exception.get("deleted") and str(exception.get("start")) == occurrence_start:
            return str(exception["date"])
    return occurrence_start[:10]


def without_occurrence(event: dict[str, Any], occurrence_start: str) -> dict[str, Any]:
    """The series with one occurrence deleted (an exception on its original day, replacing any move)."""
    day = original_day(event, occurrence_start)
    exceptions = [e for e in event.get("exceptions") or [] if str(e.get("date")) != day]
    exceptions.append({"date": day, "deleted": True})
    fields = ("event_id", "title", "all_day", "start", "end", "place", "note", "reminder_minutes", "repeat")
    return {**{k: event.get(k) for k in fields}, "exceptions": sorted(exceptions, key=lambda e: str(e["date"]))}


def editable(occurrence: dict[str, Any], user_id: str | None) -> bool:
    """Only the user's own 个人日程 can be edited: meetings and courses are published by others."""
    return user_id is not None and occurrence.get("kind") == "personal" and bool(occurrence.get("event_id"))


class RefusalWatch:
    """The user's calendar writes the server refused (`calendar_conflict`: changed on another terminal
    meanwhile), each said once with the event's title: a write's latest state went from pending to rejected
    between two reads of the outbox (`store.op_states(user, "calendar:")`)."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}  # entity → title, while its write is on its way
        self._states: dict[str, dict[str, Any]] = {}

    def queued(self, event_id: str, title: str) -> None:
        self._titles[entity(event_id)] = title

    def news(self, states: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
        out = []
        for key, state in states.items():
            was = self._states.get(key, {}).get("status")
            if state.get("status") == "rejected" and (was == "pending" or (was is None and key in self._titles)):
                out.append((self._titles.get(key, ""), str(state.get("error") or "")))
            if state.get("status") != "pending":
                self._titles.pop(key, None)
        self._states = dict(states)
        return out

    def forget(self) -> None:
        self._titles.clear()
        self._states = {}


def entity(event_id: str) -> str:
    """The outbox entity of a personal event's writes (their states are read by this prefix)."""
    return f"calendar:{event_id}"
