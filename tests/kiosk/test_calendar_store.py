"""日程中心 in the local store (kiosk/models/calendar.py, kiosk/services/calendar.py): pulled events with their
dated occurrences read by time, a personal event written offline shown at once and delivered, 首页's (10)–(12)
for a day, and nothing left after logout — against a real server for the student's real timetable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kiosk.models.store import LocalStore
from kiosk.services import calendar
from kiosk.services.api_client import ApiClient
from kiosk.services.sync import SyncEngine
from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated


def _change(event_id: str, data: dict[str, Any] | None, op: str = "upsert") -> dict[str, Any]:
    return {"entity": "calendar_event", "id": event_id, "op": op, "data": data, "scope": "user", "seq": 1}


def test_events_are_read_by_time_and_wiped_at_logout(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    course = {
        "kind": "course",
        "title": "软件工程",
        "place": "A203",
        "all_day": False,
        "occurrences": [
            ["2026-12-07T08:00:00+08:00", "2026-12-07T09:40:00+08:00"],
            ["2026-12-14T08:00:00+08:00", "2026-12-14T09:40:00+08:00"],
        ],
    }
    meeting = {
        "kind": "meeting",
        "title": "周例会",
        "place": "行政楼301",
        "all_day": False,
        "occurrences": [["2026-12-08T09:00:00+08:00", "2026-12-08T10:00:00+08:00"]],
    }
    sports = {"kind": "personal", "title": "校运会", "all_day": True, "occurrences": [["2026-12-07", "2026-12-08"]]}
    changes = [_change("course:1", course), _change("meeting:1", meeting), _change("personal:1", sports)]
    assert store.apply_changes(STUDENT, changes, "user.sync.cursor.x", 1, "e1")

    week = store.calendar_between(STUDENT, "2026-12-07", "2026-12-14")
    assert [(o["kind"], o["start"]) for o in week] == [
        ("personal", "2026-12-07"),
        ("course", "2026-12-07T08:00:00+08:00"),
        ("meeting", "2026-12-08T09:00:00+08:00"),
    ]
    today = {a["kind"]: a for a in calendar.agenda(store, STUDENT, date(2026, 12, 8))}
    assert today["meeting"]["today"][0]["title"] == "周例会" and today["meeting"]["week"] == 1
    assert today["personal"]["today"][0]["time"] == "全天"  # an all-day event runs over its last day too
    assert today["course"]["today"] == [] and today["course"]["week"] == 1

    # An upsert replaces every occurrence; a delete removes the event.
    store.apply_changes(
        STUDENT,
        [_change("course:1", {**course, "occurrences": course["occurrences"][1:]})],
        "user.sync.cursor.x",
        2,
        "e1",
    )
    assert [o["kind"] for o in store.calendar_between(STUDENT, "2026-12-07", "2026-12-14")] == ["personal", "meeting"]
    store.apply_changes(STUDENT, [_change("meeting:1", None, "delete")], "user.sync.cursor.x", 3, "e1")
    assert store.calendar_event(STUDENT, "meeting:1") is None

    # A reminder marked shown is the user's data too: gone with the wipe, and a look that read the store before
    # the wipe and marks after it leaves nothing behind.
    store.mark_reminders_fired(STUDENT, [("personal:1", "2026-12-07")], "2026-12-06T20:00:00+08:00")
    assert store.reminders_fired(STUDENT, "2026-01-01") == {("personal:1", "2026-12-07")}
    store.wipe_personal()
    assert store.calendar_between(STUDENT, "2026-01-01", "2027-12-31") == []
    assert store.reminders_fired(STUDENT, "2026-01-01") == set()
    store.mark_reminders_fired(STUDENT, [("course:1", "2026-12-14T08:00:00+08:00")], "2026-12-06T20:00:01+08:00")
    assert store.reminders_fired(STUDENT, "2026-01-01") == set()
    store.close()


def test_a_personal_event_written_offline_shows_and_is_delivered(live_server: LiveServer, tmp_path: Path) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    client = ApiClient(live_server.url)
    client.access_token = token
    store = LocalStore(tmp_path / "kiosk.db")
    engine = SyncEngine(client, store, "kiosk-test")
    engine.pull(STUDENT)
    # The student's real timetable arrived: 我的课表 on a Monday of the term.
    monday = {a["kind"]: a for a in calendar.agenda(store, STUDENT, date(2026, 12, 7))}
    assert monday["course"]["week"] > 0 and monday["course"]["today"]

    event = {
        "event_id": calendar.new_event_id(),
        "title": "组会",
        "all_day": False,
        "place": "信息楼402",
        "start": "2026-12-09T16:30:00+08:00",
        "end": "2026-12-09T17:30:00+08:00",
        "repeat": None,
    }
    op_type, payload, local = calendar.event_save_write(STUDENT, event)
    store.enqueue(STUDENT, op_type, payload, local, entity=f"calendar:{event['event_id']}")
    shown = store.calendar_between(STUDENT, "2026-12-09", "2026-12-10")
    assert "组会" in [o["title"] for o in shown if o["kind"] == "personal"]  # at once, before any sync

    report = engine.push(STUDENT)
    assert report.applied == 1, report
    engine.pull(STUDENT)
    stored = store.calendar_event(STUDENT, f"personal:{event['event_id']}")
    assert stored is not None and stored["version"] == 1 and stored["place"] == "信息楼402"
    store.close()
