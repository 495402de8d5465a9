"""The workflow's other actions through the real QML against a real server, with real taps and typing:
批注 on a field and 退回 to the applicant, who sees the 批注 and corrects and resubmits the form (修改后重新提交);
退回 to the step before; 转办 to a colleague; an action the server refuses because someone else handled the
task first (the reason shown on the page and in a toast); a refused 催办 shown on its item in 我的申请; the
filters of 我的办件. A screenshot of each screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject
from PySide6.QtGui import QGuiApplication

from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.qml.workflow_steps import log_out, scrolled_to, synced
from tests.server.workflow_helpers import (
    HUANG,
    JIA,
    JWC_A,
    JWC_B,
    LIU,
    REPAIR,
    REPAIR_CODE,
    STUDENT,
    Client,
)

JWC_HEAD = "102315"  # 张建华, 教务处负责人: a colleague of 陈晓燕 who holds no task on it
HUANKAO = "jw-huankao"  # 课程缓考申请: 学院教学秘书审核 → 教务处审核
CHENGJIDAN = "jw-chengjidan"  # 成绩单打印申请: 教务处 (both 办事员 hold it)
# What a student would write (the screenshots are read by people).
HUANKAO_DATA = {
    "phone": "13903710101",
    "course_name": "高等数学A（二）",
    "course_code": "MATH1002",
    "teacher": "李明",
    "exam_date": "2026-12-28",
    "exam_time": "09:00",
    "exam_room": "教学楼A201",
    "cause": "因病",
    "explanation": "12月下旬住院治疗，无法参加考试，附医院证明。",
}
CHENGJIDAN_DATA = {
    "phone": "13903710101",
    "transcript_type": "中英文成绩单",
    "score_range": "在校期间全部成绩",
    "show_gpa": "是",
    "copies": 3,
    "purpose": "出国（境）留学",
    "pickup": "本人自取",
}


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _page(ui: Any) -> Any:
    return ui.find("pageStack").property("currentItem")


def _open_application(ui: Any, box: str, application_id: str) -> None:
    """我的办件 → the box → the item, by touch."""
    QGuiApplication.inputMethod().hide()
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, box))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "", timeout=20_000)
    ui.wait_for(lambda: not ui.state.sync.property("syncing"), timeout=20_000)
    ui.wait_for(lambda: _visible(ui, "workItem_" + application_id), timeout=20_000)
    for _attempt in range(3):  # the list is read again after a sync round: its rows are made anew
        try:
            ui.tap(ui.find_visible("workItem_" + application_id))
            break
        except RuntimeError:
            ui.settle(200)
    ui.wait_for(lambda: current_page(ui) == "applicationPage")


def _visible(ui: Any, name: str) -> bool:
    try:
        ui.find_visible(name)
    except AssertionError:
        return False
    return True


def _sheet(ui: Any, action: str, reason: str) -> None:
    """Tap the action, type the reason into its sheet."""
    ui.tap(scrolled_to(ui, "action_" + action))
    ui.wait_for(lambda: _visible(ui, "actionSheet"))
    scrolled_to(ui, "sheetComment")
    ui.type_into("sheetComment", reason)
    QGuiApplication.inputMethod().hide()
    ui.settle(200)


def _back_home(ui: Any) -> None:
    QGuiApplication.inputMethod().hide()
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    QMetaObject.invokeMethod(ui.find("pageStack"), "popToIndex", Q_ARG(int, 0))
    ui.settle(200)


def test_annotate_return_and_resubmit(server: LiveServer, launch_ui: Any) -> None:
    liu, jia = Client(server, LIU), Client(server, JIA)
    application_id = liu.submit(REPAIR_CODE, {**REPAIR, "problem": "打印机坏了"}, next_handler=JIA)

    # 贾孟杰 at his desk: a 批注 on 故障描述, then 退回 with a reason (the first step: to the applicant only).
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, JIA, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    _open_application(ui, "todo", application_id)
    assert not _visible(ui, "annotate_problem")  # the form is not crowded with a button on every row …
    assert not _visible(ui, "action_transfer")  # … and 转办 is not offered: he is his post's only holder
    ui.tap(scrolled_to(ui, "action_annotate"))  # … until 批注 is chosen
    ui.wait_for(lambda: _visible(ui, "annotateHint"))
    ui.tap(scrolled_to(ui, "annotate_problem"))
    ui.wait_for(lambda: _visible(ui, "actionSheet"))
    assert ui.find("sheetTitle").property("text") == "批注：需维修问题"
    ui.tap(scrolled_to(ui, "sheetConfirm"))  # empty: refused here
    assert ui.find("sheetError").property("text") == "请填写批注内容"
    scrolled_to(ui, "sheetComment")
    ui.type_into("sheetComment", "请写明打印机型号")
    ui.screenshot("workflow-actions-1-annotate")
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    ui.wait_for(lambda: "请写明打印机型号" in str(ui.find("note_problem").property("text")))

    ui.tap(scrolled_to(ui, "action_return"))
    ui.wait_for(lambda: _visible(ui, "actionSheet"))
    assert _visible(ui, "returnTo_applicant") and not _visible(ui, "returnTo_previous")
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    assert ui.find("sheetError").property("text") == "请填写退回原因"
    scrolled_to(ui, "sheetComment")
    ui.type_into("sheetComment", "型号不清楚，请补充")
    ui.screenshot("workflow-actions-2-return")
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    body = jia.application(application_id)
    assert body["status"] == "returned", body["status"]
    annotate = next(e for e in body["events"] if e["action"] == "annotate")
    assert (annotate["field"], annotate["comment"], annotate["actor_id"]) == ("problem", "请写明打印机型号", JIA)
    log_out(ui)

    # 刘诗宏 at a kiosk: 待办 has the returned application; the 批注 on its field; 修改后重新提交.
    ui = launch_ui(server.url)
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    ui.wait_for(lambda: ui.state.inbox.property("todoCount") == 1, timeout=20_000)
    _open_application(ui, "todo", application_id)
    assert "已退回" in str(ui.find("applicationStatus").property("text"))
    assert "贾孟杰：请写明打印机型号" in str(ui.find("note_problem").property("text"))
    assert not _visible(ui, "annotate_problem")  # the applicant does not annotate their own form
    assert "型号不清楚，请补充" in " ".join(ui.texts(ui.find("timeline")))
    ui.screenshot("workflow-actions-3-returned")
    ui.tap(scrolled_to(ui, "action_resubmit"))
    ui.wait_for(lambda: current_page(ui) == "formPage")
    page = _page(ui)
    controller = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: controller.property("state") == "ready")
    assert "贾孟杰退回了申请：型号不清楚，请补充" in " ".join(ui.texts(ui.find_visible("returnNote")))
    field = ui.find("field_problem")
    assert "请写明打印机型号" in " ".join(ui.texts(field))
    # The form as it was sent: the applicant corrects only what was asked.
    values = {r.name: r.value for r in controller.property("fields").rows()}
    assert values["asset_code"] == "101007" and values["problem"] == "打印机坏了"
    ui.screenshot("workflow-actions-4-correct")
    controller.setValue("problem", "惠普 M1136 打印机无法共享打印")
    ui.wait_for(lambda: ui.find("submitButton").isEnabled())
    assert ui.find("submitButton").property("text") == "重新提交"
    ui.tap(ui.find_visible("submitButton"))
    ui.wait_for(lambda: _visible(ui, "confirmSubmit"))
    assert ui.find("confirmSubmit").property("text") == "好"  # the manual's dialog: 取消 / 好
    ui.tap(ui.find_visible("confirmSubmit"))
    ui.wait_for(lambda: controller.property("state") == "saved")
    synced(ui)
    ui.wait_for(lambda: controller.property("submitState") == "applied", timeout=20_000)
    assert ui.find("savedTitle").property("text") == "已重新提交"
    ui.screenshot("workflow-actions-5-resubmitted")
    body = liu.application(application_id)
    assert body["status"] == "submitted" and body["data"]["problem"] == "惠普 M1136 打印机无法共享打印"
    assert body["events"][-1]["action"] == "resubmit"
    assert [a["user_id"] for a in body["assignees"]] == [JIA]
    # 完成 goes back to the progress page, which now shows it waiting again.
    ui.tap(ui.find_visible("doneButton"))
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_for(lambda: "待办理" in str(ui.find("applicationStatus").property("text")), timeout=20_000)


def _huankao_at_jwc(student: Client, huang: Client) -> str:
    """A 课程缓考申请 the 学院 has approved: now with both 教务处办事员."""
    application_id = student.submit(HUANKAO, HUANKAO_DATA, next_handler=HUANG)
    data = {"dept_review_result": "同意", "dept_review_comment": "情况属实，同意缓考。"}
    task = huang.box("todo")["items"][0]
    response = huang.act(application_id, "approve", task_id=task["task"]["id"], data=data)
    assert response.status_code == 200, response.text
    return application_id


def test_return_to_the_step_before_transfer_and_a_refused_action(server: LiveServer, launch_ui: Any) -> None:
    student, huang, other = Client(server, STUDENT), Client(server, HUANG), Client(server, JWC_B)
    Client(server, JWC_A)  # her initial password changed, as the manual requires before anything else
    application_id = _huankao_at_jwc(student, huang)

    # 陈晓燕 at her desk: 退回 offers the applicant and the step before (黄佳's); she sends it to 黄佳.
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, JWC_A, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    _open_application(ui, "todo", application_id)
    _sheet(ui, "return", "缓考理由需学院再核实")
    assert _visible(ui, "returnTo_applicant")
    previous = ui.find_visible("returnTo_previous")
    assert "黄佳" in str(previous.property("text"))
    ui.tap(scrolled_to(ui, "returnTo_previous"))
    assert previous.property("checked")
    ui.screenshot("workflow-actions-6-return-previous")
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    body = huang.application(application_id)
    assert (body["status"], body["current_step"]) == ("in_progress", "dept_review")
    assert [a["user_id"] for a in body["assignees"]] == [HUANG]
    # 黄佳 approves again; it is back with 教务处.
    task = huang.box("todo")["items"][0]
    data = {"dept_review_result": "同意", "dept_review_comment": "已核实，同意缓考。"}
    assert huang.act(application_id, "approve", task_id=task["task"]["id"], data=data).status_code == 200

    # 转办: her colleagues who hold no task on it; 袁丽萍 already does.
    _back_home(ui)
    synced(ui)
    _open_application(ui, "todo", application_id)
    _sheet(ui, "transfer", "请张老师处理")
    assert _visible(ui, "transferTo_" + JWC_HEAD)
    assert not _visible(ui, "transferTo_" + JWC_B) and not _visible(ui, "transferTo_" + JWC_A)
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    assert ui.find("sheetError").property("text") == "请选择转办给谁"
    ui.tap(scrolled_to(ui, "transferTo_" + JWC_HEAD))
    ui.screenshot("workflow-actions-7-transfer")
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    head = Client(server, JWC_HEAD)
    assert [t["application_id"] for t in head.box("todo")["items"]] == [application_id]
    body = head.application(application_id)
    transfer = next(e for e in body["events"] if e["action"] == "transfer")
    assert (transfer["actor_id"], transfer["comment"]) == (JWC_A, "请张老师处理")

    # 已办 lists it once, though she acted on it twice (退回, 转办); filters by process and status.
    _back_home(ui)
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "done"))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    ui.tap(ui.find_visible("box_done"))
    ui.wait_for(lambda: ui.find("workItems").property("count") == 1)

    # A task someone else handles first: 袁丽萍 returns 成绩单 before 陈晓燕's 退回 reaches the server.
    second = student.submit(CHENGJIDAN, CHENGJIDAN_DATA)
    _back_home(ui)
    synced(ui)
    _open_application(ui, "todo", second)
    _sheet(ui, "return", "请注明份数")
    theirs = other.box("todo")["items"]
    task = next(t for t in theirs if t["application_id"] == second)
    assert other.act(second, "return", task_id=task["task"]["id"], comment="材料不全").status_code == 200
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    ui.wait_for(lambda: _visible(ui, "goneNote"), timeout=20_000)
    # The server's reason on the page, and a toast naming the process (the task may leave before the refusal).
    ui.wait_for(lambda: "袁丽萍" in " ".join(ui.texts(ui.find("goneNote"))), timeout=20_000)
    assert "该事项已不在您的待办中" in " ".join(ui.texts(ui.find("goneNote")))
    ui.wait_for(lambda: "未能办理“成绩单打印申请”" in str(ui.find("toastText").property("text")), timeout=20_000)
    assert not _visible(ui, "actionPanel")
    ui.screenshot("workflow-actions-8-refused")
    assert other.application(second)["status"] == "returned"  # 袁丽萍's return stands, once
    log_out(ui)


def test_a_refused_urge_shows_on_its_item_and_filters(server: LiveServer, launch_ui: Any) -> None:
    student, huang = Client(server, STUDENT), Client(server, HUANG)
    first = _huankao_at_jwc(student, huang)
    second = student.submit(CHENGJIDAN, CHENGJIDAN_DATA)
    assert student.act(first, "urge").status_code == 200  # urged within the hour: the next one is refused

    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    _open_application(ui, "mine", first)
    ui.tap(scrolled_to(ui, "action_urge"))
    synced(ui)
    ui.wait_for(lambda: ui.find("syncBadge", _page(ui)).property("state_") == "rejected", timeout=20_000)
    assert "每小时只能催办一次" in str(ui.find("syncBadge", _page(ui)).property("reason"))
    ui.tap(ui.find_visible("backButton", _page(ui)))
    ui.wait_for(lambda: current_page(ui) == "tasksPage")
    item = ui.find_visible("workItem_" + first)
    badge = ui.find("syncBadge", item)
    assert badge.isVisible() and badge.property("state_") == "rejected"
    assert any("被拒绝" in t for t in ui.texts(badge))
    ui.screenshot("workflow-actions-9-refused-urge")

    # The filters: by process, then by status, with real taps on their lists. 我的申请 lists what the server
    # lists: these two and the demo's past 办结 ones.
    everything, transcripts = student.box("mine")["total"], student.box("mine", process=CHENGJIDAN)["total"]
    list_view = ui.find("workItems")
    ui.wait_for(lambda: list_view.property("count") == everything)
    _choose(ui, "processFilter", "成绩单打印申请")
    ui.wait_for(lambda: list_view.property("count") == transcripts)
    assert _visible(ui, "workItem_" + second) and not _visible(ui, "workItem_" + first)
    ui.screenshot("workflow-actions-10-filter")
    _choose(ui, "processFilter", "全部服务")
    ui.wait_for(lambda: list_view.property("count") == everything)
    _choose(ui, "statusFilter", "办理中")
    ui.wait_for(lambda: list_view.property("count") == 1)
    assert _visible(ui, "workItem_" + first)

    # 撤回 while nobody has acted (a sheet, confirmed), then 终止: final, nothing more to do.
    _back_home(ui)
    _open_application(ui, "mine", second)
    ui.tap(scrolled_to(ui, "action_withdraw"))
    ui.wait_for(lambda: _visible(ui, "actionSheet"))
    assert ui.find("sheetTitle").property("text") == "撤回申请"
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    ui.wait_for(lambda: "已撤回" in str(ui.find("applicationStatus").property("text")), timeout=20_000)
    assert _visible(ui, "action_resubmit") and not _visible(ui, "action_withdraw")
    ui.tap(scrolled_to(ui, "action_terminate"))
    ui.wait_for(lambda: _visible(ui, "actionSheet"))
    scrolled_to(ui, "sheetComment")
    ui.type_into("sheetComment", "不需要了")
    QGuiApplication.inputMethod().hide()
    ui.settle(200)
    ui.tap(scrolled_to(ui, "sheetConfirm"))
    synced(ui)
    ui.wait_for(lambda: "已终止" in str(ui.find("applicationStatus").property("text")), timeout=20_000)
    assert "当前步骤" not in str(ui.find("applicationStatus").property("text"))  # there is none once it ended
    assert not _visible(ui, "action_resubmit") and not _visible(ui, "action_terminate")
    ui.screenshot("workflow-actions-11-terminated")
    events = [e["action"] for e in student.application(second)["events"]]
    assert events == ["submit", "withdraw", "terminate"], events


def _choose(ui: Any, combo_name: str, text: str) -> None:
    """Open a filter's list with a tap and tap the entry."""
    combo = ui.find_visible(combo_name)

    def entry() -> Any:
        # The entry itself, not the label inside it that carries the same text.
        return max(
            (
                i
                for i in ui.items()
                if i.isVisible()
                and i.property("text") == text
                and i is not combo
                and type(i).__name__ != "QQuickText"
                and ui.center(i).y() > ui.center(combo).y()  # in the list that drops down under the filter
                and abs(ui.center(i).x() - ui.center(combo).x()) < combo.width() / 2
            ),
            key=lambda i: i.height(),
            default=None,
        )

    ui.tap(combo)
    ui.wait_for(lambda: entry() is not None and combo.property("down"))
    ui.settle(200)  # the list opens with a short transition
    assert entry().height() >= ui.find("box_todo").height() - 1  # a touch target like the rest
    ui.screenshot(f"workflow-actions-filter-{combo_name}")
    ui.tap(entry())
    ui.wait_for(lambda: not combo.property("down"))
    ui.settle(100)
