"""日程中心's month grid, week and day views (kiosk/services/calendar_views.py) from occurrences shaped as the
local store returns them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kiosk.services import calendar_views as cv

TODAY = date(2026, 12, 7)


def occ(kind: str, start: str, end: str, title: str = "", **more: Any) -> dict[str, Any]:
    all_day = "T" not in start
    return {"id": f"{kind}:{title or start}", "kind": kind, "title": title or kind, "start": start, "end": end,
            "all_day": all_day, "place": "", **more}  # fmt: skip


def timed(kind: str, day: str, start: str, end: str, title: str = "") -> dict[str, Any]:
    return occ(kind, f"{day}T{start}:00+08:00", f"{day}T{end}:00+08:00", title)


# 2026: June begins on a Monday, September Tuesday, April Wednesday, January Thursday, May Friday,
# August Saturday, February Sunday.
FIRSTS = [(2026, 6), (2026, 9), (2026, 4), (2026, 1), (2026, 5), (2026, 8), (2026, 2)]


@pytest.mark.parametrize(("year", "month"), FIRSTS)
def test_month_grid_starts_on_monday_with_six_rows_whatever_weekday_the_first_is(year: int, month: int) -> None:
    first = date(year, month, 1)
    cells = cv.month_grid([], first, TODAY)
    assert len(cells) == 42
    lead = first.weekday()  # the previous month's days before the 1st
    assert date.fromisoformat(cells[0]["date"]).weekday() == 0
    assert [c["inMonth"] for c in cells[:lead]] == [False] * lead
    assert cells[lead]["date"] == first.isoformat() and cells[lead]["day"] == 1 and cells[lead]["inMonth"]
    days_in_month = sum(c["inMonth"] for c in cells)
    assert days_in_month == (date(year + month // 12, month % 12 + 1, 1) - first).days
    assert all(not c["inMonth"] for c in cells[lead + days_in_month :])
    # Consecutive days, no gaps.
    assert cells[-1]["date"] == (date.fromisoformat(cells[0]["date"]) + timedelta(days=41)).isoformat()


def test_the_manuals_august_2022_grid() -> None:
    cells = cv.month_grid([], date(2022, 8, 15), TODAY)
    assert [c["day"] for c in cells[28:35]] == [29, 30, 31, 1, 2, 3, 4]
    assert [c["day"] for c in cells[35:]] == [5, 6, 7, 8, 9, 10, 11]
    assert cells[0]["day"] == 1 and cells[0]["inMonth"]


@pytest.mark.parametrize(("year", "days"), [(2024, 29), (2028, 29), (2026, 28), (2100, 28), (2000, 29)])
def test_february_leap_and_not(year: int, days: int) -> None:
    cells = cv.month_grid([], date(year, 2, 10), TODAY)
    feb = [c for c in cells if c["inMonth"]]
    assert len(feb) == days and feb[-1]["date"] == f"{year}-02-{days}"
    following = cells[cells.index(feb[-1]) + 1]
    assert following["date"] == f"{year}-03-01" and not following["inMonth"]


def test_february_2027_fills_exactly_four_rows_and_still_shows_six() -> None:
    cells = cv.month_grid([], date(2027, 2, 1), TODAY)  # 2027-02-01 is a Monday, 28 days
    assert len(cells) == 42 and all(c["inMonth"] for c in cells[:28]) and not any(c["inMonth"] for c in cells[28:])


def test_chips_overflow_into_plus_n_and_all_day_comes_first() -> None:
    day = "2026-12-09"
    items = [timed("course", day, f"{h:02d}:00", f"{h:02d}:45", f"课{h}") for h in (8, 10, 14, 16)]
    items.append(occ("personal", "2026-12-08", "2026-12-10", "出差"))
    cells = cv.month_grid(items, TODAY, TODAY)
    cell = next(c for c in cells if c["date"] == day)
    assert cell["count"] == 5 and cell["more"] == 2
    assert [c["title"] for c in cell["chips"]] == ["出差", "课8", "课10"]
    assert cell["chips"][1]["clock"] == "08:00" and cell["chips"][0]["allDay"]
    # The all-day event covers its three days (last day inclusive), and only them.
    covered = [c["date"] for c in cells if any(ch["title"] == "出差" for ch in c["chips"])]
    assert covered == ["2026-12-08", "2026-12-09", "2026-12-10"]
    assert next(c for c in cells if c["date"] == "2026-12-07")["today"]


def test_tabs_filter_by_kind() -> None:
    items = [timed("course", "2026-12-07", "08:00", "09:40"), timed("meeting", "2026-12-07", "14:00", "15:00"),
             occ("personal", "2026-12-07", "2026-12-07")]  # fmt: skip
    for tab, kinds in (("all", {"course", "meeting", "personal"}), ("course", {"course"}), ("meeting", {"meeting"}),
                       ("personal", {"personal"})):  # fmt: skip
        assert {c["kind"] for c in cv.day_agenda(items, TODAY, tab)} == kinds
        cell = next(c for c in cv.month_grid(items, TODAY, TODAY, tab) if c["today"])
        assert {c["kind"] for c in cell["chips"]} == kinds


def test_overlapping_events_get_side_by_side_columns() -> None:
    day = "2026-12-08"
    items = [
        timed("course", day, "08:00", "09:40", "A"),
        timed("meeting", day, "09:00", "10:00", "B"),  # overlaps A
        timed("personal", day, "09:50", "11:00", "C"),  # overlaps B only: A's column is free again
        timed("course", day, "14:00", "15:00", "D"),  # alone
    ]
    week = cv.week_view(items, TODAY, TODAY)
    tuesday = week["days"][1]
    placed = {t["title"]: (t["column"], t["columns"], t["startMin"], t["endMin"]) for t in tuesday["timed"]}
    assert placed == {"A": (0, 2, 480, 580), "B": (1, 2, 540, 600), "C": (0, 2, 590, 660), "D": (0, 1, 840, 900)}
    assert (week["fromHour"], week["toHour"]) == (8, 18)


def test_week_view_days_all_day_row_and_a_widened_axis() -> None:
    items = [occ("personal", "2026-12-12", "2026-12-14", "露营"), timed("meeting", "2026-12-10", "19:00", "20:30"),
             timed("course", "2026-12-09", "07:30", "08:15")]  # fmt: skip
    week = cv.week_view(items, date(2026, 12, 10), TODAY)
    assert [d["date"] for d in week["days"]] == [f"2026-12-{d:02d}" for d in range(7, 14)]
    assert [bool(d["allDay"]) for d in week["days"]] == [False] * 5 + [True, True]
    assert (week["fromHour"], week["toHour"]) == (7, 21)
    assert week["days"][0]["today"] and week["days"][3]["timed"][0]["time"] == "19:00–20:30"


def test_an_event_past_midnight_shows_on_both_days_clipped() -> None:
    item = occ("personal", "2026-12-08T22:00:00+08:00", "2026-12-09T01:00:00+08:00", "夜")
    days = cv.week_view([item], TODAY, TODAY)["days"]
    assert [(t["startMin"], t["endMin"]) for t in days[1]["timed"]] == [(1320, 1440)]
    assert [(t["startMin"], t["endMin"]) for t in days[2]["timed"]] == [(0, 60)]
    # Ending at exactly midnight does not reach the next day.
    late = occ("personal", "2026-12-08T22:00:00+08:00", "2026-12-09T00:00:00+08:00", "晚")
    assert cv.days_of(late) == [date(2026, 12, 8)]


def test_shift_moves_by_month_week_and_day() -> None:
    assert cv.shift(date(2026, 1, 31), "month", 1) == date(2026, 2, 28)
    assert cv.shift(date(2026, 12, 7), "month", 1) == date(2027, 1, 7)
    assert cv.shift(date(2026, 1, 7), "month", -1) == date(2025, 12, 7)
    assert cv.shift(TODAY, "week", -1) == date(2026, 11, 30)
    assert cv.shift(TODAY, "day", 1) == date(2026, 12, 8)
    assert cv.span(TODAY, "month") == (date(2026, 11, 30), date(2027, 1, 11))
    assert cv.span(date(2026, 12, 10), "week") == (TODAY, date(2026, 12, 14))


def test_details_name_teacher_host_and_attendees() -> None:
    meeting = timed("meeting", "2026-12-07", "14:00", "15:30", "周例会")
    meeting.update(host="刘诗宏", organizer="信息工程学院", attendees=[{"user_id": "1", "name": "张三"}], note="带周报")
    shown = cv.details(meeting)
    assert (shown["who"], shown["host"], shown["attendees"], shown["note"]) == ("刘诗宏", "刘诗宏", ["张三"], "带周报")
    assert shown["time"] == "14:00–15:30" and shown["date"] == "2026-12-07"


def test_a_window_extended_by_the_missing_spans_equals_one_read_of_it() -> None:
    """What ‹ › hold in memory: the window read once, or read in parts as the shown month moves (an occurrence
    over a boundary read twice), gives the same per-day buckets and so the same months."""
    items = [
        timed("course", f"2026-{m:02d}-{d:02d}", "08:00", "09:40", f"c{m}-{d}")
        for m in (9, 10, 11, 12)
        for d in (1, 15, 28)
    ]
    items.append(occ("personal", "2026-10-30", "2026-11-03", "跨月", all_day=True))  # over the boundary

    def read(first: date, end: date) -> cv.DayBuckets:
        chosen = [o for o in items if o["start"][:10] < end.isoformat() and o["end"][:10] >= first.isoformat()]
        return cv.DayBuckets(sorted(chosen, key=lambda o: o["start"]), first, end)

    september = date(2026, 9, 15)
    first, end = cv.window(september, "month", spare=1)
    held = read(first, end)
    november = cv.shift(september, "month", 2)
    want = cv.window(november, "month", spare=1)
    parts = held.missing(*want)
    assert parts == [(end, want[1])]  # only what is not held
    merged = held.merged([read(a, b) for a, b in parts], *want)
    whole = read(*want)
    assert (merged.first, merged.end) == want and merged.covers(*cv.span(november, "month"))
    assert merged.by_day == whole.by_day
    assert sorted((o["id"], o["start"]) for o in merged.occurrences) == sorted(
        (o["id"], o["start"]) for o in whole.occurrences
    )
    assert cv.month_grid(merged, november, TODAY) == cv.month_grid(items, november, TODAY)
    # Far away: nothing held is of use, the whole window is read.
    assert held.missing(date(2031, 1, 1), date(2031, 3, 1)) == [(date(2031, 1, 1), date(2031, 3, 1))]
