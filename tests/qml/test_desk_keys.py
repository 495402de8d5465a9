"""Issue 20's smaller desk defects, each with real events against a real server (SQLite): search by 流水号, sort
from the list's own controls, a hover state on rows, Alt+← and Esc going back, and Ctrl+Enter while typing
办理意见 approving with that opinion (the server records it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.qml.workflow_steps import synced
from tests.server.workflow_helpers import JWC_A, STUDENT, STUDENT_2, Client, example

ZAIDU = "jw-zaidu-zhengming"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def server(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("desk-keys")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir / "db"), workdir=workdir).start()
    yield live
    live.stop()


def _ids(ui: Any) -> list[str]:
    rows = ui.find("workItems")
    out = []
    for index in range(int(rows.property("count"))):
        rows.setProperty("currentIndex", index)
        out.append(str(rows.property("currentItem").property("row").property("applicationId")))
    rows.setProperty("currentIndex", 0)
    return out


def test_search_sort_hover_back_and_an_opinion_with_ctrl_enter(server: LiveServer, launch_ui: Any) -> None:
    jwc = Client(server, JWC_A)
    ids = Client(server, STUDENT).submit_many(ZAIDU, [example(ZAIDU, STUDENT)] * 2, next_handler=JWC_A)
    ids += Client(server, STUDENT_2).submit_many(ZAIDU, [example(ZAIDU, STUDENT_2)], next_handler=JWC_A)
    serials = {str(i["application_id"]): str(i["serial"]) for i in jwc.box("todo", limit=100)["items"]}
    ui = launch_ui(server.url, mode="desk")
    log_in(ui, JWC_A, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    synced(ui)
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "todo"))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    rows = ui.find("workItems")
    ui.wait_for(lambda: rows.property("count") == 3, timeout=20_000)
    ui.wait_idle()
    oldest_first = _ids(ui)
    assert oldest_first == ids  # 按等待时间: what has waited longest first

    # Search by 流水号: typed into the search field (Ctrl+F takes the keyboard there).
    QTest.keyClick(ui.window, Qt.Key.Key_F, CTRL)
    ui.settle(20)
    assert ui.find("taskSearchInput").hasActiveFocus()
    for char in serials[ids[1]]:
        QTest.keyClick(ui.window, char)
    ui.wait_for(lambda: rows.property("count") == 1)
    assert _ids(ui) == [ids[1]]
    for _ in serials[ids[1]]:
        QTest.keyClick(ui.window, Qt.Key.Key_Backspace)
    ui.wait_for(lambda: rows.property("count") == 3)

    # Sort with the list's own control: 升序 turns into 降序, and the rows turn round.
    ui.click("sortOrder")
    ui.wait_for(lambda: ui.find("sortOrder").property("text") == "降序")
    assert _ids(ui) == list(reversed(oldest_first))
    ui.click("sortOrder")
    ui.wait_for(lambda: _ids(ui) == oldest_first)

    # A row under the mouse shows it (colour and border), and stops when the mouse leaves.
    row = ui.find_visible("workItem_" + ids[0])
    plain = QColor(row.property("color"))
    QTest.mouseMove(ui.window, ui.center(row))
    ui.wait_for(lambda: QColor(row.property("color")) != plain)
    QTest.mouseMove(ui.window, ui.center(ui.find_visible("shownCount")))
    ui.wait_for(lambda: QColor(row.property("color")) == plain)

    # Enter opens, Alt+← goes back to the list; Enter again, then Ctrl+Enter while typing 办理意见.
    rows.forceActiveFocus()
    QTest.keyClick(ui.window, Qt.Key.Key_Return)
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_idle()
    QTest.keyClick(ui.window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.wait_idle()
    ui.wait_for(lambda: rows.hasActiveFocus())
    QTest.keyClick(ui.window, Qt.Key.Key_Return)
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    page = ui.find("pageStack").property("currentItem")
    opened = str(page.property("applicationId"))
    ui.type_into("actionComment", "已核对学籍")
    QTest.keyClick(ui.window, Qt.Key.Key_Return, CTRL)
    ui.wait_for(lambda: ui.state.inbox.held.ids() == {opened})
    ui.click("sendNow")  # 立即发送: not waiting for the undo time
    synced(ui)
    body = jwc.application(opened)
    assert body["status"] == "completed"
    assert any(e["action"] == "approve" and e["comment"] == "已核对学籍" for e in body["events"])

    # Esc from the page and from the list goes back, one page at a time.
    QTest.keyClick(ui.window, Qt.Key.Key_Escape)
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.wait_idle()
    ui.wait_for(lambda: rows.hasActiveFocus())
    QTest.keyClick(ui.window, Qt.Key.Key_Escape)
    ui.wait_for(lambda: current_page(ui) == "homePage")
