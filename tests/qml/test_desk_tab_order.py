"""Keyboard first on a desk (issue 20): real Tab and Shift+Tab key events through 待办, 已办, 我的申请, the
progress page's 办理 panel and the 退回 sheet. On each, Tab visits every control once, in the order a person
reads the window (the top bar, then the page top to bottom, each row left to right), Shift+Tab goes the same way
back, and every stop shows the focus ring."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.qml.workflow_steps import synced
from tests.server.workflow_helpers import JWC_A, STUDENT, Client, example

ZAIDU = "jw-zaidu-zhengming"
TOP_BAR = ["logoutButton", "languageToggle"]


@dataclass(frozen=True)
class Stop:
    name: str  # the control's objectName (a text field's editable part is <name>Input)
    x: float
    top: float
    bottom: float
    ring: bool  # a focus ring is drawn around it

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def reads_before(self, other: Stop) -> bool:
        """Reading order: `other` is on a later line, or on the same line further right."""
        same_line = abs(self.middle - other.middle) < min(self.bottom - self.top, other.bottom - other.top) / 2
        return other.x > self.x if same_line else other.middle > self.middle


def _name(item: QQuickItem) -> str:
    while item is not None and not item.objectName():
        item = item.parentItem()
    return item.objectName() if item is not None else ""


def _stop(ui: Any) -> Stop:
    item = ui.window.activeFocusItem()
    rect = item.mapRectToScene(item.boundingRect())
    rings = [i for i in ui.items(item) if i.objectName() == "focusRing" and i.isVisible()]
    return Stop(_name(item), rect.x(), rect.y(), rect.y() + rect.height(), bool(rings))


def _press(ui: Any, key: Qt.Key) -> Stop:
    QTest.keyClick(ui.window, key)
    ui.settle(20)
    return _stop(ui)


def _cycle(ui: Any, limit: int = 40) -> list[Stop]:
    """Tab until a stop comes round again: the window's focus chain, from the top bar's first control."""
    stops = [_press(ui, Qt.Key.Key_Tab)]
    while True:
        stop = _press(ui, Qt.Key.Key_Tab)
        if stop.name == stops[0].name:
            break
        stops.append(stop)
        assert len(stops) < limit, [s.name for s in stops]
    first = next(i for i, s in enumerate(stops) if s.name == TOP_BAR[0])
    return stops[first:] + stops[:first]


def _check_page(ui: Any, expected: list[str], shot: str, ring_on: str) -> list[Stop]:
    """Tab's cycle is the top bar then `expected`, in reading order, each with its ring; Shift+Tab reverses it.
    The screenshot shows the ring on `ring_on`."""
    stops = _cycle(ui)
    names = [s.name for s in stops]
    assert names == TOP_BAR + expected, names
    for before, after in itertools.pairwise(stops):
        assert before.reads_before(after), f"Tab goes from {before} to {after}"
    assert [s.name for s in stops if not s.ring] == []  # every stop shows where the keyboard is
    # Shift+Tab: the same stops, the other way round, from where the cycle left the keyboard.
    here = names.index(_stop(ui).name)
    back = [_press(ui, Qt.Key.Key_Backtab).name for _ in names]
    assert back == [names[(here - k) % len(names)] for k in range(1, len(names) + 1)], back
    while _stop(ui).name != ring_on:
        _press(ui, Qt.Key.Key_Tab)
    ui.screenshot(shot)
    return stops


def _handled_ids(jwc: Client) -> list[str]:
    return [str(i["application_id"]) for i in jwc.box("done", limit=100)["items"]]


@pytest.fixture(scope="module")
def server(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("desk-tab-order")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir / "db"), workdir=workdir).start()
    yield live
    live.stop()


def test_tab_follows_each_page_of_the_desk_worklist(server: LiveServer, launch_ui: Any) -> None:
    jwc = Client(server, JWC_A)
    data = example(ZAIDU, STUDENT)
    first, *_ = Client(server, STUDENT).submit_many(ZAIDU, [data, data, data], next_handler=JWC_A)
    task = next(i for i in jwc.box("todo", limit=100)["items"] if str(i["application_id"]) == first)
    response = jwc.act(first, "approve", task_id=task["task"]["id"], data={"handle_result": "已开具，待领取"})
    assert response.status_code == 200, response.text  # one for 已办
    assert len(jwc.box("mine", limit=100)["items"]) > 0  # 陈晓燕 applied for things herself (the demo data)

    ui = launch_ui(server.url, mode="desk")
    log_in(ui, JWC_A, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    synced(ui)
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "todo"))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    rows = ui.find("workItems")
    ui.wait_for(lambda: rows.property("count") == 2, timeout=20_000)
    ui.wait_idle()
    row = _name(rows.property("currentItem"))

    # 待办: the list has the keyboard; Tab goes round the page (批量通过 waits for a selection: not a stop).
    assert rows.hasActiveFocus()
    head = ["backButton", "box_todo", "box_done", "box_mine", "processFilter", "statusFilter"]
    tools = ["taskSearchInput", "stepFilter", "sortChoice", "sortOrder", "selectAll"]
    _check_page(ui, [*head, *tools, row], "desk-tab-1-todo", "stepFilter")

    # 已办 and 我的申请: the same page without the 待办 tools.
    for box, shot in (("box_done", "desk-tab-2-done"), ("box_mine", "desk-tab-3-mine")):
        ui.click(box)
        wanted = box.removeprefix("box_")
        ui.wait_for(lambda: ui.state.inbox.property("box") == wanted)  # noqa: B023 (waited for here, in the loop)
        ui.wait_for(lambda: rows.property("count") > 0, timeout=10_000)
        rows.forceActiveFocus()
        ui.settle(50)
        listed = _name(rows.property("currentItem"))
        if box == "box_done":
            assert listed == f"workItem_{first}" and _handled_ids(jwc) == [first]
        _check_page(ui, [*head, "taskSearchInput", "sortChoice", "sortOrder", listed], shot, "taskSearchInput")

    # The progress page's 办理 panel: 返回, the 办理结果's choices, 办理意见, the actions.
    ui.click("box_todo")
    ui.wait_for(lambda: rows.property("count") == 2)
    rows.forceActiveFocus()
    QTest.keyClick(ui.window, Qt.Key.Key_Return)
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_idle()
    panel = ["choice_已开具，待领取", "choice_不予办理", "actionCommentInput"]
    actions = ["action_approve", "action_return", "action_transfer", "action_reject", "action_comment"]
    _check_page(
        ui, ["backButton", *panel, *actions, "action_annotate"], "desk-tab-4-handle-panel", "actionCommentInput"
    )

    # The 退回 sheet: its reason field has the keyboard; Tab goes 退回申请人, the reason, 取消, 确认退回.
    ui.find("pageStack").property("currentItem").forceActiveFocus()
    QTest.keyClick(ui.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    ui.wait_for(lambda: ui.find_visible("sheetCommentInput").hasActiveFocus())
    sheet = ["returnTo_applicant", "sheetCommentInput", "sheetCancel", "sheetConfirm"]
    _check_page(ui, ["backButton", *sheet], "desk-tab-5-return-sheet", "returnTo_applicant")
    QTest.keyClick(ui.window, Qt.Key.Key_Escape)  # closes the sheet
    ui.wait_for(lambda: not ui.find("actionSheet").isVisible())
