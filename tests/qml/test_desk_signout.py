"""Leaving within an undo time (issue 20): a final 通过 is held five seconds for its undo bar. Signing out (or
closing the desk client) is not 撤销: what the staff member chose goes into the outbox at once, signed with their
session's key, and reaches the server after they have left; what they undid stays undone. Against a real server
(SQLite), with the real QML and real keys and clicks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, Qt
from PySide6.QtTest import QTest

from kiosk.views.held_writes import HOLD_MS
from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.qml.workflow_steps import synced
from tests.server.workflow_helpers import JWC_A, STUDENT, Client, example

ZAIDU = "jw-zaidu-zhengming"  # one step: 通过 there ends the application, so it is held for its undo bar
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def server(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("desk-signout")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir / "db"), workdir=workdir).start()
    yield live
    live.stop()


def _todo_list(server: LiveServer, launch_ui: Any, count: int, data_dir: str | None = None) -> Any:
    """陈晓燕's 待办 on a desk client, with `count` rows, the list holding the keyboard."""
    ui = launch_ui(server.url, mode="desk", data_dir=data_dir)
    log_in(ui, JWC_A, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    synced(ui)
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "todo"))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.wait_for(lambda: int(ui.find("workItems").property("count")) == count, timeout=20_000)
    ui.wait_idle()
    assert ui.find("workItems").hasActiveFocus()
    return ui


def _current_id(ui: Any) -> str:
    return str(ui.find("workItems").property("currentItem").property("row").property("applicationId"))


def _key(ui: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    ui.wait_idle()
    QTest.keyClick(ui.window, key, modifiers)
    ui.settle(20)


def _status(jwc: Client, app_id: str) -> str:
    return str(jwc.application(app_id)["status"])


def test_signing_out_sends_the_held_approval(server: LiveServer, launch_ui: Any) -> None:
    jwc = Client(server, JWC_A)  # their first password changed, as the manual requires
    data = example(ZAIDU, STUDENT)
    ids = Client(server, STUDENT).submit_many(ZAIDU, [data, data], next_handler=JWC_A)
    ui = _todo_list(server, launch_ui, 2)

    undone = _current_id(ui)
    _key(ui, Qt.Key.Key_Return, CTRL)  # 通过 from the list: held for its undo bar …
    ui.wait_for(lambda: ui.find("undoBar").isVisible())
    _key(ui, Qt.Key.Key_Z, CTRL)  # … and taken back
    ui.wait_for(lambda: not ui.find("undoBar").isVisible())

    ui.wait_for(lambda: _current_id(ui) == undone)  # back where it was
    _key(ui, Qt.Key.Key_Down)
    approved = _current_id(ui)
    assert approved != undone and {approved, undone} == set(ids)
    _key(ui, Qt.Key.Key_Return, CTRL)
    held_at = time.monotonic()
    ui.wait_for(lambda: ui.find("undoBar").isVisible())
    assert ui.state.inbox.held.ids() == {approved} and ui.state.sync.property("pendingCount") == 0
    assert _status(jwc, approved) == "submitted"  # held: nothing has left the PC

    ui.click("logoutButton")  # within the undo time
    left_after = time.monotonic() - held_at
    assert left_after < HOLD_MS / 1000, f"signed out {left_after:.1f} s after 通过: the hold was over"
    assert ui.state.inbox.held.ids() == set()  # sent at once, not dropped, not waiting for the timer
    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=15_000)
    store = ui.state.state.store
    # Delivered without the user (no token: the operation is signed with their session's key).
    ui.wait_for(lambda: _status(jwc, approved) == "completed", timeout=30_000)
    ui.wait_for(lambda: store.outbox_counts()["pending"] == 0, timeout=10_000)
    body = jwc.application(approved)
    assert body["data"]["handle_result"] == "已开具，待领取"  # the step's one positive 办理结果
    assert any(e["action"] == "approve" and e["actor_id"] == JWC_A for e in body["events"])
    assert _status(jwc, undone) == "submitted"  # the one taken back stays taken back
    assert undone in {str(i["application_id"]) for i in jwc.box("todo", limit=100)["items"]}


def test_closing_the_desk_client_sends_the_held_approval(server: LiveServer, launch_ui: Any, tmp_path: Path) -> None:
    """A desk client stays signed in when closed (记住我); a 通过 held at that moment is written before the
    store closes, and the next start delivers it."""
    jwc = Client(server, JWC_A)
    waiting = len(jwc.box("todo", limit=100)["items"])  # the test before left its undone one
    (app_id,) = Client(server, STUDENT).submit_many(ZAIDU, [example(ZAIDU, STUDENT)], next_handler=JWC_A)
    data_dir = str(tmp_path / "desk-data")
    ui = _todo_list(server, launch_ui, waiting + 1, data_dir=data_dir)
    rows = ui.find("workItems")
    while _current_id(ui) != app_id:
        _key(ui, Qt.Key.Key_Down)
    assert rows.property("currentIndex") <= waiting
    _key(ui, Qt.Key.Key_Return, CTRL)
    ui.wait_for(lambda: ui.state.inbox.held.ids() == {app_id})

    store = ui.state.state.store
    ui.state.shutdown()  # the window closed: what the app does on quit (kiosk/app.py)
    ui.state.sync._timer.stop()  # the process is gone then: no later round of its own delivers anything
    assert ui.state.inbox.held.ids() == set()
    queued = [op for op in store.pending_ops(JWC_A) if op["payload"].get("application_id") == app_id]
    store.close()
    assert [op["type"] for op in queued] == ["workflow.approve"]  # in the outbox before the store closed
    assert _status(jwc, app_id) == "submitted"  # the app stopped before any sync round could take it

    again = launch_ui(server.url, mode="desk", data_dir=data_dir)  # the next start, same PC, same store
    again.wait_for(lambda: _status(jwc, app_id) == "completed", timeout=30_000)
