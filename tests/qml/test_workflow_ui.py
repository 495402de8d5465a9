"""The manual's repair scenario through the real QML against a real server: 刘诗宏 submits 教职工办公电脑维修申请
on a kiosk; 贾孟杰, on a desk client, finds it in 待办 (首页's counter), fills 验收人 / 维修情况 and sends it on;
刘诗宏 sees 待确认 and taps 确认验收; the application shows 办结 with its timeline. A screenshot of each step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject
from PySide6.QtGui import QGuiApplication

from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, in_view, log_in, open_form_of
from tests.qml.workflow_steps import log_out, scrolled_to, synced
from tests.server.workflow_helpers import JIA, LIU, Client


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _home_counter(ui: Any) -> str:
    return str(ui.find("counterValue", ui.find("counter_todo")).property("text"))


def _open_from_todo(ui: Any, application_id: str) -> None:
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    try:
        ui.wait_for(lambda: _home_counter(ui) == "1", timeout=20_000)
    except Exception:
        user = ui.state.auth.user_id
        raise AssertionError(
            (_home_counter(ui), user, ui.state.store.inbox_counts(user or ""), ui.state.store.tasks(user or "", "todo"))
        ) from None
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))  # a tap during a page transition is lost
    ui.tap(ui.find_visible("counter_todo"))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.wait_for(lambda: ui.find_visible("workItem_" + application_id) is not None)


def test_the_manuals_repair_scenario_end_to_end(server: LiveServer, launch_ui: Any) -> None:
    liu, jia = Client(server, LIU), Client(server, JIA)  # their first passwords changed, as the manual requires
    ui = launch_ui(server.url)

    # 1. 刘诗宏 fills the form as in the manual and submits it.
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    controller = open_form_of(ui, "xj-diannao-weixiu")
    for name, value in (
        ("phone", "13303857660"),
        ("asset_type", "打印机"),
        ("asset_code", "101007"),
        ("location", "综合实验楼101"),
        ("problem", "打印机无法共享打印!"),
    ):
        controller.setValue(name, value)
    assert controller.checkAll()
    # 提交 → the confirmation names the next step and its handler (选择审核人), as in the manual.
    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    ui.tap(in_view(ui, "submitButton"))
    ui.wait_for(lambda: ui.find_visible("confirmSubmit") is not None)
    assert ui.find("nextStep").property("text") == "完成本操作后，流程将转到：现教中心实验室管理科接收"
    ui.wait_for(lambda: ui.find_visible("handler_" + JIA) is not None)
    assert ui.find("handler_" + JIA).property("checked")  # the one holder of the post, already chosen
    assert controller.property("nextHandler") == JIA
    ui.screenshot("workflow-0-choose-handler")
    ui.tap(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: controller.property("state") == "saved")
    application_id = controller.property("applicationId")
    synced(ui)
    ui.screenshot("workflow-1-submitted")
    QMetaObject.invokeMethod(ui.find("pageStack"), "popToIndex", Q_ARG(int, 0))
    ui.settle(100)
    # 我的申请 shows it, with the step it waits at.
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "mine"))
    ui.wait_for(lambda: ui.find_visible("workItem_" + application_id) is not None)
    assert "现教中心实验室管理科接收" in " ".join(ui.texts(ui.find("workItem_" + application_id)))
    ui.screenshot("workflow-2-my-applications")
    log_out(ui)

    # 2. 贾孟杰: 首页's 待办 counter → 待办事宜 → the application → 审核信息 → 通过.
    kiosk = ui
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))  # 贾孟杰 works at his office PC
    log_in(ui, JIA, NEW_PW)
    _open_from_todo(ui, application_id)
    ui.screenshot("workflow-3-todo")
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    ui.tap(ui.find_visible("workItem_" + application_id))
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_for(lambda: ui.find_visible("stepInput_repair_result") is not None)
    texts = ui.texts()
    assert "打印机无法共享打印!" in texts and "综合实验楼101" in texts
    current = ui.find("step_receive")
    assert current.property("color").name() == "#0f3d7a"  # the current step is highlighted
    # 通过 without 维修情况: refused here, on the field.
    ui.tap(scrolled_to(ui, "action_approve"))
    ui.wait_for(lambda: ui.find("stepError_repair_result").property("text") != "")
    scrolled_to(ui, "stepInput_acceptor")
    ui.type_into("stepInput_acceptor", "刘诗宏")
    ui.settle(300)  # the page turns compact for the keyboard, and keeps 验收人 in view
    scrolled_to(ui, "stepInput_repair_result")
    ui.type_into("stepInput_repair_result", "已修好")
    QGuiApplication.inputMethod().hide()
    ui.settle(300)
    scrolled_to(ui, "action_approve")
    ui.screenshot("workflow-4-handling")
    ui.tap(ui.find_visible("action_approve"))
    synced(ui)
    handled = jia.application(application_id)
    assert handled["status"] == "confirming", handled["status"]
    assert handled["data"]["repair_result"] == "已修好"
    assert [e["actor_id"] for e in handled["events"] if e["action"] == "approve"] == [JIA]
    ui = kiosk
    ui.window.requestActivate()
    ui.wait_for(ui.window.isActive)  # key events go to the active window only

    # 3. back at the kiosk, 刘诗宏: the bell says something happened; 消息 names it; then 待确认 and 确认验收.
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    ui.wait_for(lambda: ui.state.inbox.property("unreadCount") > 0, timeout=20_000)
    assert ui.find_visible("unreadBadge") is not None
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    ui.tap(ui.find_visible("bell"))
    ui.wait_for(lambda: current_page(ui) == "messagesPage")
    ui.wait_for(lambda: ui.find("notifications").property("count") > 0)
    assert any("确认" in t for t in ui.texts(ui.find("notifications")))
    ui.screenshot("workflow-5a-notifications")
    ui.tap(ui.find_visible("markAllRead"))
    ui.wait_for(lambda: ui.state.inbox.property("unreadCount") == 0)
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    ui.tap(ui.find_visible("nav_home"))
    _open_from_todo(ui, application_id)
    assert "待确认" in " ".join(ui.texts(ui.find("workItem_" + application_id)))
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    ui.tap(ui.find_visible("workItem_" + application_id))
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_for(lambda: ui.find_visible("action_approve") is not None)
    assert "已修好" in ui.texts()
    assert ui.find("action_approve").property("text") == "确认验收"
    ui.screenshot("workflow-5-confirm")
    ui.tap(ui.find_visible("action_approve"))
    synced(ui)
    ui.wait_for(lambda: "状态：办结" in str(ui.find("applicationStatus").property("text")), timeout=20_000)
    timeline = " ".join(ui.texts(ui.find("timeline")))
    for who in ("刘诗宏", "贾孟杰"):
        assert who in timeline
    ui.screenshot("workflow-6-completed")

    body = liu.application(application_id)
    assert body["status"] == "completed"
    assert [e["action"] for e in body["events"]][:1] == ["submit"]
    assert [s["state"] for s in body["steps"]][-1] == "done"
