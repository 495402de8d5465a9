"""The local store's side of 办件: tasks (待办 / 已办), the user's applications with the server's view,
notifications, workflow definitions; the optimistic effect of an action and its undoing; all personal rows
gone at logout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.models.store import LocalStore, mark_acting, mark_read
from tests.helpers import store_of_release


def _task(task_id: int, app_id: str, box: str, created: str, acted: str | None = None) -> dict[str, Any]:
    return {
        "seq": 0,
        "entity": "task",
        "id": str(task_id),
        "op": "upsert",
        "scope": "user",
        "data": {
            "id": task_id,
            "application_id": app_id,
            "process_code": "xj-diannao-weixiu",
            "step": "receive",
            "step_name": "现教中心实验室管理科接收",
            "box": box,
            "created_at": created,
            "acted_at": acted,
            "actions": ["approve", "return"],
            "application": {"id": app_id, "status": "submitted", "status_name": "待办理", "serial": 92818},
        },
    }


def _note(note_id: int, created: str, read: bool = False) -> dict[str, Any]:
    data = {"id": note_id, "kind": "task", "title": "新的待办", "body": "…", "created_at": created, "read": read}
    return {"seq": 0, "entity": "notification", "id": str(note_id), "op": "upsert", "scope": "user", "data": data}


def _apply(store: LocalStore, user: str, changes: list[dict[str, Any]]) -> None:
    assert store.apply_changes(user, changes, f"user.sync.cursor.{user}", 1, "epoch")


def test_tasks_boxes_counts_and_views(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    workflow = {"process": "xj-diannao-weixiu", "version": 2, "steps": [{"key": "receive", "name": "接收"}]}
    _apply(
        store,
        "jia",
        [
            _task(2, "app-b", "todo", "2026-11-29T09:00:00+00:00"),
            _task(1, "app-a", "todo", "2026-11-29T08:00:00+00:00"),
            _task(3, "app-c", "done", "2026-11-28T08:00:00+00:00", acted="2026-11-28T09:00:00+00:00"),
            _note(10, "2026-11-29T09:00:01+00:00"),
            _note(11, "2026-11-29T08:00:01+00:00", read=True),
            {
                "seq": 0,
                "entity": "workflow",
                "id": "xj-diannao-weixiu",
                "op": "upsert",
                "scope": "public",
                "data": workflow,
            },
        ],
    )
    # 待办: the longest waiting first; 已办 apart.
    assert [t["id"] for t in store.tasks("jia", "todo")] == [1, 2]
    assert [t["id"] for t in store.tasks("jia", "done")] == [3]
    assert store.inbox_counts("jia") == {"todo": 2, "done": 1, "mine": 0, "unread": 1}
    assert store.inbox_counts("liu") == {"todo": 0, "done": 0, "mine": 0, "unread": 0}
    assert store.application_view("jia", "app-a")["serial"] == 92818
    assert store.application_view("liu", "app-a") is None  # not theirs, no task on it
    assert store.workflow("xj-diannao-weixiu") == workflow
    assert [n["id"] for n in store.notifications("jia")] == [10, 11]
    # A task handled elsewhere (or cancelled) is deleted by the server's change.
    _apply(store, "jia", [{"seq": 0, "entity": "task", "id": "2", "op": "delete", "scope": "user", "data": None}])
    assert [t["id"] for t in store.tasks("jia", "todo")] == [1]
    store.close()


def test_an_action_shows_at_once_and_is_undone_when_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    _apply(store, "jia", [_task(1, "app-a", "todo", "2026-11-29T08:00:00+00:00")])
    op = store.enqueue(
        "jia",
        "workflow.approve",
        {"application_id": "app-a", "task_id": 1},
        lambda session: mark_acting(session, "jia", "app-a", "approve"),
        entity="application:app-a",
    )
    assert store.tasks("jia", "todo")[0]["pending_action"] == "approve"
    message = "该事项已由他人办理"
    store.record_results(
        [{"id": op["id"], "status": "rejected", "error": {"code": "task_already_handled", "message": message}}]
    )
    assert "pending_action" not in store.tasks("jia", "todo")[0]
    states = store.op_states("jia", "application:")
    assert states["application:app-a"] == {"status": "rejected", "error": message}
    store.close()


def test_read_notifications_ahead_of_the_server_and_back_when_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    _apply(store, "jia", [_note(10, "2026-11-29T09:00:00+00:00"), _note(11, "2026-11-29T09:00:01+00:00")])
    op = store.enqueue("jia", "notification.read", {"all": True}, lambda session: mark_read(session, "jia", None))
    assert store.inbox_counts("jia")["unread"] == 0
    store.record_results([{"id": op["id"], "status": "rejected", "error": {"code": "x", "message": "y"}}])
    assert store.inbox_counts("jia")["unread"] == 2
    store.close()


def test_logout_forgets_tasks_and_notifications(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    _apply(store, "jia", [_task(1, "app-a", "todo", "2026-11-29T08:00:00+00:00"), _note(10, "2026-11-29T09:00")])
    store.wipe_personal()
    assert store.inbox_counts("jia") == {"todo": 0, "done": 0, "mine": 0, "unread": 0}
    raw = (tmp_path / "kiosk.db").read_bytes()
    assert "现教中心实验室管理科接收".encode() not in raw
    store.close()


def test_done_lists_an_application_once_with_its_latest_task(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    # 贾孟杰 approved app-a, it came back to him, and he approved it again; app-b once.
    _apply(
        store,
        "jia",
        [
            _task(1, "app-a", "done", "2026-11-27T08:00:00+00:00", acted="2026-11-27T09:00:00+00:00"),
            _task(2, "app-b", "done", "2026-11-28T08:00:00+00:00", acted="2026-11-28T09:00:00+00:00"),
            _task(3, "app-a", "done", "2026-11-29T08:00:00+00:00", acted="2026-11-29T09:00:00+00:00"),
        ],
    )
    assert [t["id"] for t in store.tasks("jia", "done")] == [3, 2]
    assert store.inbox_counts("jia")["done"] == 2
    store.close()


def test_post_holders_are_kept_per_user_and_forgotten_at_logout(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    holders = {"receive": [{"user_id": "101207", "name": "贾孟杰", "department": "现教中心", "post": "实验室管理科"}]}
    change = {
        "seq": 0,
        "entity": "workflow_handlers",
        "id": "xj-diannao-weixiu",
        "op": "upsert",
        "scope": "user",
        "data": {"process_code": "xj-diannao-weixiu", "version": 2, "steps": holders},
    }
    _apply(store, "liu", [change])
    assert store.workflow_handlers("liu", "xj-diannao-weixiu") == holders
    assert store.workflow_handlers("zhang", "xj-diannao-weixiu") == {}
    store.wipe_personal()
    assert store.workflow_handlers("liu", "xj-diannao-weixiu") == {}
    assert "贾孟杰".encode() not in (tmp_path / "kiosk.db").read_bytes()
    store.close()


def test_store_migration_9_takes_staff_names_out_of_kept_workflow_definitions(tmp_path: Path) -> None:
    import json

    # A kiosk's store as the previous release left it: a workflow definition with the post's holders in it.
    with store_of_release(tmp_path / "kiosk.db", 8) as conn:
        old = {"steps": [{"key": "receive", "candidates": [{"user_id": "101207", "name": "贾孟杰"}]}], "version": 2}
        conn.execute(
            "INSERT INTO workflows VALUES (?, ?, ?)", ("xj-diannao-weixiu", 2, json.dumps(old, ensure_ascii=False))
        )
    store = LocalStore(tmp_path / "kiosk.db")
    assert store.workflow("xj-diannao-weixiu") == {"steps": [{"key": "receive"}], "version": 2}
    # And a definition pulled from a server that still sends them is kept without them.
    _apply(
        store,
        "liu",
        [{"seq": 0, "entity": "workflow", "id": "hq-baoxiu", "op": "upsert", "scope": "public", "data": old}],
    )
    assert store.workflow("hq-baoxiu") == {"steps": [{"key": "receive"}], "version": 2}
    store.checkpoint()
    assert "贾孟杰".encode() not in (tmp_path / "kiosk.db").read_bytes()
    store.close()
