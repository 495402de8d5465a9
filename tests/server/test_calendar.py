"""日程中心 on the server: term expansion (odd/even weeks, a holiday, a make-up day), the timetable import (a bad
row refused with its line number, nothing imported), personal events through the outbox (a series with a moved
and a deleted occurrence, the conflict rule), meetings reaching only their audience, changes pulled by the right
users only, the iCalendar feed (token revoked, read by a second parser) and the .ics round trip."""

from __future__ import annotations

import subprocess
import uuid
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import requests
import vobject
from sqlalchemy import func, select

from sync_server.core.calendar_terms import TermError, parse_weeks, term_from_spec
from sync_server.core.clock import CAMPUS_TZ
from sync_server.db import Database
from sync_server.models import ChangeLog, Course
from tests.helpers import LiveServer, run_server_cli
from tests.server.workflow_helpers import JIA, LIN, LIU, STUDENT, Client, latest

PERIODS = [
    {"index": 1, "start": "08:00", "end": "08:45"},
    {"index": 2, "start": "08:55", "end": "09:40"},
    {"index": 3, "start": "10:00", "end": "10:45"},
    {"index": 4, "start": "10:55", "end": "11:40"},
]
TERM = {
    "name": "测试学期",
    "start": "2026-09-07",
    "weeks": 6,
    "periods": PERIODS,
    "holidays": ["2026-10-01..2026-10-07"],
    "makeup_days": [{"date": "2026-10-10", "follows": "2026-10-06"}],
}
HEADER = "code,course,teacher,teacher_id,room,class,students,weekday,periods,weeks\n"
CLASS = "2022级计算机科学与技术1班"


# -- term calendars (pure) -------------------------------------------------------------------------------------
def test_week_expressions() -> None:
    assert parse_weeks("1-16", 18) == list(range(1, 17))
    assert parse_weeks("1-8,10-16", 18) == [*range(1, 9), *range(10, 17)]
    assert parse_weeks("1-15单", 18) == [1, 3, 5, 7, 9, 11, 13, 15]
    assert parse_weeks("2-16双", 18) == [2, 4, 6, 8, 10, 12, 14, 16]
    assert parse_weeks("3，5周", 18) == [3, 5]
    for bad in ("", "0-3", "1-19", "5-2", "1-3三", "a", "2-2单"):
        with pytest.raises(TermError):
            parse_weeks(bad, 18)


def test_expansion_skips_a_holiday_and_holds_a_make_up_day() -> None:
    term = term_from_spec(TERM)
    # Tuesdays, odd weeks (1, 3, 5): week 5's Tuesday is 10-06, a holiday; its classes are held on Saturday 10-10.
    odd = term.occurrences(2, 1, 2, parse_weeks("1-5单", 6))
    assert [a.date() for a, _ in odd] == [date(2026, 9, 8), date(2026, 9, 22), date(2026, 10, 10)]
    assert odd[0] == (datetime(2026, 9, 8, 8, 0, tzinfo=CAMPUS_TZ), datetime(2026, 9, 8, 9, 40, tzinfo=CAMPUS_TZ))
    # Even weeks' Tuesdays (2, 4, 6): no holiday; the make-up day follows week 5's Tuesday, not theirs.
    even = term.occurrences(2, 3, 4, parse_weeks("2-6双", 6))
    assert [a.date() for a, _ in even] == [date(2026, 9, 15), date(2026, 9, 29), date(2026, 10, 13)]
    assert even[0][0].time() == time(10, 0) and even[0][1].time() == time(11, 40)
    # Thursday 10-01 (week 4) is a holiday with no make-up: that class is simply not held.
    assert [a.date() for a, _ in term.occurrences(4, 1, 1, [3, 4])] == [date(2026, 9, 24)]


def test_bad_term_files_are_refused() -> None:
    for change in (
        {"start": "2026-09-08"},  # a Tuesday
        {"weeks": 0},
        {"periods": [{"index": 1, "start": "09:00", "end": "08:00"}]},
        {"makeup_days": [{"date": "2027-03-01", "follows": "2026-10-06"}]},
        {"holidays": ["2026-10-07..2026-10-01"]},
    ):
        with pytest.raises(TermError):
            term_from_spec({**TERM, **change})


# -- the timetable import (CLI, database) ----------------------------------------------------------------------
def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_server_cli(*args, db_url=db_url, timeout=120)


def _counts(db_url: str) -> tuple[int, int]:
    db = Database(db_url)
    try:
        with db.sessions() as s:
            courses = s.scalar(select(func.count()).select_from(Course).where(Course.term_name == "测试学期"))
            log = s.scalar(select(func.count()).select_from(ChangeLog))
            return int(courses or 0), int(log or 0)
    finally:
        db.dispose()


def test_timetable_import_refuses_a_bad_row_with_its_line_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    term_file = tmp_path / "term.json"
    term_file.write_text(__import__("json").dumps(TERM, ensure_ascii=False), encoding="utf-8")
    assert _run(db_url, "import-term", str(term_file)).returncode == 0
    before = _counts(db_url)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + f"T1,软件工程,王立新,,A203,{CLASS},,1,1-2,1-6\n"
        + f"T2,编译原理,林峰,{LIN},A305,{CLASS},,2,3-4,1-7\n"  # week 7 is beyond the 6-week term
        + f"T3,机器学习,许文静,,402,,{STUDENT} NOBODY9,3,1-2,1-6\n",  # an unknown student
        encoding="utf-8",
    )
    result = _run(db_url, "import-timetable", str(bad), "--term", "测试学期")
    assert result.returncode == 1
    assert f"{bad}:3:" in result.stderr and "超出" in result.stderr
    assert f"{bad}:4:" in result.stderr and "NOBODY9" in result.stderr
    assert f"{bad}:2:" not in result.stderr
    assert _counts(db_url) == before  # not half-imported: no slot, no change

    good = tmp_path / "good.csv"
    good.write_text(
        HEADER
        + f"T1,软件工程,王立新,,A203,{CLASS},,1,1-2,1-6\n"
        + f"T2,编译原理,林峰,{LIN},A305,{CLASS},,2,1-2,1-5单\n",
        encoding="utf-8",
    )
    result = _run(db_url, "import-timetable", str(good), "--term", "测试学期")
    assert result.returncode == 0, result.stderr
    courses, log = _counts(db_url)
    assert courses == 2
    students = 3  # the demo's students of that class
    assert log - before[1] == 2 * students + 1  # one change per slot and person: each student, and 林峰 for T2
    # Importing the same file again announces nothing; dropping a slot tells exactly its people.
    assert _run(db_url, "import-timetable", str(good), "--term", "测试学期").returncode == 0
    assert _counts(db_url)[1] == log
    good.write_text(HEADER + f"T1,软件工程,王立新,,A203,{CLASS},,1,1-2,1-6\n", encoding="utf-8")
    assert _run(db_url, "import-timetable", str(good), "--term", "测试学期").returncode == 0
    assert _counts(db_url) == (1, log + students + 1)


# -- through a live server -------------------------------------------------------------------------------------
def _event(event_id: str, base: int | None = None, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "event_id": event_id,
        "base_version": base,
        "title": "组会",
        "all_day": False,
        "start": "2026-12-07T16:30:00+08:00",
        "end": "2026-12-07T17:30:00+08:00",
        "place": "信息楼402",
        "note": "带上周报",
        "reminder_minutes": 10,
        "repeat": {"freq": "weekly", "count": 5},
        "exceptions": [],
    }
    payload.update(fields)
    return payload


def _calendar(client: Client, start: str, end: str, kind: str | None = None) -> list[dict[str, Any]]:
    params = {"from": start, "to": end, **({"kind": kind} if kind else {})}
    response = client.get("/api/v1/me/calendar", **params)
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def test_personal_series_with_a_moved_and_a_deleted_occurrence(live_server: LiveServer) -> None:
    liu = Client(live_server, LIU)
    event_id = str(uuid.uuid4())
    assert liu.push("calendar.event.save", _event(event_id))["status"] == "applied"
    moved = {"date": "2026-12-14", "start": "2026-12-15T09:00:00+08:00", "end": "2026-12-15T10:00:00+08:00"}
    result = liu.push(
        "calendar.event.save", _event(event_id, base=1, exceptions=[{"date": "2026-12-21", "deleted": True}, moved])
    )
    assert result["status"] == "applied" and result["result"]["version"] == 2

    mine = [e for e in _calendar(liu, "2026-12-01T00:00:00+08:00", "2027-01-31T00:00:00+08:00", "personal")]
    starts = [e["start"] for e in mine if e["event_id"] == event_id]
    assert starts == [
        "2026-12-07T16:30:00+08:00",
        "2026-12-15T09:00:00+08:00",  # 12-14's, moved
        "2026-12-28T16:30:00+08:00",  # 12-21's deleted
        "2027-01-04T16:30:00+08:00",
    ]
    # A window holding only the moved one finds it (its original day is outside).
    only = _calendar(liu, "2026-12-15T00:00:00+08:00", "2026-12-16T00:00:00+08:00", "personal")
    assert [e["start"] for e in only if e["event_id"] == event_id] == ["2026-12-15T09:00:00+08:00"]

    # The terminal's copy: one change with the series and the same occurrences, pulled by 刘诗宏 alone.
    data = latest(liu.pull(), "calendar_event")[f"personal:{event_id}"]
    assert data is not None and data["version"] == 2 and data["repeat"] == {"freq": "weekly", "count": 5}
    assert [o[0] for o in data["occurrences"]] == starts
    assert f"personal:{event_id}" not in latest(Client(live_server, JIA).pull(), "calendar_event")

    # An exception on a day the series does not have, and a save with no offset, are refused.
    wrong_day = liu.push(
        "calendar.event.save", _event(event_id, base=2, exceptions=[{"date": "2026-12-08", "deleted": True}])
    )
    assert wrong_day["status"] == "rejected" and wrong_day["error"]["code"] == "invalid_event"
    naive = liu.push("calendar.event.save", _event(str(uuid.uuid4()), start="2026-12-07T16:30"))
    assert naive["status"] == "rejected" and naive["error"]["code"] == "invalid_payload"


def test_a_stale_offline_edit_is_refused_with_the_servers_version(live_server: LiveServer) -> None:
    """The rule: an edit made on a version the server no longer has is refused as calendar_conflict (naming the
    server's version); the edit that reached the server first stands, whatever the ops' created_at."""
    liu = Client(live_server, LIU)
    event_id = str(uuid.uuid4())
    assert liu.push("calendar.event.save", _event(event_id, repeat=None))["status"] == "applied"
    # The desk renames it (version 1 → 2) while the kiosk, offline, had moved it from version 1.
    desk = liu.push("calendar.event.save", _event(event_id, base=1, repeat=None, title="组会（改到A305）"))
    assert desk["status"] == "applied"
    kiosk = liu.push("calendar.event.save", _event(event_id, base=1, repeat=None, place="A101"))
    assert kiosk["status"] == "rejected"
    error = kiosk["error"]
    assert error["code"] == "calendar_conflict" and error["fields"] == {"base_version": "服务器上的版本为 2"}
    # What the terminal pulls is the desk's edit, untouched by the kiosk's.
    current = latest(liu.pull(), "calendar_event")[f"personal:{event_id}"]
    assert current is not None and current["version"] == 2
    assert current["title"] == "组会（改到A305）" and current["place"] == "信息楼402"
    # A stale delete is refused the same way; on the current version it goes through, and again is no error.
    assert liu.push("calendar.event.delete", {"event_id": event_id, "base_version": 1})["error"]["code"] == (
        "calendar_conflict"
    )
    assert liu.push("calendar.event.delete", {"event_id": event_id, "base_version": 2})["result"]["deleted"] is True
    again = liu.push("calendar.event.delete", {"event_id": event_id, "base_version": 2})
    assert again["status"] == "applied" and again["result"]["deleted"] is False
    assert latest(liu.pull(), "calendar_event")[f"personal:{event_id}"] is None
    # An edit of a deleted event is refused; another user cannot touch someone's event.
    gone = liu.push("calendar.event.save", _event(event_id, base=2))
    assert gone["error"]["code"] == "calendar_event_not_found"
    other_id = str(uuid.uuid4())
    assert liu.push("calendar.event.save", _event(other_id))["status"] == "applied"
    jia = Client(live_server, JIA)
    assert jia.push("calendar.event.save", _event(other_id, base=1))["error"]["code"] == "calendar_event_not_found"
    assert jia.push("calendar.event.delete", {"event_id": other_id})["result"]["deleted"] is False
    assert _calendar(liu, "2026-12-07T00:00:00+08:00", "2026-12-08T00:00:00+08:00", "personal")


def test_meetings_reach_their_audience_only(live_server: LiveServer) -> None:
    admin, student, liu, lin = (Client(live_server, u) for u in ("ADMIN", STUDENT, LIU, LIN))
    body = {
        "title": "信息工程学院教工例会",
        "start": "2026-12-21T15:00:00+08:00",
        "end": "2026-12-21T16:00:00+08:00",
        "place": "信息楼报告厅",
        "host": "高志远",
        "organizer": "xxgcxy",
        "departments": ["xxgcxy"],
        "attendees": [LIU],
    }
    created = admin.post("/api/v1/admin/meetings", body)
    assert created.status_code == 200, created.text
    meeting = created.json()["meeting"]
    key = meeting["id"]
    window = ("2026-12-21T00:00:00+08:00", "2026-12-22T00:00:00+08:00")
    # 林峰 is staff of 信息工程学院, 刘诗宏 is named; 王子涵 is a student of that college and does not see it.
    assert key in {e["id"] for e in _calendar(lin, *window, "meeting")}
    assert key in {e["id"] for e in _calendar(liu, *window, "meeting")}
    assert key not in {e["id"] for e in _calendar(student, *window)}
    assert latest(lin.pull(), "calendar_event")[key]["host"] == "高志远"
    assert key not in latest(student.pull(), "calendar_event")
    # A student's pull does have their timetable; a staff member's has their meetings, not the students' courses.
    student_events = latest(student.pull(), "calendar_event")
    assert any(k.startswith("course:") and v and v["title"] == "软件工程" for k, v in student_events.items())
    liu_events = latest(liu.pull(), "calendar_event")
    assert not any(v and v["title"] == "软件工程" for v in liu_events.values())
    assert any(v and v["title"] == "网络管理与运维实践" for v in liu_events.values())  # 刘诗宏 teaches it

    # A student may not publish; a department head only for their own department.
    assert student.post("/api/v1/admin/meetings", body).status_code == 403
    head = Client(live_server, "102399")  # 高志远, 信息工程学院负责人
    assert head.post("/api/v1/admin/meetings", {**body, "organizer": "jwc", "departments": ["jwc"]}).status_code == 403
    assert head.post("/api/v1/admin/meetings", body).status_code == 200

    # Dropping the named attendee tells him; cancelling tells everyone who had it.
    meeting_id = meeting["meeting_id"]
    response = requests.put(
        f"{live_server.url}/api/v1/admin/meetings/{meeting_id}",
        json={**body, "attendees": []},
        headers=admin.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert latest(liu.pull(), "calendar_event")[key] is None
    response = requests.delete(
        f"{live_server.url}/api/v1/admin/meetings/{meeting_id}", headers=admin.headers, timeout=10
    )
    assert response.status_code == 200
    assert latest(lin.pull(), "calendar_event")[key] is None
    missing = requests.delete(f"{live_server.url}/api/v1/admin/meetings/999999", headers=admin.headers, timeout=10)
    assert missing.status_code == 404


def test_feed_token_and_ics_round_trip(live_server: LiveServer) -> None:
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)
    created = liu.post("/api/v1/me/calendar/feed-token", {})
    assert created.status_code == 200, created.text
    feed_url = live_server.url + created.json()["path"]
    response = requests.get(feed_url, timeout=20)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")

    # A second parser reads it: the timezone, the seeded series with its RRULE and EXDATE, a moved occurrence.
    parsed = vobject.readOne(response.text)
    assert any(tz.tzid.value == "Asia/Shanghai" for tz in parsed.contents.get("vtimezone", []))
    events = parsed.vevent_list
    patrol = [e for e in events if e.summary.value == "机房巡检"]
    master = next(e for e in patrol if not hasattr(e, "recurrence_id"))
    assert "FREQ=WEEKLY" in master.rrule.value
    assert (
        str(master.dtstart.value.tzinfo) in ("Asia/Shanghai", "CST")
        or master.dtstart.value.utcoffset().seconds == 8 * 3600
    )
    assert any(d.date() == date(2026, 10, 2) for d in master.exdate.value)
    assert any(hasattr(e, "recurrence_id") for e in patrol)
    kinds = {e.contents["x-campus-kind"][0].value for e in events}
    assert kinds == {"personal", "course", "meeting"}

    # Export → import into another user's calendar → the same events.
    imported = requests.post(
        live_server.url + "/api/v1/me/calendar/import",
        data=response.content,
        headers={**jia.headers, "Content-Type": "text/calendar"},
        timeout=30,
    )
    assert imported.status_code == 200, imported.text
    report = imported.json()
    window = ("2026-09-01T00:00:00+08:00", "2027-02-01T00:00:00+08:00")
    mine = _calendar(liu, *window, "personal")
    theirs = _calendar(jia, *window, "personal")
    fields = ("title", "all_day", "start", "end", "place", "note", "reminder_minutes", "repeat", "exceptions")
    assert report["created"] == len({e["event_id"] for e in mine})
    assert [tuple(str(e[f]) for f in fields) for e in theirs] == [tuple(str(e[f]) for f in fields) for e in mine]
    # Importing again updates what it created; nothing is duplicated.
    again = requests.post(
        live_server.url + "/api/v1/me/calendar/import",
        data=response.content,
        headers={**jia.headers, "Content-Type": "text/calendar"},
        timeout=30,
    ).json()
    assert again["created"] == 0 and again["updated"] == report["created"]
    assert len(_calendar(jia, *window, "personal")) == len(theirs)

    # Revoked: the URL answers 404; a new token works, the old one still does not.
    assert requests.delete(live_server.url + "/api/v1/me/calendar/feed-token", headers=liu.headers, timeout=10).ok
    assert requests.get(feed_url, timeout=10).status_code == 404
    renewed = liu.post("/api/v1/me/calendar/feed-token", {}).json()
    assert requests.get(live_server.url + renewed["path"], timeout=10).status_code == 200
    assert requests.get(feed_url, timeout=10).status_code == 404


HOSTILE_ICS = [
    b"",
    b"not a calendar",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",  # no DTSTART
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261207T090000Z\r\nDTEND:20261207T080000Z\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n",  # ends before it starts
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nSUMMARY:\xed\xa0\x80\r\nDTSTART:20261207T090000Z\r\n"
    b"DTEND:20261207T100000Z\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nSUMMARY:月会\u0000\r\nDTSTART;TZID=Asia/Shanghai:20261207T090000\r\n"
    "DURATION:PT1H\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".encode(),
]


def test_nothing_a_client_sends_makes_a_500(live_server: LiveServer) -> None:
    liu = Client(live_server, LIU)
    for body in HOSTILE_ICS:
        response = requests.post(
            live_server.url + "/api/v1/me/calendar/import",
            data=body,
            headers={**liu.headers, "Content-Type": "text/calendar"},
            timeout=20,
        )
        assert response.status_code in (200, 422), (body, response.text)
        assert "error" in response.json() or "skipped" in response.json()
    for params in (
        {"from": "x", "to": "y"},
        {"from": "2026-12-01T00:00:00", "to": "2026-12-02T00:00:00"},
        {"from": "2026-12-02T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"},
        {"from": "2020-01-01T00:00:00+08:00", "to": "2030-01-01T00:00:00+08:00"},
        {"from": "2026-12-01T00:00:00+08:00", "to": "2026-12-02T00:00:00+08:00", "kind": "holiday"},
    ):
        response = liu.get("/api/v1/me/calendar", **params)
        assert response.status_code == 422, (params, response.text)
    raw = "/api/v1/me/calendar?from=%ED%A0%80&to=2026-12-02T00:00:00%2B08:00"  # a lone surrogate, as UTF-8 bytes
    assert requests.get(live_server.url + raw, headers=liu.headers, timeout=10).status_code == 422
    for token in ("x", "%ED%A0%80", "a" * 200, "%00"):
        assert requests.get(f"{live_server.url}/api/v1/calendar/feed/{token}.ics", timeout=10).status_code in (
            404,
            422,
        )
    admin = Client(live_server, "ADMIN")
    for body in (
        {"title": "\ud800", "start": "2026-12-21T15:00:00+08:00", "end": "2026-12-21T16:00:00+08:00"},
        {"title": "x", "start": "2026-12-21T15:00:00", "end": "2026-12-21T16:00:00", "attendees": [LIU]},
        {"title": "x", "start": "2026-12-21T15:00:00+08:00", "end": "2026-12-21T16:00:00+08:00"},
        {"title": "x", "start": "2026-12-21T15:00:00+08:00", "end": "2026-12-21T16:00:00+08:00", "attendees": ["NO"]},
        {
            "title": "x",
            "start": "2026-12-21T15:00:00+08:00",
            "end": "2026-12-21T16:00:00+08:00",
            "departments": ["nope"],
        },
    ):
        response = requests.post(
            live_server.url + "/api/v1/admin/meetings",
            data=__import__("json").dumps(body),
            headers={**admin.headers, "Content-Type": "application/json"},
            timeout=10,
        )
        assert response.status_code == 422, (body, response.text)
    for payload in (
        _event(str(uuid.uuid4()), title="\ud800"),
        _event(str(uuid.uuid4()), title="   "),
        _event(str(uuid.uuid4()), start="2026-02-30T10:00:00+08:00"),
        _event(str(uuid.uuid4()), repeat={"freq": "daily", "until": "2026-13-01"}),
        _event(str(uuid.uuid4()), repeat={"freq": "daily"}, end="2026-12-09T17:30:00+08:00"),
        _event(str(uuid.uuid4()), all_day=True, start="2026-12-07", end="2026-12-06"),
        _event(str(uuid.uuid4()), exceptions=[{"date": "2026-12-14", "start": "x", "end": "y"}]),
        _event(str(uuid.uuid4()), base=2**63 - 1),
    ):
        result = liu.push("calendar.event.save", payload)
        assert result["status"] == "rejected", (payload, result)


def test_the_migration_makes_the_calendar_tables_of_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from sync_server.migrate import upgrade
    from sync_server.models import Base

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    tables = ("courses", "terms", "meetings", "personal_events", "calendar_feed_tokens")
    assert [d for d in diff if any(t in repr(d) for t in tables)] == []
