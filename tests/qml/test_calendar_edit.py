"""新增日程 / 编辑 / 删除 on the real QML, with real taps and keys, against a live server: a student creates a
weekly event offline (errors said in Chinese under the fields, nothing typed lost), edits it and deletes one
occurrence, still offline, and sees it converge once the server is back; then moves one occurrence alone
(只修改这一次) and deletes the whole series. A staff
member's desk edit made on a stale version is refused (calendar_conflict) and the page says so. The sheet is
screenshotted on a landscape kiosk (keyboard up), a portrait totem and a desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtTest import QTest

from kiosk.models.store import LocalStore
from kiosk.services import calendar, calendar_edit
from kiosk.services.api_client import ApiClient
from kiosk.services.sync import SyncEngine
from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite, login
from tests.qml.steps import current_page, log_in

MONDAY = "2026-12-07"  # term week 14


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("calendar-edit-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, STUDENT, STUDENT_PW)
    activated(live, LIU, LIU_PW)
    yield live
    live.stop()


def _on_calendar(ui: Any, user: str) -> Any:
    ui.tap("nav_calendar") if ui.state.config.mode == "kiosk" else ui.click("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    ui.tap("calendarLoginButton")
    log_in(ui, user, NEW_PW)
    if current_page(ui) != "calendarPage":
        ui.wait_for(lambda: current_page(ui) != "loginPage")
        ui.tap("nav_calendar")
    ui.wait_for(lambda: current_page(ui) == "calendarPage")
    cal = ui.state.calendar
    ui.wait_for(lambda: cal.property("loaded"))
    cal.showDate(MONDAY)
    return cal


def _editor(ui: Any) -> Any:
    return ui.state.calendar_editor


def _in_sheet(ui: Any, name: str) -> Any:
    """Scroll the sheet so the item is on screen above the keyboard, as a finger would."""
    item = ui.find_visible(name)
    scroller = ui.find_visible("editScroller")
    content = scroller.property("contentItem")
    for _ in range(20):
        y = item.mapToItem(content, QPointF(0, 0)).y()
        limit = max(0.0, scroller.property("contentHeight") - scroller.height())
        scroller.setProperty("contentY", max(0.0, min(y - 20, limit)))
        ui.settle(60)
        top = item.mapToItem(scroller, QPointF(0, 0)).y()
        if top >= -1 and top + item.height() <= scroller.height() + 1:
            return item
    raise AssertionError(f"{name} cannot be scrolled into view")


def _tap_in_sheet(ui: Any, name: str) -> None:
    ui.tap(_in_sheet(ui, name))


def _pick_time(ui: Any, field: str, hour: str, minute: str) -> None:
    _tap_in_sheet(ui, "input_" + field)
    ui.wait_for(lambda: any(i.objectName() == "timePickerOk" and i.isVisible() for i in ui.items()))
    ui.tap("hour_" + hour)
    ui.tap("minute_" + minute)
    ui.tap("timePickerOk")
    ui.wait_for(lambda: not any(i.objectName() == "timePickerOk" and i.isVisible() for i in ui.items()))
    key = field[4].lower() + field[5:]  # editStartTime → startTime
    ui.wait_for(lambda: _editor(ui).property("form")[key] == f"{hour}:{minute}")


def _form(ui: Any) -> dict[str, Any]:
    return dict(_editor(ui).property("form"))


def _erase(ui: Any, name: str, count: int) -> None:
    ui.click(_in_sheet(ui, name + "Input"))
    QTest.keyClick(ui.window, Qt.Key.Key_End)
    for _ in range(count):
        QTest.keyClick(ui.window, Qt.Key.Key_Backspace)
    ui.settle()


def _sheet_error(ui: Any) -> str:
    return " ".join(ui.texts(ui.find_visible("calendarEditSheet")))


def _server_event(server: LiveServer, user: str, title: str) -> list[dict[str, Any]]:
    token = login(server, user, NEW_PW).json()["access_token"]
    answer = requests.get(
        server.url + "/api/v1/me/calendar",
        params={"from": "2026-11-30T00:00:00+08:00", "to": "2027-01-11T00:00:00+08:00", "kind": "personal"},
        headers=bearer(token),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return [e for e in answer.json()["events"] if e["title"] == title]


def _agenda_item(ui: Any, title: str) -> Any:
    # The day's read runs on a worker after the page asks for it: wait for the row, not for a fixed time (a
    # fresh clone's run twice looked before it was there).
    ui.wait_for(lambda: any(i.objectName() == "agenda_" + title and i.isVisible() for i in ui.items()))
    ui.settle(50)
    return ui.find_visible("agenda_" + title)


def _keyboard_clear_of(ui: Any, name: str) -> None:
    """The virtual keyboard is up and the field being typed sits above it."""
    panel = ui.find("inputPanel")
    ui.wait_for(lambda: panel.isVisible() and panel.property("active"))
    ui.settle(300)
    top = panel.mapToScene(QPointF(0, 0)).y()
    field = ui.find_visible(name)
    bottom = field.mapToScene(QPointF(0, field.height())).y()
    assert field.mapToScene(QPointF(0, 0)).y() >= 0 and bottom <= top + 1, f"{name} is under the keyboard"


def test_create_edit_and_delete_offline_then_converge(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    cal = _on_calendar(ui, STUDENT)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    server.stop()
    ui.state.state.checkHealth()
    ui.wait_for(lambda: ui.state.state.connection == "offline")

    # 新增日程 on the shown day; 保存 with no title says so, under the field.
    ui.tap("calendarNew")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible())
    assert "新增日程" in ui.texts(ui.find_visible("editHeading"))
    assert _form(ui)["startDate"] == MONDAY
    ui.tap("editSave")
    ui.wait_for(lambda: "请填写标题" in _sheet_error(ui))
    ui.type_into("editTitle", "组会")
    _keyboard_clear_of(ui, "editTitleInput")
    ui.screenshot("kiosk-calendar-new-keyboard")
    # An end before the start: said in Chinese; the title typed stays.
    _pick_time(ui, "editStartTime", "16", "30")
    _pick_time(ui, "editEndTime", "15", "00")
    ui.tap("editSave")
    ui.wait_for(lambda: "结束时间不能早于开始时间" in _sheet_error(ui))
    assert _form(ui)["title"] == "组会" and ui.find_visible("editTitleInput").property("text") == "组会"
    _pick_time(ui, "editEndTime", "17", "30")
    _in_sheet(ui, "editPlaceInput")
    ui.type_into("editPlace", "B208")
    _tap_in_sheet(ui, "reminder_30")
    _tap_in_sheet(ui, "repeat_weekly")
    _tap_in_sheet(ui, "repeatEnd_count")
    _erase(ui, "editRepeatCount", 2)
    ui.type_into("editRepeatCount", "3")
    _keyboard_clear_of(ui, "editRepeatCountInput")
    ui.screenshot("kiosk-calendar-new-filled")
    form = _form(ui)
    assert (form["startTime"], form["endTime"], form["reminder"], form["repeat"], form["repeatCount"]) == (
        "16:30",
        "17:30",
        "30",
        "weekly",
        "3",
    )
    ui.tap("editSave")
    ui.wait_for(lambda: ui.find("toastText").property("text") == "已保存，待同步")
    ui.wait_for(lambda: not ui.find("calendarEditSheet").isVisible())
    assert cal.property("mode") == "day"  # a student at a kiosk: the day's agenda
    ui.tap(_agenda_item(ui, "组会"))  # offline, at once

    # Its details offer 编辑 and 删除 (a course's do not); 编辑 opens the saved form.
    dialog = ui.window.findChild(QObject, "eventDialog")
    ui.wait_for(lambda: dialog.property("opened"))
    ui.tap("eventEdit")
    # A series: this occurrence or all of it.
    assert "整个重复日程" in " ".join(ui.texts(ui.find_visible("eventEditQuestion")))
    ui.tap("eventEditAll")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible() and _form(ui).get("title") == "组会")
    assert "编辑日程" in ui.texts(ui.find_visible("editHeading")) and _form(ui)["place"] == "B208"
    _erase(ui, "editPlace", 4)
    ui.type_into("editPlace", "信息楼402")
    ui.tap("editSave")
    ui.wait_for(lambda: not ui.find("calendarEditSheet").isVisible())
    event_id = next(o["id"] for o in cal.property("day") if o["title"] == "组会")
    ui.wait_for(lambda: (ui.state.store.calendar_event(STUDENT, event_id) or {}).get("place") == "信息楼402")
    assert ui.state.store.calendar_event(STUDENT, event_id)["version"] == 2  # the server will number it so

    # 删除 → 只删除这一次 (the series' first occurrence), still offline.
    ui.tap(_agenda_item(ui, "组会"))
    ui.wait_for(lambda: dialog.property("opened"))
    ui.tap("eventDelete")
    assert "整个重复日程" in " ".join(ui.texts(ui.find_visible("eventDeleteQuestion")))
    ui.screenshot("kiosk-calendar-delete-question")
    ui.tap("eventDeleteThis")
    ui.wait_for(lambda: "组会" not in [o["title"] for o in cal.property("day")])
    assert ui.state.sync.property("pendingCount") == 3

    # The server is back: the three writes apply in order and the store converges on the server's series.
    server.start(port=server.port)
    ui.state.state.checkHealth()
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=40_000)
    occurrences = _server_event(server, STUDENT, "组会")  # 7 Dec deleted; 14 and 21 Dec
    assert [o["start"] for o in occurrences] == ["2026-12-14T16:30:00+08:00", "2026-12-21T16:30:00+08:00"]
    first = occurrences[0]
    assert first["place"] == "信息楼402" and first["reminder_minutes"] == 30
    assert first["exceptions"] == [{"date": MONDAY, "deleted": True}]
    ui.wait_for(lambda: (ui.state.store.calendar_event(STUDENT, event_id) or {}).get("version") == 3)
    stored = ui.state.store.calendar_event(STUDENT, event_id)
    assert [o[0][:10] for o in stored["occurrences"]] == ["2026-12-14", "2026-12-21"]

    # 编辑 → 只修改这一次 on 14 December: to 15:00–16:00 (its times only; the series' fields are not offered).
    cal.showDate("2026-12-14")
    ui.tap(_agenda_item(ui, "组会"))
    ui.wait_for(lambda: dialog.property("opened"))
    ui.tap("eventEdit")
    ui.tap("eventEditThis")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible() and _form(ui).get("occurrenceOf") == "2026-12-14")
    assert "只修改这一次" in ui.texts(ui.find_visible("editHeading"))
    assert ui.find_visible("editOccurrenceNote") is not None
    assert not any(i.objectName() == "editTitle" and i.isVisible() for i in ui.items())
    ui.screenshot("kiosk-calendar-edit-one-occurrence")
    _pick_time(ui, "editStartTime", "15", "00")
    _pick_time(ui, "editEndTime", "16", "00")
    ui.tap("editSave")
    ui.wait_for(lambda: not ui.find("calendarEditSheet").isVisible())
    ui.wait_for(lambda: [o["time"] for o in cal.property("day") if o["title"] == "组会"] == ["15:00–16:00"])
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=40_000)
    occurrences = _server_event(server, STUDENT, "组会")
    assert [o["start"] for o in occurrences] == ["2026-12-14T15:00:00+08:00", "2026-12-21T16:30:00+08:00"]
    assert occurrences[0]["exceptions"][-1] == {
        "date": "2026-12-14",
        "start": "2026-12-14T15:00:00+08:00",
        "end": "2026-12-14T16:00:00+08:00",
    }

    # 删除整个日程, online now: gone here and on the server.
    ui.tap(_agenda_item(ui, "组会"))
    ui.wait_for(lambda: dialog.property("opened"))
    ui.tap("eventDelete")
    ui.tap("eventDeleteAll")
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0 and not _server_event(server, STUDENT, "组会"))
    ui.wait_for(lambda: ui.state.store.calendar_event(STUDENT, event_id) is None)


def test_a_stale_edit_is_refused_and_said(server: LiveServer, launch_ui: Any, tmp_path: Path) -> None:
    """The same event edited on this desk and, a moment before it synced, on another terminal: the first write
    to reach the server stands; this one, made on version 1, is refused as calendar_conflict, the page says so
    with the event's name, and the desk shows the other terminal's version."""
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    cal = _on_calendar(ui, LIU)
    other = ApiClient(server.url)
    other.access_token = login(server, LIU, NEW_PW).json()["access_token"]
    other_store = LocalStore(tmp_path / "other.db")
    other_engine = SyncEngine(other, other_store, "other-terminal")
    form = {**calendar_edit.blank_form(date(2026, 12, 8), datetime(2026, 12, 1)), "title": "周会"}
    event = calendar_edit.to_event(form, calendar.new_event_id())
    op_type, payload, local = calendar.event_save_write(LIU, event)
    other_store.enqueue(LIU, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))
    assert other_engine.push(LIU).applied == 1
    ui.state.sync.syncNow()
    event_key = f"personal:{event['event_id']}"
    ui.wait_for(lambda: ui.state.store.calendar_event(LIU, event_key) is not None, timeout=20_000)

    cal.showDate("2026-12-08")
    cal.setMode("day")
    ui.click(_agenda_item(ui, "周会"))
    dialog = ui.window.findChild(QObject, "eventDialog")
    ui.wait_for(lambda: dialog.property("opened"))
    ui.click("eventEdit")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible() and _form(ui).get("title") == "周会")
    ui.type_into("editTitle", "（改到周三）")
    ui.screenshot("desk-calendar-edit")

    renamed = {**event, "title": "周会（另一台）"}
    op_type, payload, local = calendar.event_save_write(LIU, renamed, 1)
    other_store.enqueue(LIU, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))
    assert other_engine.push(LIU).applied == 1  # the other terminal reached the server first
    ui.click("editSave")
    ui.wait_for(lambda: _editor(ui).property("refusal") != "", timeout=40_000)
    banner = ui.find_visible("calendarRefusalText")
    assert banner.property("text") == "未保存：“周会（改到周三）”：该日程已在其他设备上修改，本次修改未保存"
    ui.wait_for(lambda: (ui.state.store.calendar_event(LIU, event_key) or {}).get("title") == "周会（另一台）")
    ui.state.workers.wait(10_000)
    ui.settle(100)
    ui.find_visible("agenda_周会（另一台）")
    ui.screenshot("desk-calendar-conflict")
    ui.click("calendarRefusalOk")
    assert not ui.find("calendarRefusal").isVisible()
    other_store.close()


def test_the_sheet_on_a_portrait_totem(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, size=(1080, 1920))
    _on_calendar(ui, STUDENT)
    ui.tap("calendarNew")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible())
    _tap_in_sheet(ui, "repeat_daily")
    _tap_in_sheet(ui, "repeatEnd_until")
    _in_sheet(ui, "editPlaceInput")
    ui.type_into("editPlace", "图书馆")
    _keyboard_clear_of(ui, "editPlaceInput")
    ui.screenshot("portrait-calendar-new-keyboard")
    ui.tap("editCancel")
    ui.wait_for(lambda: not ui.find("calendarEditSheet").isVisible())
    ui.tap("calendarNew")
    ui.wait_for(lambda: ui.find("calendarEditSheet").isVisible())
    _tap_in_sheet(ui, "input_editStartTime")
    ui.screenshot("portrait-calendar-time-picker")
