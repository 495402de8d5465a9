"""Rows of 待办 / 已办 / 我的申请 as the lists show them: waiting time in words, overdue, 待分配 until the
server numbers an application, how it ended; each box filtered by process and status, with its outbox state."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.services.inbox import (
    InboxSnapshot,
    box_items,
    item_from_application,
    item_from_task,
    process_choices,
    status_choices,
    waiting_text,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_waiting_text() -> None:
    assert waiting_text("2026-11-29T11:59:30+00:00", NOW) == "刚刚"
    assert waiting_text("2026-11-29T11:48:00+00:00", NOW) == "12 分钟"
    assert waiting_text("2026-11-29T09:00:00+00:00", NOW) == "3 小时"
    assert waiting_text("2026-11-27T11:00:00", NOW) == "2 天"  # naive times are UTC
    assert waiting_text(None, NOW) == waiting_text("not a time", NOW) == ""


def test_task_row() -> None:
    task = {
        "id": 7,
        "application_id": "a1",
        "process_code": "xj-diannao-weixiu",
        "step_name": "现教中心实验室管理科接收",
        "box": "todo",
        "created_at": "2026-11-29T09:00:00+00:00",
        "due_at": "2026-11-29T10:00:00+00:00",
        "application": {"status": "submitted", "serial": 92818, "applicant": {"name": "刘诗宏"}},
    }
    row = item_from_task(task, {"xj-diannao-weixiu": "教职工办公电脑维修申请"}, NOW)
    assert (row.name, row.applicant, row.serial, row.status_name) == (
        "教职工办公电脑维修申请",
        "刘诗宏",
        "92818",
        "待办理",
    )
    assert (row.waiting, row.overdue, row.task_id) == ("3 小时", True, "7")
    done = item_from_task({**task, "box": "done"}, {}, NOW)
    assert (done.waiting, done.overdue) == ("", False)  # handled: no longer waiting on anyone


def test_application_row_before_and_after_the_server() -> None:
    queued = {"id": "a2", "process_code": "jw-xiuxue", "status": "queued", "created_at": "2026-11-29T11:00:00+00:00"}
    row = item_from_application(queued, {"jw-xiuxue": "休学审批申请"}, NOW)
    assert (row.serial, row.status_name, row.name) == ("待分配", "待提交", "休学审批申请")
    numbered = {
        **queued,
        "status": "confirming",
        "status_name": "待确认",
        "serial": 92819,
        "current_step_name": "申请人确认",
        "step_started_at": "2026-11-29T11:30:00+00:00",
    }
    row = item_from_application(numbered, {}, NOW)
    assert (row.serial, row.status_name, row.step_name, row.waiting) == ("92819", "待确认", "申请人确认", "30 分钟")
    assert row.outcome == ""
    ended = item_from_application({**numbered, "status": "rejected", "status_name": "不予办理"}, {}, NOW)
    assert (ended.waiting, ended.outcome) == ("", "stopped")  # final: waits on nobody
    assert item_from_application({**numbered, "status": "completed"}, {}, NOW).outcome == "completed"


def test_a_box_filtered_with_its_outbox_states() -> None:
    def mine(app_id: str, code: str, status: str) -> dict[str, object]:
        return {"id": app_id, "process_code": code, "status": status, "created_at": "2026-11-29T11:00:00+00:00"}

    snapshot = InboxSnapshot(
        mine=[mine("a1", "jw-huankao", "in_progress"), mine("a2", "jw-chengjidan", "submitted")],
        states={"application:a1": {"status": "rejected", "error": "每小时只能催办一次"}},
    )
    names = {"jw-chengjidan": "成绩单打印申请"}
    rows = box_items(snapshot, "mine", names, NOW)
    assert [(r.application_id, r.sync_state, r.sync_error) for r in rows] == [
        ("a1", "rejected", "每小时只能催办一次"),
        ("a2", "", ""),
    ]
    assert [r.application_id for r in box_items(snapshot, "mine", names, NOW, process_code="jw-chengjidan")] == ["a2"]
    assert [r.application_id for r in box_items(snapshot, "mine", names, NOW, status="in_progress")] == ["a1"]
    assert box_items(snapshot, "todo", names, NOW) == []
    assert process_choices(snapshot, "mine", names) == [
        {"code": "jw-chengjidan", "name": "成绩单打印申请"},
        {"code": "jw-huankao", "name": "jw-huankao"},  # not in the catalog: its code
    ]
    # In the filter's order (the server's), not the box's.
    assert status_choices(snapshot, "mine") == [
        {"code": "submitted", "name": "待办理"},
        {"code": "in_progress", "name": "办理中"},
    ]
