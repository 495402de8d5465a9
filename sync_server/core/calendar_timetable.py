"""我的课表: the timetable IT imports (`campus-sync-server import-timetable FILE.csv`, docs/calendar.md), checked
whole before anything is written, stored as weekly slots and delivered to each student and teacher as one
"calendar_event" change per slot with its dated occurrences under the term calendar (core/calendar_terms.py)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from sync_server.core import calendar_changes as changes
from sync_server.core.calendar_terms import TermCalendar, TermError, parse_periods, parse_weeks, term_from_row
from sync_server.core.calendar_terms import term_from_spec as _term_from_spec
from sync_server.core.errors import NotFound
from sync_server.models import Course, Term, User

COLUMNS = ("code", "course", "teacher", "teacher_id", "room", "class", "students", "weekday", "periods", "weeks")
REQUIRED = ("code", "course", "teacher", "room", "weekday", "periods", "weeks")
_LIMITS = {"code": 32, "course": 64, "teacher": 64, "room": 64, "class": 64}
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
MAX_ROWS = 20_000


@dataclass
class TimetableReport:
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    slots: int = 0
    occurrences: int = 0
    changes: int = 0  # change-log rows written
    removed: int = 0  # slots of the previous import that are gone


@dataclass
class _Slot:
    line: int
    key: str
    values: dict[str, Any]
    audience: set[str]


def save_term(session: Session, spec: dict[str, Any]) -> TermCalendar:
    """Create or replace a term calendar (`import-term FILE.json`). Raises TermError with the user's reason.
    The term's timetable is not re-expanded here: import the timetable again to apply a changed calendar."""
    term = _term_from_spec(spec)
    row = session.get(Term, term.name)
    values = term.as_row()
    if row is None:
        session.add(Term(name=term.name, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    return term


def _weekday(text: str) -> int:
    text = text.strip().removeprefix("周").removeprefix("星期")
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    if text in _WEEKDAYS:
        return _WEEKDAYS[text]
    raise TermError(f"星期“{text}”无法识别（1–7 或 周一…周日）")


def read_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a timetable CSV with their line numbers (the header is line 1). UTF-8, with or without BOM."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise TermError(f"第 1 行：缺少列 {', '.join(missing)}（列：{','.join(COLUMNS)}）")
    rows = []
    for record in reader:
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in record.items() if k}))
        if len(rows) > MAX_ROWS:
            raise TermError(f"课表超过 {MAX_ROWS} 行")
    return rows


def _slot_key(term: str, values: dict[str, Any]) -> str:
    identity = "|".join(
        str(values[k]) for k in ("code", "class_name", "weekday", "start_period", "end_period", "location", "weeks")
    )
    identity += "|" + ",".join(values["students"]) + "|" + term
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _check(
    term: TermCalendar, rows: Iterable[tuple[int, dict[str, str]]], users: set[str], classes: dict[str, set[str]]
) -> tuple[list[_Slot], list[tuple[int, str]]]:
    slots: list[_Slot] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            for column in REQUIRED:
                if not row.get(column):
                    raise TermError(f"缺少 {column}")
            for column, limit in _LIMITS.items():
                if len(row.get(column, "")) > limit:
                    raise TermError(f"{column} 超过 {limit} 个字")
            teacher_id = row.get("teacher_id", "").upper() or None
            if teacher_id and teacher_id not in users:
                raise TermError(f"教师工号 {teacher_id} 不存在")
            students = sorted({s.upper() for s in row.get("students", "").replace(";", " ").split()})
            unknown = [s for s in students if s not in users]
            if unknown:
                raise TermError(f"学号 {', '.join(unknown[:5])} 不存在")
            class_name = row.get("class") or None
            if not class_name and not students:
                raise TermError("class 与 students 至少填一项")
            weekday = _weekday(row["weekday"])
            first, last = parse_periods(row["periods"])
            if first not in term.periods or last not in term.periods:
                raise TermError(f"第 {first}–{last} 节不在学期的作息时间里")
            weeks = parse_weeks(row["weeks"], term.weeks)
        except TermError as exc:
            errors.append((line, str(exc)))
            continue
        values = {
            "code": row["code"],
            "name": row["course"],
            "teacher": row["teacher"],
            "teacher_id": teacher_id,
            "class_name": class_name,
            "students": students,
            "location": row["room"],
            "weekday": weekday,
            "start_period": first,
            "end_period": last,
            "weeks": row["weeks"],
            "week_list": weeks,
        }
        key = _slot_key(term.name, values)
        if key in seen:
            errors.append((line, f"与第 {seen[key]} 行重复"))
            continue
        seen[key] = line
        audience = set(students) | (classes.get(class_name, set()) if class_name else set())
        if teacher_id:
            audience.add(teacher_id)
        slots.append(_Slot(line, key, values, audience))
    return slots, errors


def course_event(term: TermCalendar, key: str, values: dict[str, Any]) -> dict[str, Any]:
    """The "calendar_event" data of one slot: the course and all its dated occurrences in the term."""
    times = term.occurrences(values["weekday"], values["start_period"], values["end_period"], values["week_list"])
    return {
        "id": f"course:{key}",
        "kind": "course",
        "title": values["name"],
        "course_code": values["code"],
        "teacher": values["teacher"],
        "teacher_id": values["teacher_id"],
        "place": values["location"],
        "class_name": values["class_name"],
        "term": term.name,
        "weekday": values["weekday"],
        "periods": [values["start_period"], values["end_period"]],
        "weeks": values["weeks"],
        "all_day": False,
        "note": "",
        "reminder_minutes": None,
        "occurrences": [changes.occurrence(a, b) for a, b in times],
    }


def import_timetable(
    session: Session, rows: list[tuple[int, dict[str, str]]], *, term_name: str | None = None
) -> TimetableReport:
    """Replace the term's timetable with `rows` (line number, CSV record). Every row is checked first; with any
    error nothing is written and the report lists them all. Otherwise slots are matched with the previous
    import's by key: unchanged ones announce nothing, changed ones are sent again to their users, and users who
    lost a slot (it is gone, or they left the class) get its delete."""
    term_row = (
        session.get(Term, term_name)
        if term_name
        else session.scalars(select(Term).order_by(Term.start_date.desc()).limit(1)).first()
    )
    if term_row is None:
        raise NotFound(
            "term_not_found",
            f"没有学期“{term_name}”，请先用 import-term 导入学期校历"
            if term_name
            else "还没有学期，请先用 import-term 导入学期校历",
        )
    term = term_from_row(term_row)
    report = TimetableReport()
    users = set(session.scalars(select(User.user_id)))
    classes: dict[str, set[str]] = defaultdict(set)
    for uid, class_name in session.execute(select(User.user_id, User.class_name).where(User.class_name.is_not(None))):
        classes[class_name or ""].add(uid)
    slots, report.errors = _check(term, rows, users, classes)
    if report.errors:
        return report

    old = {row.key: row for row in session.scalars(select(Course).where(Course.term_name == term.name))}
    # Slots of the time before keys (seeded by an older version): never delivered, so simply replaced.
    session.execute(delete(Course).where(or_(Course.key.is_(None), Course.term_name.is_(None))))
    for slot in slots:
        data = course_event(term, slot.key, slot.values)
        report.occurrences += len(data["occurrences"])
        digest = changes.digest(data)
        row = old.pop(slot.key, None)
        before: list[str] = list(row.delivered_to) if row is not None else []
        changed = row is None or row.digest != digest
        columns = {k: v for k, v in slot.values.items() if k != "week_list"}
        if row is None:
            row = Course(key=slot.key, term_name=term.name, **columns)
            session.add(row)
        else:
            for name, value in columns.items():
                setattr(row, name, value)
        row.delivered_to, row.digest = sorted(slot.audience), digest
        report.changes += changes.announce(
            session, data["id"], data, before=before, after=slot.audience, changed=changed
        )
    for key, row in old.items():
        report.changes += changes.announce(
            session, f"course:{key}", None, before=row.delivered_to, after=(), changed=False
        )
        session.delete(row)
        report.removed += 1
    report.slots = len(slots)
    return report
