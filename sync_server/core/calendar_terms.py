"""Term calendars (学期校历): week numbers such as `1-8,10-16` or `1-15单`, period times, holidays and make-up days
(调休), and the dated occurrences of a weekly timetable slot under them. Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sync_server.core.clock import CAMPUS_TZ

MAX_WEEKS = 30
MAX_PERIODS = 16
_WEEK_PART = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?([单双])?$")


class TermError(ValueError):
    """A term file or a week/period expression that cannot be used; the message is the user's."""


def parse_weeks(text: str, term_weeks: int) -> list[int]:
    """`1-16`, `1-8,10-16`, `1-15单` (odd weeks), `2-16双` (even), `3`, `1,3,5` (also with a trailing 周 and
    full-width commas) → the sorted week numbers. Weeks outside 1..term_weeks are an error."""
    cleaned = text.strip().replace("，", ",").replace("周", "").replace(" ", "")
    if not cleaned:
        raise TermError("周次为空")
    weeks: set[int] = set()
    for part in cleaned.split(","):
        match = _WEEK_PART.match(part)
        if not match:
            raise TermError(f"周次“{text}”无法识别（例：1-16、1-8,10-16、1-15单、2-16双）")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last <= term_weeks:
            raise TermError(f"周次“{part}”超出本学期的第 1–{term_weeks} 周")
        parity = match.group(3)
        weeks.update(w for w in range(first, last + 1) if parity is None or (w % 2 == 1) == (parity == "单"))
    if not weeks:
        raise TermError(f"周次“{text}”不含任何一周")
    return sorted(weeks)


def parse_periods(text: str) -> tuple[int, int]:
    """`1-2` or `5` → (first, last) period."""
    match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not match:
        raise TermError(f"节次“{text}”无法识别（例：1-2、5）")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 1 <= first <= last <= MAX_PERIODS:
        raise TermError(f"节次“{text}”不正确")
    return first, last


def _date_list(values: list[Any]) -> set[date]:
    """Dates and ranges `YYYY-MM-DD..YYYY-MM-DD` (inclusive)."""
    out: set[date] = set()
    for value in values:
        first, _, last = str(value).partition("..")
        try:
            a, b = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
        except ValueError as exc:
            raise TermError(f"日期“{value}”不正确（YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）") from exc
        if b < a or (b - a).days > 366:
            raise TermError(f"日期范围“{value}”不正确")
        out.update(a + timedelta(days=n) for n in range((b - a).days + 1))
    return out


@dataclass(frozen=True)
class TermCalendar:
    """A term as the expansion reads it."""

    name: str
    start: date  # the Monday of week 1
    weeks: int
    periods: dict[int, tuple[time, time]]
    holidays: frozenset[date] = frozenset()
    makeup: dict[date, date] = field(default_factory=dict)  # make-up day → the day whose timetable it follows

    @property
    def end(self) -> date:
        return self.start + timedelta(weeks=self.weeks) - timedelta(days=1)

    def week_of(self, day: date) -> int:
        return (day - self.start).days // 7 + 1

    def occurrences(self, weekday: int, first: int, last: int, weeks: list[int]) -> list[tuple[datetime, datetime]]:
        """The dated times of a slot held on `weekday` (1 = Monday) in `weeks`, periods first..last: a holiday's
        classes are skipped, and a make-up day holds those of the day it follows."""
        begin = self.periods[first][0]
        finish = self.periods[last][1]
        days: list[date] = []
        for week in weeks:
            day = self.start + timedelta(weeks=week - 1, days=weekday - 1)
            if day not in self.holidays:
                days.append(day)
        wanted = set(weeks)
        for makeup_day, follows in self.makeup.items():
            if follows.isoweekday() == weekday and self.week_of(follows) in wanted:
                days.append(makeup_day)
        return [
            (datetime.combine(d, begin, CAMPUS_TZ), datetime.combine(d, finish, CAMPUS_TZ)) for d in sorted(set(days))
        ]

    def as_row(self) -> dict[str, Any]:
        return {
            "start_date": self.start,
            "weeks": self.weeks,
            "periods": [
                {"index": i, "start": a.strftime("%H:%M"), "end": b.strftime("%H:%M")}
                for i, (a, b) in sorted(self.periods.items())
            ],
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "makeup_days": [{"date": d.isoformat(), "follows": f.isoformat()} for d, f in sorted(self.makeup.items())],
        }


def term_from_spec(spec: dict[str, Any]) -> TermCalendar:
    """A term file's content (docs/calendar.md#the-term-file) → a checked TermCalendar."""
    if not isinstance(spec, dict):
        raise TermError("学期文件应为一个 JSON 对象")
    name = spec.get("name") or spec.get("term")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 64:
        raise TermError("学期名称（name）缺少或过长")
    try:
        start = date.fromisoformat(str(spec.get("start") or spec.get("term_start") or spec.get("start_date")))
    except ValueError as exc:
        raise TermError("开学日期（start）应为 YYYY-MM-DD") from exc
    if start.isoweekday() != 1:
        raise TermError(f"开学日期 {start} 不是星期一：第 1 周从星期一开始")
    weeks = spec.get("weeks")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= MAX_WEEKS:
        raise TermError(f"周数（weeks）应为 1–{MAX_WEEKS} 的整数")
    periods: dict[int, tuple[time, time]] = {}
    for p in spec.get("periods") or []:
        try:
            index, a, b = int(p["index"]), time.fromisoformat(p["start"]), time.fromisoformat(p["end"])
        except (KeyError, TypeError, ValueError) as exc:
            raise TermError(f"节次时间 {p!r} 不正确（index、start、end，例 08:00）") from exc
        if not 1 <= index <= MAX_PERIODS or b <= a or index in periods:
            raise TermError(f"第 {index} 节的时间不正确或重复")
        periods[index] = (a, b)
    if not periods:
        raise TermError("缺少节次时间（periods）")
    term = TermCalendar(name=name.strip(), start=start, weeks=weeks, periods=periods)
    holidays = _date_list(list(spec.get("holidays") or []))
    makeup: dict[date, date] = {}
    for m in spec.get("makeup_days") or []:
        try:
            day, follows = date.fromisoformat(m["date"]), date.fromisoformat(m["follows"])
        except (KeyError, TypeError, ValueError) as exc:
            raise TermError(f"调休 {m!r} 不正确（date、follows 为 YYYY-MM-DD）") from exc
        for d in (day, follows):
            if not term.start <= d <= term.end:
                raise TermError(f"调休日期 {d} 不在本学期内")
        makeup[day] = follows
    return TermCalendar(term.name, start, weeks, periods, frozenset(holidays), makeup)


def term_from_row(row: Any) -> TermCalendar:
    """A stored Term (models.Term) → TermCalendar."""
    return term_from_spec(
        {
            "name": row.name,
            "start": row.start_date.isoformat(),
            "weeks": row.weeks,
            "periods": row.periods,
            "holidays": row.holidays or [],
            "makeup_days": row.makeup_days or [],
        }
    )
