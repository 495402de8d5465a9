"""List models checked with pytest-qt's model tester (row counts, roles, reset signals)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kiosk.views.process_model import ProcessListModel, ProcessRole, ProcessRow

SAMPLE = [
    {
        "code": "xj-diannao-weixiu",
        "name": "教职工办公电脑维修申请",
        "department": "现教中心",
        "department_name": "现代教育技术中心",
        "audience": ["教工"],
        "category": "网络服务",
        "description": "办公电脑故障报修",
        "recommended": False,
        "popular_rank": None,
    },
    {
        "code": "hq-baoxiu",
        "name": "后勤报修申请",
        "department": "后勤处",
        "audience": ["学生", "教工"],
        "category": "生活服务",
        "description": "此流程适用于非网络类报修。",
        "recommended": True,
        "popular_rank": None,
    },
    {
        "code": "jw-xiuxue",
        "name": "休学审批申请",
        "department": "教务处",
        "audience": ["学生"],
        "category": "教学教务",
        "description": "",
        "recommended": False,
        "popular_rank": 4,
    },
]


def test_process_model_passes_model_tester(qtmodeltester: Any) -> None:
    model = ProcessListModel()
    model.set_rows([ProcessRow.from_dict(p) for p in SAMPLE])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_process_model_roles_and_count(qtbot: Any) -> None:
    model = ProcessListModel()
    with qtbot.waitSignal(model.countChanged):
        model.set_rows([ProcessRow.from_dict(p) for p in SAMPLE])
    assert model.property("count") == 3
    names = model.roleNames()
    assert bytes(names[ProcessRole.DepartmentName]) == b"departmentName"
    assert bytes(names[ProcessRole.PopularRank]) == b"popularRank"
    index = model.index(1, 0)
    assert model.data(index, Qt.ItemDataRole.DisplayRole) == "后勤报修申请"
    assert model.data(index, ProcessRole.Audience) == "学生/教工"
    assert model.data(index, ProcessRole.Recommended) is True
    assert model.data(model.index(2, 0), ProcessRole.PopularRank) == 4
    assert model.data(model.index(0, 0), ProcessRole.DepartmentName) == "现代教育技术中心"
    assert model.data(model.index(5, 0), ProcessRole.Name) is None


def test_session_model_shows_campus_times(qtmodeltester: Any, monkeypatch: Any) -> None:
    import time

    from kiosk.views.devices_model import SessionListModel, SessionRole, session_rows

    monkeypatch.setenv("TZ", "America/New_York")  # a PC abroad still reads the campus's (Beijing) time
    time.tzset()
    try:
        rows = session_rows(
            [
                {
                    "id": "a",
                    "kind": "kiosk",
                    "device_name": "图书馆 1 号机",
                    "last_seen_at": "2026-11-29T03:51:00Z",
                    "current": True,
                },
                {
                    "id": "b",
                    "kind": "phone",
                    "device_name": None,
                    "last_seen_at": "2026-11-29T16:00:00",
                    "current": False,
                },
            ]
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert rows[0].last_seen == "2026-11-29 11:51" and rows[0].kind == "自助终端"
    assert rows[1].last_seen == "2026-11-30 00:00" and rows[1].device_name == "未命名设备"
    model = SessionListModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0), SessionRole.Current) is True


def test_letter_model_passes_model_tester(qtmodeltester: Any) -> None:
    from kiosk.views.process_model import LetterListModel, LetterRole, LetterRow

    model = LetterListModel()
    model.set_rows([LetterRow("B"), LetterRow("X"), LetterRow("#")])
    qtmodeltester.check(model)
    assert bytes(model.roleNames()[LetterRole.Letter]) == b"letter"
    assert model.data(model.index(1, 0), LetterRole.Letter) == "X"
    model.update_rows([LetterRow("B"), LetterRow("Z"), LetterRow("#")])  # same count: rows change in place
    qtmodeltester.check(model)


def test_work_item_model_passes_model_tester(qtmodeltester: Any) -> None:
    from datetime import UTC, datetime

    from kiosk.services.inbox import item_from_application, item_from_task
    from kiosk.views.inbox_models import WorkItemListModel, WorkItemRole

    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    task = {"id": 7, "application_id": "a1", "box": "todo", "application": {"status": "submitted", "serial": 92818}}
    app = {"id": "a2", "process_code": "jw-xiuxue", "status": "completed"}
    model = WorkItemListModel()
    model.set_rows([item_from_task(task, {}, now), item_from_application(app, {"jw-xiuxue": "休学审批申请"}, now)])
    qtmodeltester.check(model)
    assert bytes(model.roleNames()[WorkItemRole.StatusName]) == b"statusName"
    assert model.data(model.index(0, 0), WorkItemRole.Serial) == "92818"
    assert model.data(model.index(1, 0), WorkItemRole.Outcome) == "completed"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.DisplayRole) == "休学审批申请"
    model.set_rows([])
    qtmodeltester.check(model)


def test_notification_model_passes_model_tester(qtmodeltester: Any) -> None:
    from kiosk.services.notifications import notification_rows
    from kiosk.views.inbox_models import NotificationListModel, NotificationRole

    model = NotificationListModel()
    notes = [
        {"id": 10, "title": "新的待办", "body": "…", "application_id": "a1", "read": False},
        {"id": 11, "read": True},
    ]
    model.set_rows(notification_rows(notes))
    qtmodeltester.check(model)
    assert bytes(model.roleNames()[NotificationRole.ApplicationId]) == b"applicationId"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "新的待办"
    assert model.data(model.index(1, 0), NotificationRole.Read) is True
