"""The engine against a clock the test sets (core/clock.py set_clock), in-process on a copy of the demo database:
urging at most once an hour, due times and overdue tasks in 待办, waiting times."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sync_server.core import inbox, sync, workflow_views
from sync_server.core.clock import set_clock
from sync_server.db import Database
from sync_server.models import Application, User
from tests.helpers import copy_sqlite
from tests.server.workflow_helpers import JWC_A, STUDENT, example

TRANSCRIPT = "jw-chengjidan"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Iterator[Clock]:
    fake = Clock(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))  # 04:00 the next day on campus (UTC+8)
    set_clock(fake)
    yield fake
    set_clock(None)


@pytest.fixture
def db(seeded_sqlite: Path, tmp_path: Path) -> Iterator[Database]:
    database = Database(copy_sqlite(seeded_sqlite, tmp_path))
    yield database
    database.dispose()


def push(db: Database, user_id: str, op_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    op = {"id": str(uuid.uuid4()), "seq": 1, "type": op_type, "payload": payload, "created_at": ""}
    return sync.push(db.sessions, user_id, "test", [op])[0]


def submit(db: Database) -> str:
    app_id = str(uuid.uuid4())
    data = example(TRANSCRIPT, STUDENT)
    result = push(
        db, STUDENT, "application.submit", {"application_id": app_id, "process_code": TRANSCRIPT, "data": data}
    )
    assert result["status"] == "applied", result
    return app_id


def test_urge_is_allowed_again_after_an_hour(db: Database, clock: Clock) -> None:
    app_id = submit(db)
    assert push(db, STUDENT, "workflow.urge", {"application_id": app_id})["status"] == "applied"
    clock.advance(minutes=59, seconds=59)
    too_soon = push(db, STUDENT, "workflow.urge", {"application_id": app_id})
    assert too_soon["error"]["code"] == "urge_too_soon" and "1 分钟后" in too_soon["error"]["message"]
    clock.advance(seconds=1)
    assert push(db, STUDENT, "workflow.urge", {"application_id": app_id})["status"] == "applied"
    clock.advance(minutes=30)
    assert push(db, STUDENT, "workflow.urge", {"application_id": app_id})["error"]["code"] == "urge_too_soon"
    # Each urging reached both clerks (pool of 教务处办事员): two urges, two notifications each.
    with db.sessions() as s:
        assert inbox.counts(s, JWC_A)["unread_notifications"] == 1 + 2  # the new task, then two urges


def test_due_times_overdue_and_waiting_in_the_lists(db: Database, clock: Clock) -> None:
    submitted_at = clock.now
    app_id = submit(db)
    with db.sessions() as s:
        item = inbox.tasks_page(s, JWC_A, "todo").items[0]
    assert item["application_id"] == app_id
    due = datetime.fromisoformat(item["task"]["due_at"])
    assert due == submitted_at + timedelta(hours=72)  # 成绩单打印申请: 3 days, one step
    assert (item["task"]["overdue"], item["waiting_seconds"]) == (False, 0)

    clock.advance(hours=73)
    with db.sessions() as s:
        item = inbox.tasks_page(s, JWC_A, "todo").items[0]
        mine = inbox.tasks_page(s, STUDENT, "mine", process=TRANSCRIPT).items[0]
    assert item["task"]["overdue"] is True and item["waiting_seconds"] == 73 * 3600
    assert mine["waiting_seconds"] == 73 * 3600 and mine["task"] is None

    section = example(TRANSCRIPT, JWC_A, "handle", where=lambda d: d.get("handle_result") != "不予办理")
    assert push(db, JWC_A, "workflow.approve", {"application_id": app_id, "data": section})["status"] == "applied"
    with db.sessions() as s:
        done = inbox.tasks_page(s, JWC_A, "done").items[0]
        mine = inbox.tasks_page(s, STUDENT, "mine", process=TRANSCRIPT).items[0]
    assert done["task"]["acted_at"] == clock.now.isoformat() and done["task"]["overdue"] is False
    assert mine["status"] == "completed" and mine["waiting_seconds"] is None  # nothing waits once 办结
    # The section's 办理日期 is the campus's date at that moment (UTC+8), not UTC's: 12-05 there, still 12-04 in UTC.
    with db.sessions() as s:
        app = s.get(Application, app_id)
        assert app is not None
        assert clock.now.date().isoformat() == "2026-12-04" and app.data["handle_date"] == "2026-12-05"


def test_a_past_application_without_a_workflow_can_be_viewed_not_acted_on(db: Database) -> None:
    """The demo's past 办结 applications predate workflows: their applicant sees them (申请人填写 → 办结); acting
    on them is refused, with 403 for anyone else."""
    with db.sessions() as s:
        app = s.scalars(select(Application).where(Application.workflow_version.is_(None)).limit(1)).one()
        applicant = s.get(User, app.applicant_id)
        assert applicant is not None
        view = workflow_views.view_for(s, applicant, app.id)
        app_id, applicant_id = app.id, app.applicant_id
    assert view["status_name"] == "办结" and [x["name"] for x in view["steps"]] == ["申请人填写", "办结"]
    assert (
        push(db, applicant_id, "workflow.comment", {"application_id": app_id, "comment": "谢谢"})["error"]["code"]
        == "workflow_not_found"
    )
    stranger = JWC_A if applicant_id != JWC_A else STUDENT
    assert push(db, stranger, "workflow.approve", {"application_id": app_id})["error"]["code"] == "forbidden"
