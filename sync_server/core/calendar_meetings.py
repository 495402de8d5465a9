"""每周会议: meetings a department publishes to its staff and/or to named attendees (admin API, CLI `meetings`),
delivered to each of them as a "calendar_event" change. Published by an administrator, or by a department head
(the holder of the department's 负责人 post, code `<dept>-fzr`) for their own department."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.core import calendar_changes as changes
from sync_server.core.clock import as_utc
from sync_server.core.errors import Forbidden, Invalid, NotFound
from sync_server.models import Department, Meeting, User

MAX_ATTENDEES = 1000
MAX_LENGTH = timedelta(days=7)
# Roles a department's meeting reaches: its staff, not its students (a college's students are in its department).
STAFF_ROLES = ("staff", "approver", "admin")


def _bad(field: str, reason: str) -> Invalid:
    return Invalid("invalid_meeting", f"会议{reason}", fields={field: reason})


def _subtree(session: Session, codes: list[str]) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for code, parent in session.execute(select(Department.code, Department.parent_code)):
        children.setdefault(parent, []).append(code)
    out, todo = set(), list(codes)
    while todo:
        code = todo.pop()
        if code not in out:
            out.add(code)
            todo.extend(children.get(code, []))
    return out


def head_of(user: User) -> str | None:
    """The department this user heads (holds its `-fzr` post), if any."""
    if user.post_code and user.post_code.endswith("-fzr") and user.department_code:
        return user.department_code
    return None


def audience(session: Session, meeting: Meeting) -> set[str]:
    """Who sees the meeting: the named attendees, and the staff of its departments and their sub-departments."""
    people = set(meeting.attendees or [])
    if meeting.departments:
        codes = _subtree(session, list(meeting.departments))
        people.update(
            session.scalars(select(User.user_id).where(User.department_code.in_(codes), User.role.in_(STAFF_ROLES)))
        )
    return people


def meeting_view(session: Session, meeting: Meeting) -> dict[str, Any]:
    names = {
        u: n
        for u, n in session.execute(select(User.user_id, User.name).where(User.user_id.in_(meeting.attendees or [])))
    }
    depts = {c: n for c, n in session.execute(select(Department.code, Department.name))}
    return {
        "id": f"meeting:{meeting.id}",
        "kind": "meeting",
        "meeting_id": meeting.id,
        "title": meeting.title,
        "place": meeting.location,
        "host": meeting.host,
        "organizer_code": meeting.organizer_code,
        "organizer": depts.get(meeting.organizer_code or "", ""),
        "departments": [depts.get(c, c) for c in meeting.departments or []],
        "attendees": [{"user_id": u, "name": names.get(u, u)} for u in meeting.attendees or []],
        "note": meeting.note,
        "reminder_minutes": meeting.reminder_minutes,
        "all_day": False,
        "start": changes.local_iso(meeting.start),
        "end": changes.local_iso(meeting.end),
        "occurrences": [changes.occurrence(meeting.start, meeting.end)],
    }


def _check_actor(session: Session, actor: User | None, organizer: str | None, departments: list[str]) -> None:
    if actor is None or actor.role == "admin":
        return
    own = head_of(actor)
    if own is None:
        raise Forbidden("forbidden", "只有管理员或部门负责人可以发布会议")
    allowed = _subtree(session, [own])
    if organizer not in (None, own) or not set(departments) <= allowed:
        raise Forbidden("forbidden", "部门负责人只能为本部门发布会议")


def _values(session: Session, spec: dict[str, Any], actor: User | None) -> dict[str, Any]:
    title = str(spec.get("title") or "").strip()
    if not 1 <= len(title) <= 128:
        raise _bad("title", "标题不能为空，且不超过 128 字")
    try:
        start = datetime.fromisoformat(str(spec.get("start")))
        end = datetime.fromisoformat(str(spec.get("end")))
    except ValueError as exc:
        raise _bad("start", "时间不正确（RFC 3339）") from exc
    if start.tzinfo is None or end.tzinfo is None:
        raise _bad("start", "时间须带时区（RFC 3339）")
    if not start < end <= start + MAX_LENGTH:
        raise _bad("end", "结束时间须晚于开始时间，且不超过 7 天")
    place = str(spec.get("place") or spec.get("location") or "").strip()
    host = str(spec.get("host") or "").strip()
    if len(place) > 64 or len(host) > 64:
        raise _bad("place", "地点或主持人过长")
    organizer = spec.get("organizer") or (head_of(actor) if actor else None)
    departments = [str(d) for d in spec.get("departments") or []]
    attendees = sorted({str(a).upper() for a in spec.get("attendees") or []})
    if len(attendees) > MAX_ATTENDEES:
        raise _bad("attendees", f"参会人不能超过 {MAX_ATTENDEES} 人")
    known_depts = set(session.scalars(select(Department.code)))
    for code in [*departments, *([organizer] if organizer else [])]:
        if code not in known_depts:
            raise _bad("departments", f"没有部门 {code}")
    known = set(session.scalars(select(User.user_id).where(User.user_id.in_(attendees))))
    unknown = [a for a in attendees if a not in known]
    if unknown:
        raise _bad("attendees", f"没有用户 {', '.join(unknown[:5])}")
    if not attendees and not departments:
        raise _bad("attendees", "须指定参会部门或参会人")
    reminder = spec.get("reminder_minutes", 15)
    if reminder is not None and (
        not isinstance(reminder, int) or isinstance(reminder, bool) or not 0 <= reminder <= 40320
    ):
        raise _bad("reminder_minutes", "提醒时间不正确")
    note = str(spec.get("note") or "")
    if len(note) > 2000:
        raise _bad("note", "备注过长")
    _check_actor(session, actor, organizer, departments)
    return {
        "title": title,
        # Stored as UTC: SQLite keeps a datetime's wall time and drops its offset.
        "start": start.astimezone(UTC),
        "end": end.astimezone(UTC),
        "location": place,
        "host": host,
        "organizer_code": organizer,
        "departments": departments,
        "attendees": attendees,
        "note": note,
        "reminder_minutes": reminder,
    }


def _deliver(session: Session, meeting: Meeting, before: list[str]) -> None:
    session.flush()
    people = audience(session, meeting)
    data = meeting_view(session, meeting)
    changes.announce(session, data["id"], data, before=before, after=people, changed=True)
    meeting.delivered_to = sorted(people)


def publish(session: Session, spec: dict[str, Any], *, actor: User | None = None) -> Meeting:
    """Publish a meeting (actor None: the system, the seed and the CLI)."""
    meeting = Meeting(**_values(session, spec, actor), created_by=actor.user_id if actor else None)
    session.add(meeting)
    _deliver(session, meeting, [])
    return meeting


def _get(session: Session, meeting_id: int, actor: User | None) -> Meeting:
    meeting = session.get(Meeting, meeting_id) if 0 < meeting_id < 2**31 else None
    if meeting is None:
        raise NotFound("meeting_not_found", "没有这个会议")
    if actor is not None and actor.role != "admin" and head_of(actor) != meeting.organizer_code:
        raise Forbidden("forbidden", "只能修改本部门发布的会议")
    return meeting


def update(session: Session, meeting_id: int, spec: dict[str, Any], *, actor: User | None = None) -> Meeting:
    meeting = _get(session, meeting_id, actor)
    values = _values(session, spec, actor)
    unchanged = all(getattr(meeting, k) == v for k, v in values.items() if k not in ("start", "end")) and (
        as_utc(meeting.start) == values["start"] and as_utc(meeting.end) == values["end"]
    )
    if unchanged:
        return meeting
    for name, value in values.items():
        setattr(meeting, name, value)
    _deliver(session, meeting, list(meeting.delivered_to or []))
    return meeting


def remove(session: Session, meeting_id: int, *, actor: User | None = None) -> Meeting:
    meeting = _get(session, meeting_id, actor)
    changes.announce(session, f"meeting:{meeting.id}", None, before=meeting.delivered_to or [], after=(), changed=False)
    session.delete(meeting)
    return meeting


def listing(session: Session) -> list[Meeting]:
    return list(session.scalars(select(Meeting).order_by(Meeting.start)))
