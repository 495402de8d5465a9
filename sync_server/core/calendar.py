"""日程中心's read side: a user's occurrences (courses, meetings, personal events) between two times, for the desk,
the tests and 首页 (10)–(12) (`GET /api/v1/me/calendar`). Terminals mostly read what they pulled instead."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core import calendar_changes as changes
from sync_server.core import calendar_personal as personal
from sync_server.core import stored_text
from sync_server.core.calendar_meetings import meeting_view
from sync_server.core.calendar_personal import parse_time
from sync_server.core.calendar_terms import parse_weeks, term_from_row
from sync_server.core.calendar_timetable import course_event
from sync_server.core.clock import as_utc
from sync_server.core.errors import Invalid
from sync_server.models import Course, Meeting, Term, User

MAX_WINDOW = timedelta(days=400)


def _overlaps(pair: list[str], start: datetime, end: datetime) -> bool:
    a, b = _as_times(pair)
    return a < end and b > start


def _as_times(pair: list[str]) -> tuple[datetime, datetime]:
    if len(pair[0]) == 10:  # all day: the days are inclusive
        return parse_time(pair[0], "start", all_day=True), parse_time(pair[1], "end", all_day=True) + timedelta(days=1)
    return datetime.fromisoformat(pair[0]), datetime.fromisoformat(pair[1])


def _occurrence_rows(event: dict[str, Any], pairs: list[list[str]]) -> list[dict[str, Any]]:
    base = {k: v for k, v in event.items() if k not in ("occurrences", "occurrences_until")}
    return [{**base, "start": a, "end": b} for a, b in pairs]


def user_calendar(
    session: Session, user: User, start: datetime, end: datetime, kinds: tuple[str, ...] = changes.KINDS
) -> list[dict[str, Any]]:
    """The user's occurrences overlapping [start, end), in time order; each is the event's data (as terminals pull
    it, without the occurrences list) with this occurrence's `start` and `end`."""
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid("invalid_range", "时间须带时区（RFC 3339）")
    if not start < end <= start + MAX_WINDOW:
        raise Invalid("invalid_range", "结束时间须晚于开始时间，且范围不超过 400 天")
    out: list[dict[str, Any]] = []
    if "course" in kinds:
        # The term's slots that reached this user (a class's timetable is shared; the audience was fixed at import).
        terms = {t.name: term_from_row(t) for t in session.scalars(select(Term))}
        candidates = session.scalars(select(Course).where(Course.key.is_not(None)))
        for course in candidates:
            term = terms.get(course.term_name or "")
            if term is None or user.user_id not in (course.delivered_to or []):
                continue
            if not (term.start <= end.date() and start.date() <= term.end):
                continue
            values = {
                "code": course.code,
                "name": course.name,
                "teacher": course.teacher,
                "teacher_id": course.teacher_id,
                "location": course.location,
                "class_name": course.class_name,
                "weekday": course.weekday,
                "start_period": course.start_period,
                "end_period": course.end_period,
                "weeks": course.weeks,
                "week_list": parse_weeks(course.weeks, term.weeks),
            }
            event = course_event(term, course.key or "", values)
            out += _occurrence_rows(event, [p for p in event["occurrences"] if _overlaps(p, start, end)])
    if "meeting" in kinds:
        rows = session.scalars(select(Meeting).where(Meeting.start < end, Meeting.end > start))
        for meeting in rows:
            if user.user_id in (meeting.delivered_to or []):
                event = meeting_view(session, meeting)
                out += _occurrence_rows(event, event["occurrences"])
    if "personal" in kinds:
        for row in personal.user_events(session, user.user_id):
            event = personal.event_view(row)
            pairs = [personal.occurrence_pair(row, o) for o in personal.occurrences(row, start, end, limit=10_000)]
            out += _occurrence_rows(event, pairs)
    out.sort(key=lambda e: (_as_times([e["start"], e["end"]])[0], e["kind"], e["id"]))
    return stored_text.safe(out, what="calendar", user_id=user.user_id)


def parse_moment(value: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise Invalid("invalid_range", f"{field} 不是 RFC 3339 时间", fields={field: "格式不正确"}) from exc
    if moment.tzinfo is None:
        raise Invalid("invalid_range", f"{field} 须带时区", fields={field: "须带时区"})
    return as_utc(moment)
