"""The hall's form through the real QML against a real server: 办事大厅 → 办事指南 → the manual's 教职工办公电脑
维修申请 form, errors in Chinese on the right field, 提交 with confirmation, 已保存，待同步 then 流水号 and 单号
from the server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication

from tests.helpers import (
    LIU,
    LIU_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    copy_sqlite,
    new_applications,
)
from tests.qml.steps import assert_forgotten, current_page, field_error, in_view, log_in, open_form


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def test_repair_form_as_in_the_manual(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, LIU, LIU_PW)["access_token"]
    ui = launch_ui(server.url)
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    open_form(ui, "xj-diannao-weixiu")  # one tap on the name: the form, the guide's essentials at its top
    ui.wait_for(lambda: ui.find_visible("field_asset_type") is not None)
    assert ui.find_visible("guideSummary") is not None
    # The whole 办事指南 is one tap away, and 返回填写 comes back to the form as it was.
    ui.tap(ui.find_visible("guideButton"))
    ui.wait_for(lambda: current_page(ui) == "guidePage")
    texts = ui.texts()
    assert "办理流程" in texts and "所需材料" in texts and "受理部门与咨询" in texts and "返回填写" in texts
    ui.screenshot("kiosk-guide-repair")
    ui.tap(ui.find_visible("startButton"))
    ui.wait_for(lambda: current_page(ui) == "formPage" and ui.find_visible("field_asset_type") is not None)
    texts = ui.texts()
    for expected in (
        "基本信息",
        "报修信息",
        "资产名称 *",
        "没有条码请填写暂无",
        "刘诗宏",
        "现代教育技术中心",
        "提交后生成",
    ):
        assert expected in texts, expected
    assert "审核信息" not in texts  # a later step's section
    assert not ui.find("submitButton").isEnabled()
    ui.screenshot("kiosk-form-repair-empty")

    # 查看未填项: every missing field says so, in Chinese, on the field.
    ui.tap(in_view(ui, "checkButton"))
    ui.wait_for(lambda: field_error(ui, "asset_type") == "请选择资产名称")
    assert field_error(ui, "location") == "请填写存放地点"
    assert field_error(ui, "problem") == "请填写需维修问题"
    # 联系电话: the school's mobile, masked; 使用其他号码 opens it empty for another one.
    assert "133****7660" in ui.texts() and "13303857660" not in ui.texts()
    ui.tap(in_view(ui, "change_phone"))
    ui.wait_for(lambda: ui.find_visible("input_phoneInput").hasActiveFocus())
    ui.type_into("input_phone", "12303857660")  # as printed in the manual: not a valid mobile number
    ui.wait_for(lambda: field_error(ui, "phone") == "请输入 11 位手机号码")
    QGuiApplication.inputMethod().hide()
    in_view(ui, "field_asset_type")
    ui.screenshot("kiosk-form-repair-errors")

    # The manual's data: 打印机 / 101007 / 综合实验楼101 / 打印机无法共享打印! — and, after all, the number on
    # record (用登记的号码: read-only and masked again, its error gone).
    ui.tap(in_view(ui, "keepSchool_phone"))
    ui.wait_for(lambda: "133****7660" in ui.texts() and field_error(ui, "phone") == "")
    ui.tap(in_view(ui, "choice_打印机"))
    in_view(ui, "field_location")
    ui.type_into("input_location", "综合实验楼101")
    in_view(ui, "field_asset_code")
    ui.type_into("input_asset_code", "101007")
    in_view(ui, "field_problem")
    ui.type_into("input_problem", "打印机无法共享打印!")
    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    assert ui.find("formProblems").property("text") == "已填写完整，可以提交"
    # The virtual keyboard is up for the text area: the field stays above it.
    panel = ui.find("inputPanel")
    assert panel.isVisible()
    keyboard_top = panel.mapToScene(QPointF(0, 0)).y()
    for name in ("input_problemInput", "submitButton"):
        item = ui.find_visible(name)
        bottom = item.mapToScene(QPointF(0, item.height())).y()
        assert bottom <= keyboard_top + 1, f"{name} is under the keyboard"
    ui.screenshot("kiosk-form-repair-filled")

    ui.tap(in_view(ui, "submitButton"))
    ui.wait_for(lambda: "确认提交？" in ui.texts())
    ui.screenshot("kiosk-form-repair-confirm")
    ui.tap(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: ui.find_visible("formSaved") is not None)
    ui.wait_for(lambda: ui.find("savedTitle").property("text") == "提交成功", timeout=20_000)
    month = datetime.now(UTC).strftime("%Y%m")
    assert f"单号 {month}-001" in ui.find("savedDetail").property("text")
    ui.screenshot("kiosk-form-repair-submitted")

    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    apps = new_applications(changes, "xj-diannao-weixiu")
    assert len(apps) == 1
    assert apps[0]["data"] == {
        "repair_date": datetime.now().date().isoformat(),
        "doc_no": f"{month}-001",
        "department": "现代教育技术中心",
        "applicant": "刘诗宏",
        "phone": "13303857660",
        "asset_type": "打印机",
        "location": "综合实验楼101",
        "asset_code": "101007",
        "problem": "打印机无法共享打印!",
    }
    ui.tap(ui.find_visible("doneButton"))
    ui.wait_for(lambda: current_page(ui) == "hallPage")


def _grid_of(ui: Any, letter: str) -> Any:
    return next((i for i in ui.items() if i.objectName() == "azGrid_" + letter), None)


def _check_letter_grid(ui: Any, letter: str, min_columns: int) -> None:
    """服务中心 A–Z: a letter's processes as a grid of cards, in rows of as many as fit side by side."""
    grid = _grid_of(ui, letter)
    cards = [c for c in grid.childItems() if c.property("code")]
    expected = [r.code for r in ui.state.hall.az.rows() if r.letter == letter]
    assert sorted(c.property("code") for c in cards) == sorted(expected), letter
    columns = grid.property("columns")
    assert columns >= min_columns
    for i, card in enumerate(sorted(cards, key=lambda c: (c.y(), c.x()))):
        assert (round(card.y() / card.height()), round(card.x() / card.width())) == divmod(i, columns), letter


def test_repair_form_on_a_desk(server: LiveServer, launch_ui: Any) -> None:
    """The manual's own case (PC 端发起流程): the staff member at an office PC, with a mouse and a keyboard."""
    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    ui.click(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))
    ui.type_into("hallSearch", "diannao")
    ui.wait_for(lambda: ui.find_visible("process_xj-diannao-weixiu") is not None)
    ui.click(ui.find_visible("process_xj-diannao-weixiu"))  # a real click, as on the kiosk a real tap
    ui.wait_for(lambda: current_page(ui) == "formPage" and ui.find_visible("field_asset_type") is not None)
    texts = ui.texts()
    for expected in ("基本信息", "报修信息", "刘诗宏", "现代教育技术中心", "提交后生成", "存草稿", "提交"):
        assert expected in texts, expected
    assert not ui.find("submitButton").isEnabled()
    ui.screenshot("desk-form-repair-empty")

    ui.click(in_view(ui, "checkButton"))
    ui.wait_for(lambda: field_error(ui, "asset_type") == "请选择资产名称")
    assert field_error(ui, "location") == "请填写存放地点" and field_error(ui, "problem") == "请填写需维修问题"
    assert "13303857660" in ui.texts()  # an office PC shows the number on record itself
    ui.click(in_view(ui, "change_phone"))
    ui.wait_for(lambda: ui.find_visible("input_phoneInput").hasActiveFocus())
    ui.type_into("input_phone", "12303857660")
    ui.wait_for(lambda: field_error(ui, "phone") == "请输入 11 位手机号码")
    in_view(ui, "field_asset_type")
    ui.screenshot("desk-form-repair-errors")

    # Fixed with the keyboard and the mouse; the errors go as each field is put right.
    in_view(ui, "field_phone")
    ui.find("input_phoneInput").setProperty("text", "")
    ui.type_into("input_phone", "13303857660")
    ui.click(in_view(ui, "choice_电脑主机"))
    in_view(ui, "field_location")
    ui.type_into("input_location", "行政楼 305")
    ui.type_into("input_asset_code", "暂无")
    in_view(ui, "field_problem")
    ui.type_into("input_problem", "开机蓝屏")
    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    assert all(field_error(ui, n) == "" for n in ("phone", "asset_type", "location", "asset_code", "problem"))
    ui.click(in_view(ui, "submitButton"))
    ui.wait_for(lambda: "确认提交？" in ui.texts())
    ui.click(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: ui.find("savedTitle").property("text") == "提交成功", timeout=20_000)
    ui.screenshot("desk-form-repair-submitted")


@pytest.mark.parametrize("mode", ["kiosk", "desk"])
def test_hall_home_az_departments_and_search(server: LiveServer, launch_ui: Any, mode: str) -> None:

    activated(server, STUDENT, STUDENT_PW)
    ui = launch_ui(server.url, mode=mode, size=(1920, 1080) if mode == "kiosk" else (1366, 768))
    log_in(ui, STUDENT, NEW_PW)
    # On the home page, not merely logged in: `loggedIn` turns true on the worker that logged in, a moment
    # before the GUI thread goes to 首页 — a tap on 办事大厅 in between was undone by that (seen under load).
    ui.wait_for(lambda: current_page(ui) == "homePage")
    QGuiApplication.inputMethod().hide()
    if mode == "kiosk":
        ui.tap(ui.find_visible("nav_hall"))
    else:
        ui.click(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady") and ui.find_visible("hallHome") is not None)
    hall = ui.state.hall
    # A student sees the student processes only; 推荐服务 and 热门服务 as in the manual (those for students).
    assert all("学生" in r.audience for r in hall.results.rows() + hall.az.rows())
    popular = [r.name for r in hall.popular.rows()]
    assert popular[:3] == ["休学审批申请", "课程缓考申请", "新生保留入学资格申请"], popular
    texts = ui.texts()
    assert "推荐服务" in texts and "热门服务" in texts and "服务分类" in texts
    ui.screenshot(f"{mode}-hall-home")

    ui.click(ui.find_visible("hallTab_az"))
    ui.wait_for(lambda: ui.find_visible("azList") is not None)
    letters = hall.property("letters")
    assert letters == sorted(letters, key=lambda x: (x == "#", x)) and "X" in letters and "Z" in letters
    shown = [letter for letter in letters if _grid_of(ui, letter) is not None]  # the list makes what is in view
    assert len(shown) >= 3, shown
    for letter in shown:
        _check_letter_grid(ui, letter, 3 if mode == "kiosk" else 2)
    ui.screenshot(f"{mode}-hall-az")
    ui.click(ui.find_visible("azKey_Z"))
    ui.wait_for(lambda: ui.find_visible("azSection_Z") is not None)
    _check_letter_grid(ui, "Z", 3 if mode == "kiosk" else 2)

    ui.click(ui.find_visible("hallTab_departments"))
    ui.click(ui.find_visible("department_教务处"))
    ui.wait_for(lambda: ui.find("resultTitle").property("text").startswith("教务处"))

    # Search by initials: zzy → 转专业审批申请 first, its matched characters in bold.
    ui.type_into("hallSearch", "zzy")
    ui.wait_for(lambda: hall.property("view") == "search" and hall.results.rowCount() > 0)
    first = hall.results.rows()[0]
    assert first.name == "转专业审批申请" and "<b>" in first.name_html
    QGuiApplication.inputMethod().hide()
    ui.settle(100)
    ui.screenshot(f"{mode}-hall-search-zzy")
    ui.find_visible("hallSearchInput").setProperty("text", "")
    ui.type_into("hallSearch", "xiuxue")
    results = hall.results
    ui.wait_for(lambda: results.rowCount() > 0 and results.rows()[0].name == "休学审批申请")
    ui.find_visible("hallSearchInput").setProperty("text", "")
    ui.type_into("hallSearch", "qwertyqwerty")
    ui.wait_for(lambda: hall.results.rowCount() == 0)
    assert ui.find_visible("noResults") is not None


def test_hall_in_english(server: LiveServer, launch_ui: Any) -> None:
    """The hall's own words in English (the processes' names are the school's data, in Chinese)."""

    activated(server, STUDENT, STUDENT_PW)
    ui = launch_ui(server.url, language="en_US")
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    QGuiApplication.inputMethod().hide()
    ui.tap(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady") and ui.find_visible("hallHome") is not None)
    texts = ui.texts()
    for english in ("Recommended", "All services A–Z", "Search: name, pinyin or initials"):
        assert english in texts, english
    assert not {"推荐服务", "热门服务", "服务分类", "服务首页", "按部门"} & set(texts)
    school = ui.find("schoolName")  # the school's English name is long: shrunk to fit, not cut short
    assert school.property("text") == "Zhengzhou Technology and Business University"
    assert not school.property("truncated")
    ui.screenshot("en-kiosk-hall-home")
    ui.tap(ui.find_visible("hallTab_az"))
    ui.wait_for(lambda: ui.find_visible("azGrid_B") is not None)
    ui.screenshot("en-kiosk-hall-az")
    ui.type_into("hallSearch", "xiuxue")
    ui.wait_for(lambda: ui.state.hall.results.rowCount() > 0)
    QGuiApplication.inputMethod().hide()
    ui.settle(300)
    assert ui.find_visible("resultTitle").property("text").startswith("Results for")
    ui.screenshot("en-kiosk-hall-search")


@pytest.mark.parametrize("how", ["logout", "idle"])
def test_what_was_typed_in_a_form_is_forgotten(server: LiveServer, launch_ui: Any, how: str) -> None:
    """Kiosk mode keeps no draft: after 退出, or after the idle countdown, a marker typed into a form is in
    neither the local SQLite file nor its WAL, nor on screen, nor in any live model or controller."""
    from PySide6.QtCore import QObject

    activated(server, LIU, LIU_PW)
    ui = launch_ui(server.url)
    if how == "idle":
        ui.state.idle.set_quiet_ms(8_000)
        ui.state.idle.countdown_s = 2
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    open_form(ui, "xj-diannao-weixiu")
    ui.wait_for(lambda: current_page(ui) == "formPage" and ui.find_visible("field_problem") is not None)
    marker = "MARKER7f3a 打印机卡纸"
    in_view(ui, "field_location")
    ui.type_into("input_location", "MARKER7f3a")
    in_view(ui, "field_problem")
    ui.type_into("input_problem", marker)
    # A kiosk offers no 存草稿, and its form refuses to write one even when asked directly.
    assert not any(i.objectName() == "saveDraftButton" and i.isVisible() for i in ui.items())
    page = ui.find("pageStack").property("currentItem")
    controller = next(c for c in page.children() if type(c).__name__ == "FormController")
    assert controller.saveDraft() is False
    ui.state.workers.wait(5_000)
    with ui.state.store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM drafts").scalar() == 0
    if how == "logout":
        ui.tap(ui.find_visible("logoutButton"))
    else:  # the typing is done: the quiet period starts again, of 1 s (8 s while typing on a loaded machine)
        ui.state.idle.set_quiet_ms(1_000)
    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=25_000)
    ui.settle(300)
    assert_forgotten(ui, "MARKER7f3a", "打印机卡纸", "刘诗宏")
    controllers = [o for o in ui.engine.findChildren(QObject) if type(o).__name__ == "FormController"]
    alive = [c for c in controllers if any(str(r.value).find("MARKER7f3a") >= 0 for r in c.property("fields").rows())]
    assert not alive, "a form controller still holds what was typed"
    with ui.state.store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM drafts").scalar() == 0
