"""Rows of 待办 / 已办 / 我的申请 as the lists show them: waiting time in words, overdue, 待分配 until the
server numbers an application."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.views.inbox import item_from_application, item_from_task, waiting_text

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
