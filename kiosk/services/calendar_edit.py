"""新增日程 and 编辑, Qt-free: the sheet's form (what the user typed, kept as typed), its checks with messages by
field (Chinese and English), the whole event it becomes for `calendar.event.save` (docs/calendar.md), and deleting one
occurrence of a series as an exception on its original day.

A form is a flat dict of strings and booleans, as the sheet's fields hold them:
title, allDay, startDate, startTime, endDate, endTime, place, note, reminder (a key of REMINDERS), repeat
(none | daily | weekly), repeatEnd (until | count), repeatUntil, repeatCount; and, when editing, eventId,
version and exceptions (the series' saved exceptions, sent back unchanged)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from campus_common.ops import MAX_EVENT_NOTE, MAX_EVENT_TITLE
from kiosk.services import campus_time

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

# What is wrong with a form, in each interface language, by code ({n}: a limit).
MESSAGES: dict[str, dict[str, str]] = {
    "title_missing": {"zh_CN": "请填写标题", "en_US": "Enter a title"},
    "title_long": {"zh_CN": "标题不能超过 {n} 个字", "en_US": "The title can have at most {n} characters"},
    "place_long": {"zh_CN": "地点不能超过 {n} 个字", "en_US": "The place can have at most {n} characters"},
    "note_long": {"zh_CN": "备注不能超过 {n} 个字", "en_US": "The note can have at most {n} characters"},
    "start_date_missing": {"zh_CN": "请选择开始日期", "en_US": "Choose a start date"},
    "end_date_missing": {"zh_CN": "请选择结束日期", "en_US": "Choose an end date"},
    "start_time_missing": {"zh_CN": "请选择开始时间", "en_US": "Choose a start time"},
    "end_time_missing": {"zh_CN": "请选择结束时间", "en_US": "Choose an end time"},
    "end_before_start": {"zh_CN": "结束时间不能早于开始时间", "en_US": "The end cannot be before the start"},
    "end_not_after_start": {"zh_CN": "结束时间须晚于开始时间", "en_US": "The end must be after the start"},
    "too_long": {"zh_CN": "一个日程不能超过 31 天", "en_US": "An event cannot last more than 31 days"},
    "longer_than_interval": {
        "zh_CN": "日程比重复的间隔还长",
        "en_US": "The event is longer than the time between its repetitions",
    },
    "repeat_missing": {"zh_CN": "请选择重复方式", "en_US": "Choose how it repeats"},
    "until_missing": {"zh_CN": "请选择重复截止日期", "en_US": "Choose the date the repetition ends"},
    "until_before_start": {
        "zh_CN": "重复截止日期不能早于开始日期",
        "en_US": "The repetition cannot end before the start date",
    },
    "count_range": {"zh_CN": "重复次数须为 1–{n}", "en_US": "The number of times must be 1–{n}"},
    "reminder_missing": {"zh_CN": "请选择提醒", "en_US": "Choose a reminder"},
    "occurrence_gone": {
        "zh_CN": "这一次已不在该日程中，请重新打开",
        "en_US": "This occurrence is no longer part of the event; open it again",
    },
    "store_not_ready": {
        "zh_CN": "本机存储尚未就绪，请稍后再试",
        "en_US": "This device's storage is not ready; try again",
    },
}
# Why the server refused a calendar write, by its stable code (docs/calendar.md); another code shows the
# server's own words.
REFUSALS: dict[str, dict[str, str]] = {
    "calendar_conflict": {
        "zh_CN": "该日程已在其他设备上修改，本次修改未保存",
        "en_US": "This event was changed on another device; this change was not saved",
    },
    "calendar_event_not_found": {"zh_CN": "该日程已不存在", "en_US": "This event no longer exists"},
}
_QUOTED = {"zh_CN": "“{title}”：{reason}", "en_US": "“{title}”: {reason}"}


def message(code: str, language: str = "zh_CN", **values: Any) -> str:
    texts = MESSAGES[code]
    return texts.get(language, texts["zh_CN"]).format(**values)


def refusal_text(title: str, code: str, server_words: str, language: str = "zh_CN") -> str:
    """A refused write as the page says it: “组会”：该日程已在其他设备上修改，本次修改未保存."""
    texts = REFUSALS.get(code)
    reason = texts.get(language, texts["zh_CN"]) if texts else server_words
    return _QUOTED.get(language, _QUOTED["zh_CN"]).format(title=title, reason=reason) if title else reason


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
    parsed = datetime.fromisoformat(moment).astimezone(campus_time.zone())
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
    return datetime.combine(day, time(int(match[1]), int(match[2])), campus_time.zone())


def check(form: dict[str, Any], language: str = "zh_CN") -> dict[str, str]:
    """What is wrong with the form, by field, in the interface's language ({}: nothing)."""
    return {field: message(code, language, **values) for field, (code, values) in problems(form).items()}


def problems(form: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """What is wrong with the form, by field: a code of MESSAGES and its values ({}: nothing). The server
    checks again and decides."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    title = str(form.get("title") or "").strip()
    if not title:
        errors["title"] = ("title_missing", {})
    elif len(title) > MAX_EVENT_TITLE:
        errors["title"] = ("title_long", {"n": MAX_EVENT_TITLE})
    if len(str(form.get("place") or "").strip()) > MAX_PLACE:
        errors["place"] = ("place_long", {"n": MAX_PLACE})
    if len(str(form.get("note") or "")) > MAX_EVENT_NOTE:
        errors["note"] = ("note_long", {"n": MAX_EVENT_NOTE})
    all_day = bool(form.get("allDay"))
    start_day, end_day = _date(form.get("startDate")), _date(form.get("endDate"))
    if start_day is None:
        errors["startDate"] = ("start_date_missing", {})
    if end_day is None:
        errors["endDate"] = ("end_date_missing", {})
    span: tuple[datetime, datetime] | None = None
    if start_day is not None and end_day is not None:
        if all_day:
            span = (
                datetime.combine(start_day, time(), campus_time.zone()),
                datetime.combine(end_day + timedelta(days=1), time(), campus_time.zone()),
            )
        else:
            start, end = _moment(start_day, form.get("startTime")), _moment(end_day, form.get("endTime"))
            if start is None:
                errors["startTime"] = ("start_time_missing", {})
            if end is None:
                errors["endTime"] = ("end_time_missing", {})
            if start is not None and end is not None:
                span = (start, end)
    if span is not None:
        start, end = span
        if end <= start:
            # All day, the span has at least the start's day: ending on it is fine, ending before it is not.
            errors["end"] = ("end_before_start" if end < start or all_day else "end_not_after_start", {})
        elif end - start > MAX_DURATION:
            errors["end"] = ("too_long", {})
    repeat = "none" if form.get("occurrenceOf") else form.get("repeat") or "none"  # one occurrence: its times only
    if repeat not in REPEATS:
        errors["repeat"] = ("repeat_missing", {})
    elif repeat != "none":
        if span is not None and "end" not in errors:
            period = timedelta(days=1 if repeat == "daily" else 7)
            if span[1] - span[0] > period:
                errors["end"] = ("longer_than_interval", {})
        if form.get("repeatEnd") == "until":
            until = _date(form.get("repeatUntil"))
            if until is None:
                errors["repeatUntil"] = ("until_missing", {})
            elif start_day is not None and until < start_day:
                errors["repeatUntil"] = ("until_before_start", {})
        else:
            count = str(form.get("repeatCount") or "").strip()
            if not count.isdigit() or not 1 <= int(count) <= MAX_COUNT:
                errors["repeatCount"] = ("count_range", {"n": MAX_COUNT})
    if form.get("reminder", "none") not in REMINDERS:
        errors["reminder"] = ("reminder_missing", {})
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


def occurrence_form(event: dict[str, Any], occurrence_start: str, occurrence_end: str) -> dict[str, Any]:
    """只修改这一次: the form of one occurrence of a series — the series' fields as they are (changed only by
    编辑整个日程) and this occurrence's start and end, to move; `occurrenceOf` is its original day (the key of the
    exception that will move it)."""
    form = form_from_event(event)
    all_day = bool(event.get("all_day"))
    form["startDate"], start_time = _split(occurrence_start, all_day)
    form["endDate"], end_time = _split(occurrence_end, all_day)
    form["startTime"], form["endTime"] = start_time or form["startTime"], end_time or form["endTime"]
    form["occurrenceOf"] = original_day(event, occurrence_start)
    return form


def _rule_span(event: dict[str, Any], day: str) -> tuple[str, str]:
    """Where the series itself puts its occurrence of `day` (no exception applied), as payload times."""
    all_day = bool(event.get("all_day"))
    first = date.fromisoformat(str(event["start"])[:10])
    if all_day:
        length = date.fromisoformat(str(event["end"])[:10]) - first
        on = date.fromisoformat(day)
        return on.isoformat(), (on + length).isoformat()
    start, end = datetime.fromisoformat(str(event["start"])), datetime.fromisoformat(str(event["end"]))
    moved = datetime.combine(date.fromisoformat(day), start.timetz())
    return moved.isoformat(), (moved + (end - start)).isoformat()


def stored_span(event: dict[str, Any], day: str, pair: list[str]) -> tuple[str, str]:
    """An occurrence with no exception now, as the store shows it: where it is, or where the series puts it if
    it was moved before (its exception is gone: moved back)."""
    moved = any(str(e.get("date")) == day and not e.get("deleted") for e in event.get("exceptions") or [])
    return _rule_span(event, day) if moved else (str(pair[0]), str(pair[1]))


def with_moved_occurrence(event: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """The series with the occurrence of `form["occurrenceOf"]` moved to the form's (checked) start and end: an
    exception {date, start, end} on its original day, replacing any earlier move of it. Moved back to where the
    series puts it, the exception goes."""
    day = str(form["occurrenceOf"])
    all_day = bool(event.get("all_day"))
    start_day, end_day = _date(form["startDate"]), _date(form["endDate"])
    assert start_day is not None and end_day is not None  # check() passed
    start = _payload_time(start_day, form.get("startTime"), all_day)
    end = _payload_time(end_day, form.get("endTime"), all_day)
    exceptions = [e for e in event.get("exceptions") or [] if str(e.get("date")) != day]
    if (start, end) != _rule_span(event, day):
        exceptions.append({"date": day, "start": start, "end": end})
    fields = ("event_id", "title", "all_day", "start", "end", "place", "note", "reminder_minutes", "repeat")
    return {**{k: event.get(k) for k in fields}, "exceptions": sorted(exceptions, key=lambda e: str(e["date"]))}


def editable(occurrence: dict[str, Any], user_id: str | None) -> bool:
    """Only the user's own 个人日程 can be edited: meetings and courses are published by others."""
    return user_id is not None and occurrence.get("kind") == "personal" and bool(occurrence.get("event_id"))


class RefusalWatch:
    """The user's calendar writes the server refused (`calendar_conflict`: changed on another terminal
    meanwhile), each said once with the event's title: a write's latest state went from pending to rejected
    between two reads of the outbox (`store.calendar_write_states(user)`)."""

    def __init__(self) -> None:
        self._titles: dict[str, str] = {}  # entity → title, while its write is on its way
        self._states: dict[str, dict[str, Any]] = {}

    def queued(self, event_id: str, title: str) -> None:
        self._titles[entity(event_id)] = title

    def news(self, states: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
        """The refusals new since the last read: (title, the server's code, its words)."""
        out = []
        for key, state in states.items():
            was = self._states.get(key, {}).get("status")
            if state.get("status") == "rejected" and (was == "pending" or (was is None and key in self._titles)):
                out.append((self._titles.get(key, ""), str(state.get("code") or ""), str(state.get("error") or "")))
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
