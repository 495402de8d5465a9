"""日程中心's views, Qt-free: the month grid, the week with its time axis and the day agenda, built from the
occurrences the local store returns (`store.calendar_between`, soonest first, each with its event's fields).

The store's times are campus RFC 3339 text (`2026-12-07T08:00:00+08:00`) or, for all-day events, dates with the
last day inclusive (docs/calendar.md); the campus has one offset, so the text's date and clock are what to show.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any

KINDS = ("course", "meeting", "personal")
# The manual's tabs: 全部日程 | 每周会议 | 个人日程 | 我的课表.
TABS: dict[str, tuple[str, ...]] = {
    "all": KINDS,
    "meeting": ("meeting",),
    "personal": ("personal",),
    "course": ("course",),
}
MODES = ("month", "week", "day")
MONTH_CHIPS = 3  # chips a month cell shows; the rest are "+N"
GRID_DAYS = 42  # six weeks, always, so the grid does not jump in height between months


def by_tab(occurrences: list[dict[str, Any]], tab: str) -> list[dict[str, Any]]:
    kinds = TABS.get(tab, KINDS)
    return [o for o in occurrences if o.get("kind") in kinds]


def _day(moment: str) -> date:
    return date.fromisoformat(moment[:10])


def _minutes(moment: str) -> int:
    """Minutes after midnight of a timed moment's own (campus) clock."""
    clock = datetime.fromisoformat(moment)
    return clock.hour * 60 + clock.minute


def days_of(occurrence: dict[str, Any]) -> list[date]:
    """The days an occurrence shows on: all-day from its first to its last day (inclusive); a timed one from its
    start's day to its end's (an end at exactly 00:00 does not reach into that day)."""
    first, last = _day(occurrence["start"]), _day(occurrence["end"])
    if not occurrence.get("all_day") and last > first and _minutes(occurrence["end"]) == 0:
        last -= timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def clock_text(occurrence: dict[str, Any]) -> str:
    """The clock span, 08:00–09:40, or "" for an all-day event (the view says 全天 in the user's language)."""
    if occurrence.get("all_day"):
        return ""
    start, end = datetime.fromisoformat(occurrence["start"]), datetime.fromisoformat(occurrence["end"])
    return f"{start:%H:%M}–{end:%H:%M}"


def _who(occurrence: dict[str, Any]) -> str:
    return str(occurrence.get("teacher") or occurrence.get("host") or "")


def chip(occurrence: dict[str, Any]) -> dict[str, Any]:
    """What a view draws for one occurrence; (id, start) names it for `details`."""
    return {
        "id": str(occurrence["id"]),
        "start": str(occurrence["start"]),
        "kind": str(occurrence.get("kind") or ""),
        "title": str(occurrence.get("title") or ""),
        "place": str(occurrence.get("place") or ""),
        "who": _who(occurrence),
        "allDay": bool(occurrence.get("all_day")),
        "time": clock_text(occurrence),
        "clock": "" if occurrence.get("all_day") else str(occurrence["start"])[11:16],
    }


def month_start(anchor: date) -> date:
    """The grid's first day: the Monday on or before the 1st of `anchor`'s month."""
    first = anchor.replace(day=1)
    return first - timedelta(days=first.weekday())


def week_start(anchor: date) -> date:
    return anchor - timedelta(days=anchor.weekday())


def span(anchor: date, mode: str) -> tuple[date, date]:
    """The days a view covers, [first, end) — what to read from the store."""
    if mode == "month":
        first = month_start(anchor)
        return first, first + timedelta(days=GRID_DAYS)
    if mode == "week":
        first = week_start(anchor)
        return first, first + timedelta(days=7)
    return anchor, anchor + timedelta(days=1)


def shift(anchor: date, mode: str, step: int) -> date:
    """The shown date `step` months, weeks or days on; a month step keeps the day where the month has it."""
    if mode == "month":
        index = anchor.year * 12 + anchor.month - 1 + step
        year, month = divmod(index, 12)
        return date(year, month + 1, min(anchor.day, monthrange(year, month + 1)[1]))
    return anchor + timedelta(days=step * (7 if mode == "week" else 1))


def window(anchor: date, mode: str, spare: int = 3) -> tuple[date, date]:
    """The days to hold in memory for a view: its span and `spare` spans on each side ([first, end)), so the next
    ‹ or › (and those after) are drawn from memory in the frame of their heading."""
    return span(shift(anchor, mode, -spare), mode)[0], span(shift(anchor, mode, spare), mode)[1]


def _per_day(occurrences: list[dict[str, Any]], first: date, end: date) -> dict[date, list[dict[str, Any]]]:
    out: dict[date, list[dict[str, Any]]] = {}
    for occurrence in occurrences:
        for day in days_of(occurrence):
            if first <= day < end:
                out.setdefault(day, []).append(occurrence)
    return out


class DayBuckets:
    """The occurrences of the days [first, end), each put in the bucket of every day it shows on, once per read:
    a view of a span inside is then made from its own days' buckets, not from a scan of the whole read."""

    def __init__(self, occurrences: list[dict[str, Any]], first: date, end: date) -> None:
        self.first, self.end = first, end
        self.occurrences = occurrences
        self.by_day = _per_day(occurrences, first, end)

    def covers(self, first: date, end: date) -> bool:
        return self.first <= first and end <= self.end

    def missing(self, first: date, end: date) -> list[tuple[date, date]]:
        """The parts of [first, end) this does not hold, to read and `merge` (all of it if they do not touch)."""
        if end <= self.first or self.end <= first:
            return [(first, end)]
        parts = [(first, self.first)] if first < self.first else []
        return parts + ([(self.end, end)] if self.end < end else [])

    def merged(self, parts: list[DayBuckets], first: date, end: date) -> DayBuckets:
        """These days and the parts' (each read for days this does not hold), kept within [first, end). An
        occurrence over a boundary is in two reads but each day's bucket is filled by one read only."""
        out = DayBuckets([], max(first, min([self.first, *(p.first for p in parts)])), first)
        out.end = min(end, max([self.end, *(p.end for p in parts)]))
        seen: set[tuple[str, str]] = set()
        for source in (self, *parts):
            out.by_day.update({d: v for d, v in source.by_day.items() if out.first <= d < out.end})
            for o in source.occurrences:
                key = (o["id"], o["start"])
                if key not in seen and _day(o["start"]) < out.end and _day(o["end"]) >= out.first:
                    seen.add(key)
                    out.occurrences.append(o)
        return out

    def find(self, event_id: str, start: str) -> dict[str, Any] | None:
        return next((o for o in self.occurrences if o["id"] == event_id and o["start"] == start), None)


Occurrences = list[dict[str, Any]] | DayBuckets  # the store's read, or the same put in per-day buckets


def _buckets(occurrences: Occurrences, first: date, end: date) -> dict[date, list[dict[str, Any]]]:
    if isinstance(occurrences, DayBuckets):
        return occurrences.by_day
    return _per_day(occurrences, first, end)


def _of_tab(todays: list[dict[str, Any]], tab: str) -> list[dict[str, Any]]:
    return todays if tab == "all" else by_tab(todays, tab)


def _agenda_order(occurrences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All-day first, then by start (the store's order is by start already; sorted is stable)."""
    return sorted(occurrences, key=lambda o: (not o.get("all_day"), str(o["start"])))


def month_grid(occurrences: Occurrences, anchor: date, today: date, tab: str = "all") -> list[dict[str, Any]]:
    """42 cells, Monday first: {date, day, inMonth, today, weekend, chips (≤ 3), more (the "+N"), count}."""
    first = month_start(anchor)
    per_day = _buckets(occurrences, first, first + timedelta(days=GRID_DAYS))
    cells = []
    for n in range(GRID_DAYS):
        day = first + timedelta(days=n)
        todays = _agenda_order(_of_tab(per_day.get(day, []), tab))
        cells.append(
            {
                "date": day.isoformat(),
                "day": day.day,
                "inMonth": day.month == anchor.month,
                "today": day == today,
                "weekend": day.weekday() >= 5,
                "chips": [chip(o) for o in todays[:MONTH_CHIPS]],
                "more": max(0, len(todays) - MONTH_CHIPS),
                "count": len(todays),
            }
        )
    return cells


def lay_out_columns(timed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Side-by-side columns for one day's timed items ({startMin, endMin, ...}): items that overlap, directly or
    through others, form a cluster; each takes the leftmost column free at its start, and every item of a cluster
    learns the cluster's column count (its width is 1/columns)."""
    ordered = sorted(timed, key=lambda t: (t["startMin"], -t["endMin"]))
    out: list[dict[str, Any]] = []
    cluster: list[dict[str, Any]] = []
    column_ends: list[int] = []  # per column, when its last item ends
    cluster_end = -1

    def close() -> None:
        for item in cluster:
            item["columns"] = len(column_ends)
        out.extend(cluster)

    for item in ordered:
        start, end = item["startMin"], max(item["endMin"], item["startMin"] + 1)
        if cluster and start >= cluster_end:
            close()
            cluster, column_ends, cluster_end = [], [], -1
        free = next((c for c, ends in enumerate(column_ends) if ends <= start), None)
        if free is None:
            free = len(column_ends)
            column_ends.append(end)
        else:
            column_ends[free] = end
        cluster.append({**item, "column": free})
        cluster_end = max(cluster_end, end)
    if cluster:
        close()
    return out


def _timed_on(occurrence: dict[str, Any], day: date) -> dict[str, Any]:
    """A timed occurrence on one of its days, clipped to that day (minutes 0–1440)."""
    start_day, end_day = _day(occurrence["start"]), _day(occurrence["end"])
    start = _minutes(occurrence["start"]) if start_day == day else 0
    end = _minutes(occurrence["end"]) if end_day == day else 24 * 60
    return {**chip(occurrence), "startMin": start, "endMin": max(end, start)}


def week_view(occurrences: Occurrences, anchor: date, today: date, tab: str = "all") -> dict[str, Any]:
    """{days: 7 × {date, day, weekday (0 = 周一), today, allDay: [chips], timed: [chip + startMin, endMin, column,
    columns]}, fromHour, toHour}: the time axis spans 08:00–18:00 at least, widened to every timed item."""
    first = week_start(anchor)
    per_day = _buckets(occurrences, first, first + timedelta(days=7))
    days, lowest, highest = [], 8 * 60, 18 * 60
    for n in range(7):
        day = first + timedelta(days=n)
        todays = _of_tab(per_day.get(day, []), tab)
        timed = lay_out_columns([_timed_on(o, day) for o in todays if not o.get("all_day")])
        for item in timed:
            lowest, highest = min(lowest, item["startMin"]), max(highest, item["endMin"])
        days.append(
            {
                "date": day.isoformat(),
                "day": day.day,
                "weekday": n,
                "today": day == today,
                "allDay": [chip(o) for o in todays if o.get("all_day")],
                "timed": timed,
            }
        )
    return {"days": days, "fromHour": lowest // 60, "toHour": min(24, -(-highest // 60))}


def day_agenda(occurrences: Occurrences, day: date, tab: str = "all") -> list[dict[str, Any]]:
    """The day's occurrences, all-day first then by start, as chips (time, title, place, teacher or host)."""
    todays = _of_tab(_buckets(occurrences, day, day + timedelta(days=1)).get(day, []), tab)
    return [chip(o) for o in _agenda_order(todays)]


def details(occurrence: dict[str, Any]) -> dict[str, Any]:
    """The details sheet: chip fields, the date(s), teacher or host, organiser, class, weeks and attendees."""
    attendees = occurrence.get("attendees") or []
    names = [str(a.get("name") or a.get("user_id") or "") for a in attendees if isinstance(a, dict)]
    first, last = _day(occurrence["start"]), _day(occurrence["end"])
    return {
        **chip(occurrence),
        "date": first.isoformat(),
        "lastDate": last.isoformat() if occurrence.get("all_day") and last != first else "",
        "teacher": str(occurrence.get("teacher") or ""),
        "host": str(occurrence.get("host") or ""),
        "organizer": str(occurrence.get("organizer") or ""),
        "className": str(occurrence.get("class_name") or ""),
        "weeks": str(occurrence.get("weeks") or ""),
        "departments": [str(d) for d in occurrence.get("departments") or []],
        "attendees": [n for n in names if n],
        "note": str(occurrence.get("note") or ""),
        # The user's own 个人日程 offers 编辑 and 删除 (a series also 删除此次); meetings and courses are read-only.
        "editable": occurrence.get("kind") == "personal" and bool(occurrence.get("event_id")),
        "repeats": bool(occurrence.get("repeat")),
    }
