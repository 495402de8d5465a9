"""新增日程 / 编辑 / 删除 and reminders, below the UI (kiosk/services/calendar_edit.py, calendar_reminders.py): the
form's checks in Chinese, the payload the server's schema accepts, an edit's form, one occurrence of a series
deleted as an exception (offline at once, and by the real server after a sync), a refused creation undone, and
reminders firing at their time, the one missed while closed shown once after a restart, none repeated."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from campus_common import op_payloads, ops
from kiosk.models.store import LocalStore
from kiosk.services import calendar, calendar_edit, calendar_reminders, campus_time
from kiosk.services.api_client import ApiClient
from kiosk.services.sync import SyncEngine
from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated

TZ = ZoneInfo("Asia/Shanghai")  # the campus zone the test server names (campus_time.DEFAULT_ZONE)


def _form(**changes: Any) -> dict[str, Any]:
    form = calendar_edit.blank_form(date(2026, 12, 9), datetime(2026, 12, 1, 10, 0, tzinfo=TZ))
    form.update(title="组会", startTime="16:30", endTime="17:30", place="信息楼402")
    form.update(changes)
    return form


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_a_new_forms_defaults() -> None:
    today = calendar_edit.blank_form(date(2026, 12, 9), datetime(2026, 12, 9, 10, 20))
    assert (today["startDate"], today["startTime"], today["endTime"]) == ("2026-12-09", "11:00", "12:00")
    other = calendar_edit.blank_form(date(2026, 12, 10), datetime(2026, 12, 9, 10, 20))
    assert (other["startTime"], other["repeat"], other["reminder"]) == ("09:00", "none", "15")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "请填写标题"),
        ({"endTime": "16:00"}, "end", "结束时间不能早于开始时间"),
        ({"endDate": "2026-12-08", "endTime": "18:00"}, "end", "结束时间不能早于开始时间"),
        ({"endTime": "16:30"}, "end", "结束时间须晚于开始时间"),
        ({"allDay": True, "endDate": "2026-12-08"}, "end", "结束时间不能早于开始时间"),
        ({"endDate": "2027-01-20"}, "end", "一个日程不能超过 31 天"),
        ({"startTime": ""}, "startTime", "请选择开始时间"),
        ({"startDate": ""}, "startDate", "请选择开始日期"),
        ({"repeat": "daily", "endDate": "2026-12-11"}, "end", "日程比重复的间隔还长"),
        ({"repeat": "weekly", "repeatEnd": "count", "repeatCount": "0"}, "repeatCount", "重复次数须为 1–1000"),
        ({"repeat": "weekly", "repeatEnd": "count", "repeatCount": "五"}, "repeatCount", "重复次数须为 1–1000"),
        (
            {"repeat": "weekly", "repeatEnd": "until", "repeatUntil": "2026-12-01"},
            "repeatUntil",
            "重复截止日期不能早于开始日期",
        ),
        ({"place": "楼" * 65}, "place", "地点不能超过 64 个字"),
    ],
)
def test_what_is_wrong_is_said_in_chinese_by_field(changes: dict[str, Any], field: str, message: str) -> None:
    assert calendar_edit.check(_form(**changes)) == {field: message}
    # … and in English, every one of them (no Chinese left in an English interface).
    english = calendar_edit.check(_form(**changes), "en_US")
    assert list(english) == [field] and english[field] and not _chinese(english[field])


def test_every_message_and_refusal_has_an_english_side() -> None:
    for code, texts in {**calendar_edit.MESSAGES, **calendar_edit.REFUSALS}.items():
        assert set(texts) == {"zh_CN", "en_US"} and not _chinese(texts["en_US"]), code
    conflict = "该日程已在其他设备上修改，本次修改未保存"
    assert calendar_edit.refusal_text("组会", "calendar_conflict", conflict) == f"“组会”：{conflict}"
    assert calendar_edit.refusal_text("组会", "calendar_conflict", conflict, "en_US") == (
        "“组会”: This event was changed on another device; this change was not saved"
    )
    # A code this terminal does not know: the server's own words.
    assert calendar_edit.refusal_text("组会", "new_code", "服务器的话", "en_US") == "“组会”: 服务器的话"


def test_form_times_are_in_the_campus_zone_the_server_names() -> None:
    """The payload's offset is the campus zone's (campus_time, from the server's health), not a fixed +08:00; so
    is a reminder's clock."""
    assert campus_time.set_zone("Asia/Tokyo")
    try:
        event = calendar_edit.to_event(_form(), calendar.new_event_id())
        assert (event["start"], event["end"]) == ("2026-12-09T16:30:00+09:00", "2026-12-09T17:30:00+09:00")
        assert calendar_edit.form_from_event({**event, "version": 1})["startTime"] == "16:30"
        # A time stored with another offset is shown in the campus's clock.
        shanghai = {**event, "start": "2026-12-09T15:30:00+08:00", "end": "2026-12-09T16:30:00+08:00"}
        assert calendar_edit.form_from_event(shanghai)["startTime"] == "16:30"
        occurrence = {"id": "personal:x", "start": "2026-12-10", "end": "2026-12-10", "all_day": True}
        reminder = calendar_reminders.reminder_of({**occurrence, "reminder_minutes": 60})
        assert reminder is not None and reminder.at.isoformat() == "2026-12-09T23:00:00+09:00"
    finally:
        campus_time.set_zone(campus_time.DEFAULT_ZONE)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"allDay": True, "endDate": "2026-12-10", "reminder": "1440"},
        {"repeat": "weekly", "repeatEnd": "count", "repeatCount": "5", "reminder": "none"},
        {"repeat": "daily", "repeatEnd": "until", "repeatUntil": "2026-12-31", "reminder": "0"},
    ],
)
def test_a_checked_form_is_a_payload_the_servers_schema_accepts(changes: dict[str, Any]) -> None:
    form = _form(**changes)
    assert calendar_edit.check(form) == {}
    event = calendar_edit.to_event(form, calendar.new_event_id())
    op_type, payload, _local = calendar.event_save_write(STUDENT, event)
    assert op_type == ops.CALENDAR_EVENT_SAVE and op_payloads.problem(op_type, payload) is None
    if form["allDay"]:
        assert (payload["start"], payload["end"]) == ("2026-12-09", "2026-12-10")
    else:
        assert (payload["start"], payload["end"]) == ("2026-12-09T16:30:00+08:00", "2026-12-09T17:30:00+08:00")
    assert payload["reminder_minutes"] == calendar_edit.REMINDERS[form["reminder"]][0]
    # 编辑 starts from what was saved: the form of the stored event is the form that was saved.
    stored = {**payload, "version": 1, "kind": "personal"}
    again = calendar_edit.form_from_event(stored)
    for key in ("title", "allDay", "startDate", "endDate", "place", "reminder", "repeat"):
        assert again[key] == form[key], key
    assert again["version"] == 1 and again["eventId"] == event["event_id"]


def test_one_occurrence_deleted_offline_then_by_the_server(live_server: LiveServer, tmp_path: Path) -> None:
    client = ApiClient(live_server.url)
    client.access_token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(client, store, "kiosk-edit-test")
    form = _form(repeat="weekly", repeatEnd="count", repeatCount="4", reminder="15")
    event = calendar_edit.to_event(form, calendar.new_event_id())
    op_type, payload, local = calendar.event_save_write(STUDENT, event)
    store.enqueue(STUDENT, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    event_key = f"personal:{event['event_id']}"
    stored = store.calendar_event(STUDENT, event_key)
    assert stored is not None and len(stored["occurrences"]) == 4 and stored["version"] == 1

    # 只删除这一次 on 16 December, offline: the other three stay on screen at once.
    second = stored["occurrences"][1][0]
    assert second.startswith("2026-12-16")
    trimmed = calendar_edit.without_occurrence(stored, second)
    assert trimmed["exceptions"] == [{"date": "2026-12-16", "deleted": True}]
    op_type, payload, local = calendar.event_save_write(STUDENT, trimmed, stored["version"])
    store.enqueue(STUDENT, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))
    shown = [
        o["start"][:10] for o in store.calendar_between(STUDENT, "2026-12-01", "2027-01-31") if o["id"] == event_key
    ]
    assert shown == ["2026-12-09", "2026-12-23", "2026-12-30"]
    assert store.calendar_event(STUDENT, event_key)["version"] == 2  # what the server will number it

    # Synced: the server agrees (an EXDATE-like exception), and version 2 is the server's.
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    synced = store.calendar_event(STUDENT, event_key)
    assert synced["version"] == 2 and synced["exceptions"] == [{"date": "2026-12-16", "deleted": True}]
    assert [o[0][:10] for o in synced["occurrences"]] == ["2026-12-09", "2026-12-23", "2026-12-30"]

    # An edit made on version 1 (another terminal's view) is refused as calendar_conflict; the copy converges.
    stale = calendar_edit.to_event(_form(title="改名的组会"), event["event_id"])
    op_type, payload, local = calendar.event_save_write(STUDENT, stale, 1)
    store.enqueue(STUDENT, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))
    watch = calendar_edit.RefusalWatch()
    watch.queued(event["event_id"], "改名的组会")
    assert watch.news(store.calendar_write_states(STUDENT)) == []
    report = engine.push(STUDENT)
    assert report.rejected == 1, report
    news = watch.news(store.calendar_write_states(STUDENT))
    assert news == [("改名的组会", "calendar_conflict", "该日程已在其他设备上修改，本次修改未保存")]
    assert watch.news(store.calendar_write_states(STUDENT)) == []  # said once

    # A refused creation is undone: no event the server does not hold stays on screen.
    bad = {**calendar_edit.to_event(_form(), calendar.new_event_id()), "title": "x" * 200}
    op_type, payload, local = calendar.event_save_write(STUDENT, bad)
    store.enqueue(STUDENT, op_type, payload, local, entity=calendar_edit.entity(bad["event_id"]))
    assert store.calendar_event(STUDENT, f"personal:{bad['event_id']}") is not None
    assert engine.push(STUDENT).rejected == 1
    assert store.calendar_event(STUDENT, f"personal:{bad['event_id']}") is None
    store.close()


def test_one_occurrence_moved_offline_then_by_the_server_and_moved_back(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """只修改这一次: one occurrence of a weekly series moved to another day and time, offline at once (the others
    stay), then by the real server after a sync (an exception on its original day); moved back, the exception
    goes. With another occurrence deleted beside it."""
    client = ApiClient(live_server.url)
    client.access_token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(client, store, "kiosk-move-test")

    def write(event: dict[str, Any], base: int | None) -> None:
        op_type, payload, local = calendar.event_save_write(STUDENT, event, base)
        assert op_payloads.problem(op_type, payload) is None
        store.enqueue(STUDENT, op_type, payload, local, entity=calendar_edit.entity(event["event_id"]))

    def shown() -> list[str]:
        rows = store.calendar_between(STUDENT, "2026-12-01", "2027-01-31")
        return [f"{o['start'][:16]}–{o['end'][11:16]}" for o in rows if o["id"] == key]

    event = calendar_edit.to_event(_form(repeat="weekly", repeatEnd="count", repeatCount="4"), calendar.new_event_id())
    key = f"personal:{event['event_id']}"
    write(event, None)
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    stored = store.calendar_event(STUDENT, key)
    write(calendar_edit.without_occurrence(stored, stored["occurrences"][3][0]), stored["version"])  # 30 Dec gone
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    stored = store.calendar_event(STUDENT, key)

    # 23 December's moved to Thursday 24th, 09:00–10:30, offline: shown there at once, the others unchanged.
    third = stored["occurrences"][2]
    form = calendar_edit.occurrence_form(stored, third[0], third[1])
    assert (form["occurrenceOf"], form["startDate"], form["startTime"]) == ("2026-12-23", "2026-12-23", "16:30")
    form.update(startDate="2026-12-24", startTime="09:00", endDate="2026-12-24", endTime="10:30")
    assert calendar_edit.check(form) == {}
    moved = calendar_edit.with_moved_occurrence(stored, form)
    assert moved["exceptions"] == [
        {"date": "2026-12-23", "start": "2026-12-24T09:00:00+08:00", "end": "2026-12-24T10:30:00+08:00"},
        {"date": "2026-12-30", "deleted": True},
    ]
    assert (moved["title"], moved["start"], moved["repeat"]) == (stored["title"], stored["start"], stored["repeat"])
    write(moved, stored["version"])
    expected = ["2026-12-09T16:30–17:30", "2026-12-16T16:30–17:30", "2026-12-24T09:00–10:30"]
    assert shown() == expected

    # Synced: the server moved it too, and its version is the one the terminal counted.
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    synced = store.calendar_event(STUDENT, key)
    assert synced["version"] == 3 and synced["exceptions"] == moved["exceptions"]
    assert shown() == expected
    # 只删除这一次 on the moved one names its original day.
    assert calendar_edit.original_day(synced, "2026-12-24T09:00:00+08:00") == "2026-12-23"

    # Moved back where the series puts it: the exception goes, offline and on the server.
    back = calendar_edit.occurrence_form(synced, "2026-12-24T09:00:00+08:00", "2026-12-24T10:30:00+08:00")
    back.update(startDate="2026-12-23", startTime="16:30", endDate="2026-12-23", endTime="17:30")
    restored = calendar_edit.with_moved_occurrence(synced, back)
    assert restored["exceptions"] == [{"date": "2026-12-30", "deleted": True}]
    write(restored, synced["version"])
    expected = ["2026-12-09T16:30–17:30", "2026-12-16T16:30–17:30", "2026-12-23T16:30–17:30"]
    assert shown() == expected
    assert engine.push(STUDENT).applied == 1
    engine.pull(STUDENT)
    assert store.calendar_event(STUDENT, key)["exceptions"] == [{"date": "2026-12-30", "deleted": True}]
    assert shown() == expected
    store.close()


def _event(event_id: str, start: str, end: str, minutes: int | None, *, all_day: bool = False) -> dict[str, Any]:
    return {
        "entity": "calendar_event",
        "id": event_id,
        "op": "upsert",
        "data": {
            "kind": "personal",
            "event_id": event_id.removeprefix("personal:"),
            "title": event_id,
            "place": "信息楼402",
            "all_day": all_day,
            "reminder_minutes": minutes,
            "occurrences": [[start, end]],
        },
    }


def test_reminders_fire_at_their_time_once_and_a_missed_one_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    store = LocalStore(path)
    changes = [
        _event("personal:a", "2026-12-09T16:30:00+08:00", "2026-12-09T17:30:00+08:00", 15),
        _event("personal:b", "2026-12-09T19:00:00+08:00", "2026-12-09T20:00:00+08:00", 60),
        _event("personal:c", "2026-12-10", "2026-12-10", 60, all_day=True),
        _event("personal:none", "2026-12-09T16:00:00+08:00", "2026-12-09T18:00:00+08:00", None),
        _event("meeting:1", "2026-12-09T14:00:00+08:00", "2026-12-09T15:00:00+08:00", 30),
    ]
    store.apply_changes(STUDENT, changes, "user.sync.cursor.x", 1, "e1")

    def at(clock: str) -> datetime:
        return datetime.fromisoformat(f"2026-12-09T{clock}:00+08:00")

    first = calendar_reminders.look(store, STUDENT, at("16:00"))
    # The meeting's came at 13:30 and it ended at 15:00: over, not shown; the next is 组会's at 16:15.
    assert first.due == [] and first.next_at == at("16:15")
    assert [r.title for r in calendar_reminders.look(store, STUDENT, at("16:14:59")).due] == []
    due = calendar_reminders.look(store, STUDENT, at("16:15"))
    assert [(r.title, r.when, r.place) for r in due.due] == [("personal:a", "16:30 开始", "信息楼402")]
    assert due.next_at == at("18:00")
    assert calendar_reminders.look(store, STUDENT, at("16:16")).due == []  # shown once
    store.close()

    # The app was closed from 16:20 to 19:10: 19:00's reminder (due 18:00, the event not over) is shown once at
    # the start; tomorrow's all-day one (an hour before its midnight) is next.
    store = LocalStore(path)
    after = calendar_reminders.look(store, STUDENT, at("19:10"))
    assert [(r.title, r.when) for r in after.due] == [("personal:b", "19:00 开始")]
    assert after.next_at == at("23:00")
    tomorrow = calendar_reminders.look(store, STUDENT, at("23:00"))
    assert [(r.title, r.when) for r in tomorrow.due] == [("personal:c", "12月10日 全天")]
    # In English (the banner's and the tray's words follow the interface's language).
    assert tomorrow.due[0].texts("en_US") == ("Reminder: personal:c", "Thu 10 Dec, All day · 信息楼402")
    assert after.due[0].texts("en_US")[1] == "Starts at 19:00 · 信息楼402"
    again = calendar_reminders.look(store, STUDENT, at("19:11"))
    assert again.due == []
    store.close()
    store = LocalStore(path)
    assert calendar_reminders.look(store, STUDENT, at("19:12")).due == []  # nor after another restart
    # Logout forgets which were shown (with every calendar row).
    store.wipe_personal()
    assert store.reminders_fired(STUDENT, "2026-01-01") == set()
    store.close()
