"""Desk mode's tray messages: each new unread 办事通知 is shown once; ones already there when the user's
notifications were first read, and read ones, are not announced again."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.backend import Backend
from kiosk.services.config import KioskConfig
from kiosk.services.inbox import InboxSnapshot
from kiosk.views.inbox import Inbox
from kiosk.views.tray import DeskTray


@pytest.fixture
def inbox(qapp: Any, tmp_path: Any) -> Inbox:
    """The desk client's Inbox as the application builds it (no server, no store: nothing is read)."""
    backend = Backend(KioskConfig(server_url="http://127.0.0.1:9", mode="desk", data_dir=str(tmp_path)))
    return backend.inbox


def _note(n: int, read: bool = False) -> dict[str, Any]:
    return {
        "id": n,
        "kind": "task",
        "title": f"新的待办 {n}",
        "body": "…",
        "created_at": "2026-11-29T09:00",
        "read": read,
    }


def test_new_unread_notifications_reach_the_tray_once(inbox: Inbox) -> None:
    tray = DeskTray(inbox)
    inbox.present(InboxSnapshot(notifications=[_note(1), _note(2, read=True)]))  # there at login: no burst of old news
    assert tray.shown == []
    later = [_note(3), _note(1), _note(2, read=True), _note(4, read=True)]
    inbox.present(InboxSnapshot(notifications=later))
    assert tray.shown == [("新的待办 3", "…")]
    inbox.present(InboxSnapshot(notifications=later))
    assert tray.shown == [("新的待办 3", "…")]  # not again
    assert inbox.notifications.rowCount() == 4  # the bell and 消息 show them all


def test_a_refused_action_reaches_the_tray_once(inbox: Inbox) -> None:
    tray = DeskTray(inbox)
    todo = [{"application_id": "a1", "process_code": "jw-chengjidan", "box": "todo"}]
    pending = {"application:a1": {"status": "pending", "error": ""}}
    refused = {"application:a1": {"status": "rejected", "error": "该待办已由袁丽萍处理，无需再办理"}}
    inbox.present(InboxSnapshot(todo=todo, states=refused))  # refused before this session's action: not news
    assert tray.shown == []
    inbox.present(InboxSnapshot(todo=todo, states=pending))
    inbox.present(InboxSnapshot(states=refused))  # someone else took the task: it left 待办
    assert tray.shown == [("未能办理", "该待办已由袁丽萍处理，无需再办理")]  # no catalog here: no process name
    inbox.present(InboxSnapshot(states=refused))
    assert len(tray.shown) == 1
