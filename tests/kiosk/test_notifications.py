"""办事通知 without Qt: their rows, which are news since the last look (the first look after signing in finds
none), and marking them read as an outbox operation with its local effect."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.models.store import LocalStore
from kiosk.services.notifications import UnreadNews, notification_rows, read_write

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _note(n: int, read: bool = False) -> dict[str, Any]:
    return {
        "id": n,
        "kind": "task",
        "title": f"新的待办 {n}",
        "body": "…",
        "created_at": "2026-11-29T09:00",
        "read": read,
    }


def test_rows() -> None:
    row = notification_rows([{**_note(1), "application_id": "a1"}], NOW)[0]
    assert (row.id, row.title, row.application_id, row.read, row.when) == ("1", "新的待办 1", "a1", False, "3 小时")
    assert notification_rows([{"id": 2}], NOW)[0].application_id == ""


def test_news_since_the_last_look() -> None:
    news = UnreadNews()
    assert news.news(notification_rows([_note(1), _note(2, read=True)])) == []  # what was there at login
    later = notification_rows([_note(3), _note(1), _note(4, read=True)])
    assert [r.title for r in news.news(later)] == ["新的待办 3"]  # unread and new; a read one is not news
    assert news.news(later) == []
    news.forget()  # the user left; the next one's first look is quiet too
    assert news.news(notification_rows([_note(5)])) == []


def test_marking_read(tmp_path: Path) -> None:
    assert read_write("101203", ["10", "x"])[:2] == ("notification.read", {"ids": [10]})
    op, payload, apply_local = read_write("101203", None)
    assert (op, payload) == ("notification.read", {"all": True})
    store = LocalStore(tmp_path / "kiosk.db")
    changes = [
        {"seq": 0, "entity": "notification", "id": str(n), "op": "upsert", "scope": "user", "data": _note(n)}
        for n in (10, 11)
    ]
    assert store.apply_changes("101203", changes, "user.sync.cursor.101203", 1, "epoch")
    store.enqueue("101203", *read_write("101203", ["10"]))
    assert {n["id"]: n["read"] for n in store.notifications("101203")} == {10: True, 11: False}
    store.enqueue("101203", op, payload, apply_local)
    assert store.inbox_counts("101203")["unread"] == 0
    store.close()
