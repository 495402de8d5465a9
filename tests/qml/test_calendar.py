"""日程中心 on the real QML with the demo data: before login it asks for one; then the student's day agenda (a
kiosk's default for a student), the month grid with course chips and +N, the week on a time axis, the tabs, ‹ ›,
a swipe and 今天, and an event's details; a staff member's meetings and personal events on a desk. Screenshots of
the month, week and day views in a landscape kiosk, a portrait totem and a desk window.

The shown date is fixed in the term (Calendar.showDate) so nothing depends on today's date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtTest import QTest

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page, log_in

MONDAY = "2026-12-07"  # term week 14


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("calendar-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, STUDENT, STUDENT_PW)
    activated(live, LIU, LIU_PW)
    yield live
    live.stop()


def _signed_in_on_calendar(ui: Any, user: str) -> Any:
    ui.tap("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    ui.tap("calendarLoginButton")
    log_in(ui, user, NEW_PW)
    if current_page(ui) != "calendarPage":
        ui.wait_for(lambda: current_page(ui) != "loginPage")
        ui.tap("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    calendar = ui.state.calendar
    ui.wait_for(lambda: calendar.property("loaded"))
    calendar.showDate(MONDAY)
    return calendar


def _stored(ui: Any, user: str, first: str, end: str) -> list[dict[str, Any]]:
    ui.state.workers.wait(10_000)
    return ui.state.store.calendar_between(user, first, end)


def _mode(ui: Any, calendar: Any, mode: str) -> None:
    ui.tap("calendarMode_" + mode)
    ui.wait_for(lambda: calendar.property("mode") == mode)
    ui.state.workers.wait(10_000)
    ui.settle(100)


def _heading(ui: Any) -> str:
    return str(ui.find_visible("calendarHeading").property("text"))


def _details(ui: Any) -> tuple[Any, str]:
    """The event dialog once open, and what it says."""
    dialog = ui.window.findChild(QObject, "eventDialog")
    ui.wait_for(lambda: dialog.property("opened"))
    return dialog, " ".join(ui.texts(dialog.property("contentItem")))


def _swipe(ui: Any, dx: int) -> None:
    views = ui.find_visible("calendarViews")
    centre = ui.center(views)
    QTest.mousePress(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    for n in range(1, 11):
        QTest.mouseMove(ui.window, centre + QPoint(dx * n // 10, 0))
        QTest.qWait(10)
    QTest.mouseRelease(ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre + QPoint(dx, 0))
    ui.settle(100)


def test_calendar_asks_for_a_login_first(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    ui.tap("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    assert "登录后查看日程" in ui.texts(ui.find("calendarPage"))
    assert ui.find_visible("calendarLoginButton") is not None


def test_a_students_calendar_on_a_landscape_kiosk(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    calendar = _signed_in_on_calendar(ui, STUDENT)
    # A student at a kiosk: "what do I have today" — the day's agenda, as the store has it.
    assert calendar.property("mode") == "day"
    ui.wait_for(lambda: len(calendar.property("day")) > 0)
    today = _stored(ui, STUDENT, MONDAY, "2026-12-08")
    assert {o["kind"] for o in today} >= {"course"}
    assert [a["title"] for a in calendar.property("day")] == [o["title"] for o in today]
    for occurrence in today:
        ui.find_visible("agenda_" + occurrence["title"])
    assert _heading(ui) == "2026年12月7日 周一"
    ui.screenshot("kiosk-calendar-day")
    _swipe(ui, -500)  # over the agenda's list too: the next day
    ui.wait_for(lambda: calendar.property("shownDate") == "2026-12-08")
    calendar.showDate(MONDAY)

    # The month: six weeks from Monday 30 November, course chips on their days.
    _mode(ui, calendar, "month")
    assert _heading(ui) == "2026年12月"
    cells = calendar.property("month")
    assert len(cells) == 42 and cells[0]["date"] == "2026-11-30" and not cells[0]["inMonth"]
    first_course = next(o for o in today if o["kind"] == "course")
    cell = ui.find_visible("day_" + MONDAY)
    chip = ui.find_visible("chip_" + first_course["title"], cell)
    assert first_course["title"] in " ".join(ui.texts(chip))
    month_stored = _stored(ui, STUDENT, "2026-11-30", "2027-01-11")
    busiest = max(cells, key=lambda c: c["count"])
    assert busiest["count"] == len([o for o in month_stored if o["start"][:10] == busiest["date"]])
    if busiest["more"]:
        assert f"+{busiest['more']}" in ui.texts(ui.find_visible("day_" + busiest["date"]))
    ui.screenshot("kiosk-calendar-month")

    # 个人日程 only: the exam on Saturday, no course.
    ui.tap("calendarTab_personal")
    ui.wait_for(lambda: calendar.property("tab") == "personal")
    ui.settle(100)
    kinds = {c["kind"] for cell in calendar.property("month") for c in cell["chips"]}
    assert kinds == {"personal"}
    ui.find_visible("chip_英语六级考试", ui.find_visible("day_2026-12-12"))
    ui.tap("calendarTab_all")

    # ‹ › 今天, and a swipe.
    ui.tap("calendarNext")
    ui.wait_for(lambda: _heading(ui) == "2027年1月")
    ui.tap("calendarPrevious")
    ui.tap("calendarPrevious")
    ui.wait_for(lambda: _heading(ui) == "2026年11月")
    _swipe(ui, -500)  # leftwards: the next month
    ui.wait_for(lambda: _heading(ui) == "2026年12月")
    _swipe(ui, 40)  # too short to count
    assert _heading(ui) == "2026年12月"
    ui.tap("calendarToday")
    ui.wait_for(lambda: calendar.property("shownDate") == date.today().isoformat())
    calendar.showDate(MONDAY)

    # The week on a time axis: every timed occurrence of the week placed, the course's details on a tap.
    _mode(ui, calendar, "week")
    assert _heading(ui) == "2026年12月7日 – 12月13日"
    week = calendar.property("week")
    week_stored = _stored(ui, STUDENT, MONDAY, "2026-12-14")
    assert sum(len(d["timed"]) for d in week["days"]) == len([o for o in week_stored if not o["all_day"]])
    ui.screenshot("kiosk-calendar-week")
    texts = [
        (item.property("text"), item.property("font").pixelSize())
        for item in ui.items(ui.find_visible("calendarPage"))
        if item.isVisible() and item.metaObject().className() == "QQuickText" and item.property("text")
    ]
    small = [(text, px) for text, px in texts if px < 20]
    assert len(texts) > 40 and not small, f"kiosk text under 20 px: {small[:5]}"
    ui.tap(ui.find_visible("chip_" + first_course["title"], ui.find_visible("weekDay_" + MONDAY)))
    dialog, shown = _details(ui)
    assert first_course["title"] in shown and first_course["teacher"] in shown and first_course["place"] in shown
    assert "课程" in shown  # the kind in words, not colour alone
    ui.screenshot("kiosk-calendar-details")
    ui.tap("eventClose")
    ui.wait_for(lambda: not dialog.property("opened"))


def test_a_students_calendar_on_a_portrait_totem(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, size=(1080, 1920))
    calendar = _signed_in_on_calendar(ui, STUDENT)
    assert calendar.property("mode") == "day"
    ui.wait_for(lambda: len(calendar.property("day")) > 0)
    ui.screenshot("portrait-calendar-day")
    _mode(ui, calendar, "month")
    ui.screenshot("portrait-calendar-month")
    _mode(ui, calendar, "week")
    ui.screenshot("portrait-calendar-week")
    # Signing out forgets what was shown: the next person at the totem sees no one's timetable.
    course = next(t for d in calendar.property("week")["days"] for t in d["timed"])
    ui.tap("logoutButton")
    ui.wait_for(lambda: not calendar.property("loaded"))
    assert not any(d["timed"] or d["allDay"] for d in calendar.property("week")["days"])
    assert calendar.property("details") == {}
    ui.tap("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    shown = ui.texts(ui.find("calendarPage"))
    assert "登录后查看日程" in shown and course["title"] not in " ".join(shown)


def test_a_staff_members_meetings_and_events_on_a_desk(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    calendar = _signed_in_on_calendar(ui, LIU)
    assert calendar.property("mode") == "month"  # a desk: the month, as the manual shows it
    ui.state.workers.wait(10_000)

    def chips() -> dict[str, str]:
        return {c["title"]: c["kind"] for cell in calendar.property("month") for c in cell["chips"]}

    # The first sync's settled signal starts one more read: wait for it rather than a fixed pause (a loaded
    # machine missed it).
    ui.wait_for(lambda: chips().get("与贾孟杰核对实验室设备台账") == "personal" and "meeting" in chips().values())
    ui.screenshot("desk-calendar-month")
    _mode(ui, calendar, "week")
    ui.screenshot("desk-calendar-week")
    ui.tap(ui.find_visible("chip_年度体检", ui.find_visible("weekDay_2026-12-09")))
    dialog, shown = _details(ui)
    assert "空腹。" in shown
    ui.screenshot("desk-calendar-details")
    ui.click("eventClose")
    ui.wait_for(lambda: not dialog.property("opened"))
    ui.tap("calendarTab_meeting")
    ui.wait_for(lambda: calendar.property("tab") == "meeting")
    ui.settle(100)
    meetings = [t for d in calendar.property("week")["days"] for t in d["timed"]]
    assert meetings and {t["kind"] for t in meetings} == {"meeting"}
    ui.tap(ui.find_visible("chip_" + meetings[0]["title"]))
    assert meetings[0]["who"] in _details(ui)[1]  # the host
    ui.click("eventClose")
    ui.wait_for(lambda: not dialog.property("opened"))
    _mode(ui, calendar, "day")
    ui.screenshot("desk-calendar-day")


def _no_chinese_but_data(ui: Any, calendar: Any) -> None:
    """The page's own words are English: any Chinese left is the data's (titles, places, names)."""
    data = " ".join(
        str(v)
        for c in calendar.property("day") + [c for cell in calendar.property("month") for c in cell["chips"]]
        for v in (c["title"], c["place"], c["who"])
    )
    own = [t for t in ui.texts(ui.find_visible("calendarPage")) if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    assert all(t in data or any(part in data for part in t.split()) for t in own), own


def test_the_calendar_in_english_landscape_and_portrait(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, language="en_US")
    calendar = _signed_in_on_calendar(ui, STUDENT)
    _mode(ui, calendar, "month")
    assert _heading(ui) == "12/2026"
    header = ui.texts(ui.find_visible("monthGrid"))
    assert "Mon" in header and "周一" not in header
    assert "All" in ui.texts(ui.find_visible("calendarTab_all"))
    _no_chinese_but_data(ui, calendar)
    ui.screenshot("kiosk-calendar-month-en")
    _mode(ui, calendar, "week")
    assert "All day" in ui.texts(ui.find_visible("calendarPage"))
    ui.screenshot("kiosk-calendar-week-en")
    _mode(ui, calendar, "day")
    ui.wait_for(lambda: len(calendar.property("day")) > 0)
    _no_chinese_but_data(ui, calendar)
    ui.screenshot("kiosk-calendar-day-en")
    # The same kiosk turned to a portrait totem.
    ui.window.resize(1080, 1920)
    ui.settle(300)
    ui.screenshot("portrait-calendar-day-en")
    _mode(ui, calendar, "month")
    ui.screenshot("portrait-calendar-month-en")
    _mode(ui, calendar, "week")
    ui.screenshot("portrait-calendar-week-en")


def test_a_staff_members_calendar_on_a_desk_in_english(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, mode="desk", size=(1366, 768), language="en_US")
    calendar = _signed_in_on_calendar(ui, LIU)
    ui.state.workers.wait(10_000)
    ui.wait_for(lambda: any(c["kind"] == "meeting" for cell in calendar.property("month") for c in cell["chips"]))
    _no_chinese_but_data(ui, calendar)
    ui.screenshot("desk-calendar-month-en")
    _mode(ui, calendar, "week")
    ui.screenshot("desk-calendar-week-en")
    _mode(ui, calendar, "day")
    ui.screenshot("desk-calendar-day-en")
