"""What one read of the user's 办件 holds (from a real local store), and which of the user's actions the server
refused between two reads: each refusal said once, named after its process even when its task is gone, even
when a read dropped the task before the refusal came."""

from __future__ import annotations

from pathlib import Path

from kiosk.models.store import LocalStore
from kiosk.services.inbox import InboxSnapshot, RefusalWatch, read_inbox

NAMES = {"jw-chengjidan": "成绩单打印申请"}
TASK = {"application_id": "a1", "process_code": "jw-chengjidan", "box": "todo"}
TAKEN = {"application:a1": {"status": "rejected", "error": "该待办已由袁丽萍处理，无需再办理"}}


def test_a_read_of_the_store(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    form = {"process": "jw-chengjidan", "version": 1, "schema": {}, "ui": {"sections": [], "fields": {}}}
    task = {**TASK, "id": 3, "created_at": "2026-11-29T09:00:00+00:00", "application": {"id": "a1"}}
    changes = [
        {"seq": 0, "entity": "task", "id": "3", "op": "upsert", "scope": "user", "data": task},
        {"seq": 0, "entity": "form", "id": "jw-chengjidan", "op": "upsert", "scope": "public", "data": form},
        {"seq": 0, "entity": "form", "id": "jw-huankao", "op": "upsert", "scope": "public", "data": form},
    ]
    assert store.apply_changes("101205", changes, "user.sync.cursor.101205", 1, "epoch")
    snapshot = read_inbox(store, "101205")
    assert [t["id"] for t in snapshot.todo] == [3] and snapshot.done == snapshot.mine == []
    assert list(snapshot.forms) == ["jw-chengjidan"]  # the forms of what is in the boxes, no more
    assert snapshot.counts == {"todo": 1, "done": 0, "mine": 0, "unread": 0}
    assert read_inbox(store, "someone-else").todo == []
    store.close()


def test_a_refusal_is_news_once() -> None:
    watch = RefusalWatch()
    queued = InboxSnapshot(todo=[TASK]).with_pending("a1")
    gone = InboxSnapshot(states=TAKEN)  # someone else took the task: it left 待办
    [refusal] = watch.news(queued, gone, NAMES)
    assert (refusal.process_name, refusal.reason) == ("成绩单打印申请", "该待办已由袁丽萍处理，无需再办理")
    assert watch.news(gone, gone, NAMES) == []  # the next read: already said
    assert watch.news(InboxSnapshot(todo=[TASK]), gone, NAMES) == []  # refused before this session: not news
    assert watch.news(queued, gone, {})[0].process_name == ""  # no catalog: no name


def test_a_refusal_read_after_its_task_left_is_still_named() -> None:
    # A sync round already under way pulled the task's deletion before it pushed the action: one read has the
    # action pending and no task, the next one the refusal.
    watch = RefusalWatch()
    watch.queued("a1", "jw-chengjidan")
    emptied = InboxSnapshot(states={"application:a1": {"status": "pending", "error": ""}})
    assert watch.news(InboxSnapshot(todo=[TASK]).with_pending("a1"), emptied, NAMES) == []
    [refusal] = watch.news(emptied, InboxSnapshot(states=TAKEN), NAMES)
    assert refusal.process_name == "成绩单打印申请"
    watch.queued("a2", "jw-chengjidan")
    applied = {"application:a2": {"status": "applied", "error": ""}}
    watch.news(InboxSnapshot().with_pending("a2"), InboxSnapshot(states=applied), NAMES)
    refused_later = {"application:a2": {"status": "rejected", "error": "…"}}
    # Settled, the action is forgotten: a later refusal (a later action, queued elsewhere) names nothing of it.
    assert (
        watch.news(InboxSnapshot().with_pending("a2"), InboxSnapshot(states=refused_later), NAMES)[0].process_name == ""
    )
