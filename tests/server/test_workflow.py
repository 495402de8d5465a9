"""The workflow over HTTP against a real server, on SQLite and PostgreSQL: the manual's repair scenario end to end,
every action and every forbidden one (403 on the REST endpoint, `forbidden` through the sync push), returns and
resubmission, countersigns, conditions, withdrawal, transfer, urging, comments, the lists, notifications, and two
approvers acting on one task at once."""

from __future__ import annotations

import threading
from typing import Any

import requests

from tests.helpers import LiveServer
from tests.server.workflow_helpers import (
    HUANG,
    JIA,
    JWC_A,
    JWC_B,
    LIN,
    LIU,
    REPAIR,
    REPAIR_CODE,
    STUDENT,
    STUDENT_2,
    XSC,
    YANG,
    Client,
    error_code,
    example,
    latest,
    positive,
)

TRANSCRIPT = "jw-chengjidan"  # 成绩单打印申请: one step, 教务处办事员 (two of them)
DORM = "xs-tiaohuan-sushe"  # 调换宿舍申请: 辅导员意见 → 学生处审核


def handle_data(code: str, user_id: str, section: str) -> dict[str, Any]:
    return example(code, user_id, section, where=positive(code, section))


# -- the manual's scenario -----------------------------------------------------------------------------------------
def test_the_manuals_repair_scenario_end_to_end(live_server: LiveServer) -> None:
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)

    # 选择审核人: the first step and who may take it, offered before submitting.
    first = liu.get("/api/v1/hall/processes/xj-diannao-weixiu/handlers").json()
    assert first["name"] == "现教中心实验室管理科接收" and first["choose"] is True
    assert [h["name"] for h in first["handlers"]] == ["贾孟杰"]
    guide = requests.get(live_server.url + "/api/v1/hall/processes/xj-diannao-weixiu", timeout=10).json()
    assert guide["steps"] == ["申请人填写", "现教中心实验室管理科接收", "申请人确认", "办结"]

    app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)

    todo = jia.box("todo")
    assert todo["total"] == 1
    item = todo["items"][0]
    assert (item["application_id"], item["process_name"], item["applicant_name"]) == (
        app_id,
        "教职工办公电脑维修申请",
        "刘诗宏",
    )
    assert (item["status"], item["status_name"]) == ("submitted", "待办理")
    assert item["current_step_name"] == "现教中心实验室管理科接收" and item["task"]["step"] == "receive"
    assert item["waiting_seconds"] >= 0 and item["task"]["due_at"] and item["task"]["overdue"] is False
    detail = jia.application(app_id)
    assert detail["data"]["problem"] == "打印机无法共享打印!" and detail["data"]["applicant"] == "刘诗宏"
    assert detail["my_tasks"][0]["actions"] == ["approve", "return", "reject", "transfer", "comment"]
    following = jia.get(f"/api/v1/applications/{app_id}/handlers").json()
    assert (following["key"], following["name"], following["choose"]) == ("confirm", "申请人确认", False)

    # 贾孟杰 fills 审核信息 (维修情况 已修好) and sends it on; 接收人 and 接收时间 are the server's.
    done = jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"}, comment="已到现场处理")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["current_step_name"]) == ("confirming", "申请人确认")

    confirm = liu.box("todo")["items"]
    assert len(confirm) == 1 and confirm[0]["status_name"] == "待确认"
    assert confirm[0]["task"]["step_name"] == "申请人确认"
    confirmed = liu.act(app_id, "approve", task_id=confirm[0]["task"]["id"])  # 确认验收
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "completed"

    final = liu.application(app_id)
    assert (final["status"], final["status_name"]) == ("completed", "办结")
    assert {k: final["data"][k] for k in ("acceptor", "repair_result", "receiver")} == {
        "acceptor": "刘诗宏",
        "repair_result": "已修好",
        "receiver": "贾孟杰",
    }
    assert [(e["action"], e["actor_name"], e["step_name"]) for e in final["events"]] == [
        ("submit", "刘诗宏", "申请人填写"),
        ("approve", "贾孟杰", "现教中心实验室管理科接收"),
        ("confirm", "刘诗宏", "申请人确认"),
        ("complete", "系统", ""),
    ]
    assert final["events"][1]["comment"] == "已到现场处理" and all(e["at"] for e in final["events"])
    assert [s["state"] for s in final["steps"]] == ["done", "done", "done", "done"]
    assert jia.box("done")["items"][0]["status"] == "completed"
    assert liu.box("mine", status="completed", process=REPAIR_CODE)["total"] == 1
    assert jia.box("todo")["total"] == 0 and liu.box("todo")["total"] == 0

    # What the terminals hold after pulling: the applicant's application and the tasks, all current.
    liu_changes, jia_changes = liu.pull(), jia.pull()
    app_entity = latest(liu_changes, "application")[app_id]
    assert app_entity is not None and app_entity["status"] == "completed" and len(app_entity["events"]) == 4
    jia_tasks = [t for t in latest(jia_changes, "task").values() if t is not None]
    assert [(t["box"], t["outcome"], t["application"]["status"]) for t in jia_tasks] == [
        ("done", "approved", "completed")
    ]
    liu_notes = [n["kind"] for n in latest(liu_changes, "notification").values() if n]
    assert sorted(liu_notes) == ["completed", "task"]  # 待确认, then 办结
    assert [n["title"] for n in latest(jia_changes, "notification").values() if n] == [
        "新的待办：教职工办公电脑维修申请"
    ]


def test_the_applicant_sends_it_back_from_confirmation(live_server: LiveServer) -> None:
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)
    app_id = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已重启打印服务"})
    assert liu.act(app_id, "reject", comment="不要了").status_code == 422  # confirming: send it back instead
    back = liu.act(app_id, "return", comment="打印机仍然无法共享")
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["current_step"]) == ("in_progress", "receive")
    note = jia.get("/api/v1/me/notifications").json()["items"][0]
    assert note["kind"] == "returned" and "原因：打印机仍然无法共享" in note["body"] and "退回" in note["title"]
    assert jia.box()["items"][0]["task"]["step"] == "receive"
    jia.act(app_id, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"})
    assert liu.act(app_id, "approve").json()["status"] == "completed"
    final = liu.application(app_id)
    assert final["data"]["repair_result"] == "已修好"
    assert [e["action"] for e in final["events"]] == ["submit", "approve", "return", "approve", "confirm", "complete"]


# -- who may act -----------------------------------------------------------------------------------------------
def test_forbidden_actions_are_403_and_rejected_through_the_push(live_server: LiveServer) -> None:
    student, clerk = Client(live_server, STUDENT), Client(live_server, JWC_A)
    outsider = Client(live_server, LIU)
    app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))

    for action in ("approve", "return", "reject", "transfer", "withdraw", "terminate", "urge", "comment", "resubmit"):
        response = outsider.act(app_id, action, comment="看看", data={}, transfer_to=JWC_B)
        assert response.status_code == 403 and error_code(response) == "forbidden", (action, response.text)
    for action in ("withdraw", "terminate", "urge", "resubmit"):  # the applicant's own actions
        response = clerk.act(app_id, action, data={})
        assert response.status_code == 403 and error_code(response) == "forbidden", (action, response.text)
    for action in ("approve", "return", "reject", "transfer"):  # the handler's
        response = student.act(app_id, action, comment="自己批", transfer_to=STUDENT_2)
        assert response.status_code == 403 and error_code(response) == "forbidden", (action, response.text)

    pushed = outsider.push("workflow.approve", {"application_id": app_id})
    assert pushed["status"] == "rejected" and pushed["error"]["code"] == "forbidden"
    pushed = clerk.push("workflow.withdraw", {"application_id": app_id})
    assert pushed["status"] == "rejected" and pushed["error"]["code"] == "forbidden"
    assert "无权" in pushed["error"]["message"] or "只有申请人" in pushed["error"]["message"]

    missing = clerk.act("00000000-0000-0000-0000-000000000000", "approve")
    assert missing.status_code == 404 and error_code(missing) == "application_not_found"
    unknown = clerk.act(app_id, "approve_all")  # type: ignore[arg-type]
    assert unknown.status_code == 422 and error_code(unknown) == "validation_error"
    assert clerk.push("workflow.approve", {"application_id": 7})["error"]["code"] == "invalid_payload"
    stranger_view = outsider.get(f"/api/v1/applications/{app_id}")
    assert stranger_view.status_code == 403
    # Nothing changed: still waiting for 教务处, nothing logged but the submission.
    assert [e["action"] for e in student.application(app_id)["events"]] == ["submit"]


# -- return and resubmit -------------------------------------------------------------------------------------------
def test_return_to_the_previous_step_and_to_the_applicant_then_resubmit(live_server: LiveServer) -> None:
    student, counsellor, office = Client(live_server, STUDENT), Client(live_server, YANG), Client(live_server, XSC)
    data = example(DORM, STUDENT)
    app_id = student.submit(DORM, data)
    assert counsellor.box()["items"][0]["current_step_name"] == "辅导员意见"

    refused = counsellor.act(app_id, "approve", data={"dept_review_result": "不同意"})
    assert refused.status_code == 422 and error_code(refused) == "decision_conflict"
    ok = counsellor.act(app_id, "approve", data=handle_data(DORM, YANG, "dept_review"))
    assert ok.status_code == 200 and ok.json()["current_step"] == "review"

    no_reason = office.act(app_id, "return", to="previous")
    assert no_reason.status_code == 422 and error_code(no_reason) == "comment_required"
    back = office.act(app_id, "return", to="previous", comment="请核实床位")
    assert back.status_code == 200 and back.json()["current_step"] == "dept_review"
    assert back.json()["returned_to"] == "dept_review"
    assert counsellor.box()["items"][0]["current_step"] == "dept_review"  # back with whoever approved it
    assert office.box()["total"] == 0

    to_student = counsellor.act(app_id, "return", comment="请补充调换原因", to="applicant")
    assert to_student.status_code == 200 and to_student.json()["status"] == "returned"
    mine = student.box("todo")["items"]
    assert [(i["status_name"], i["task"]["step"]) for i in mine] == [("已退回", "apply")]
    notes = student.get("/api/v1/me/notifications", unread=True).json()
    assert any(n["kind"] == "returned" and "请补充调换原因" in n["body"] for n in notes["items"])
    assert counsellor.act(app_id, "approve").status_code == 409  # nothing of theirs is open now

    bad = student.act(app_id, "resubmit", data={**data, "explanation": " "})
    assert bad.status_code == 422 and error_code(bad) == "invalid_form"
    again = student.act(app_id, "resubmit", data={**data, "explanation": "室友作息不同，已与对方协商"})
    assert again.status_code == 200, again.text
    assert (again.json()["status"], again.json()["current_step"]) == ("submitted", "dept_review")
    view = student.application(app_id)
    assert view["data"]["explanation"] == "室友作息不同，已与对方协商"
    assert "dept_review_result" not in view["data"]  # this round fills the sections again
    assert [e["action"] for e in view["events"]] == ["submit", "approve", "return", "return", "resubmit"]
    assert [e["data"] for e in view["events"] if e["action"] == "return"] == [
        {"to": "dept_review"},
        {"to": "applicant"},
    ]
    assert counsellor.box()["total"] == 1 and student.box("todo")["total"] == 0
    assert student.act(app_id, "resubmit", data=data).status_code == 409  # not with the applicant any more


def test_reject_and_terminate_close_the_application(live_server: LiveServer) -> None:
    student, clerk, other = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, JWC_B)
    app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
    assert clerk.act(app_id, "reject").status_code == 422  # a reason is required
    rejected = clerk.act(app_id, "reject", comment="学籍信息有误，请先到学籍科更正")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert student.application(app_id)["status_name"] == "不予办理"
    late = other.act(app_id, "approve", data=handle_data(TRANSCRIPT, JWC_B, "handle"))
    assert late.status_code == 409 and error_code(late) == "task_already_handled"
    assert student.act(app_id, "terminate").status_code == 409
    note = student.get("/api/v1/me/notifications").json()["items"][0]
    assert note["kind"] == "rejected" and "学籍信息有误" in note["body"]

    second = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
    ended = student.act(second, "terminate", comment="不需要了")
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    late = clerk.act(second, "approve", data=handle_data(TRANSCRIPT, JWC_A, "handle"))
    assert late.status_code == 409 and error_code(late) == "task_cancelled"
    tasks = latest(clerk.pull(), "task")
    assert [t for t in tasks.values() if t is not None and t["application_id"] == second] == []  # gone from 待办


# -- countersign and conditions --------------------------------------------------------------------------------
def test_countersign_all_of_n(live_server: LiveServer) -> None:
    liu = Client(live_server, LIU)
    out_head, in_head, hr = Client(live_server, "102364"), Client(live_server, "102315"), Client(live_server, "100638")
    data = example("rs-tiaogang", LIU, target_dept="教务处")
    app_id = liu.submit("rs-tiaogang", data)
    assert [a["name"] for a in liu.application(app_id)["assignees"]] == ["吴桂英", "张建华"]  # 调出, 调入

    first = out_head.act(app_id, "approve", data=handle_data("rs-tiaogang", "102364", "dept_review"))
    assert first.status_code == 200 and first.json()["step_complete"] is False
    assert first.json()["status"] == "in_progress" and first.json()["current_step"] == "dept_review"
    assert hr.box()["total"] == 0
    second = in_head.act(app_id, "approve", data=handle_data("rs-tiaogang", "102315", "dept_review"))
    assert second.status_code == 200 and second.json()["current_step"] == "review"
    assert hr.box()["total"] == 1

    unknown_dept = liu.push(
        "application.submit",
        {
            "application_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
            "process_code": "rs-tiaogang",
            "data": {**data, "target_dept": "月球办"},
        },
    )
    assert unknown_dept["error"]["code"] == "invalid_form" and "target_dept" in unknown_dept["error"]["fields"]


def test_countersign_any_k_of_n(live_server: LiveServer) -> None:
    student = Client(live_server, STUDENT)
    members = [Client(live_server, u) for u in ("102308", "102315", "102329")]  # 院办, 教务处, 学生处 负责人
    secretary = Client(live_server, "100329")
    code = "yb-shensu-chengbao"
    app_id = student.submit(code, example(code, STUDENT))

    no = members[0].act(app_id, "reject", comment="材料不足")
    assert no.status_code == 200 and no.json()["step_complete"] is False  # one no: two can still agree
    assert members[1].act(app_id, "approve", comment="同意复查").json()["step_complete"] is False
    carried = members[2].act(app_id, "approve", comment="同意复查")
    assert carried.status_code == 200 and carried.json()["current_step"] == "review"
    assert secretary.box()["total"] == 1

    other = student.submit(code, example(code, STUDENT))
    assert members[0].act(other, "reject", comment="不予受理").json()["status"] == "in_progress"
    sunk = members[1].act(other, "reject", comment="不予受理")  # 1 can no longer make 2
    assert sunk.status_code == 200 and sunk.json()["status"] == "rejected"
    late = members[2].act(other, "approve")
    assert late.status_code == 409 and error_code(late) in ("task_already_handled", "task_cancelled")


def test_a_conditional_step(live_server: LiveServer) -> None:
    liu, head = Client(live_server, LIU), Client(live_server, "102364")
    clerk, leader = Client(live_server, JWC_A), Client(live_server, "100108")
    code = "jw-jiaoxue-jingfei"
    big = liu.submit(code, example(code, LIU, amount=20000.0))
    small = liu.submit(code, example(code, LIU, amount=800.0))
    assert liu.application(big)["steps"][-2]["name"] == "分管校领导审批"
    assert "分管校领导审批" not in [s["name"] for s in liu.application(small)["steps"]]
    for app_id in (big, small):
        assert head.act(app_id, "approve", data=handle_data(code, "102364", "dept_review")).status_code == 200
    assert clerk.act(big, "approve", data=handle_data(code, JWC_A, "review")).json()["current_step"] == "leader"
    assert clerk.act(small, "approve", data=handle_data(code, JWC_A, "review")).json()["status"] == "completed"
    assert leader.box()["total"] == 1
    assert leader.act(big, "approve", data=handle_data(code, "100108", "leader")).json()["status"] == "completed"


# -- withdraw, transfer, urge, comment ---------------------------------------------------------------------------
def test_withdraw_only_before_anyone_acted(live_server: LiveServer) -> None:
    student, clerk = Client(live_server, STUDENT), Client(live_server, JWC_A)
    data = example(TRANSCRIPT, STUDENT)
    app_id = student.submit(TRANSCRIPT, data)
    pulled_before = latest(clerk.pull(), "task")
    assert [t["application_id"] for t in pulled_before.values() if t] == [app_id]
    withdrawn = student.act(app_id, "withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert clerk.box()["total"] == 0
    assert all(t is None for t in latest(clerk.pull(), "task").values())  # deleted from the clerk's terminal
    late = clerk.act(app_id, "approve", data=handle_data(TRANSCRIPT, JWC_A, "handle"))
    assert late.status_code == 409 and error_code(late) == "task_cancelled"

    assert student.act(app_id, "resubmit", data=data, next_handler=JWC_A).status_code == 200
    assert clerk.box()["total"] == 1 and Client(live_server, JWC_B).box()["total"] == 0  # chosen: only her
    assert clerk.act(app_id, "comment", comment="已受理").status_code == 200  # a comment is not handling
    assert student.act(app_id, "withdraw").status_code == 200
    assert student.act(app_id, "resubmit", data=data).status_code == 200
    # Both clerks hold it again; a transfer to their head is handling it: no withdrawal from now on.
    assert clerk.act(app_id, "transfer", transfer_to=JWC_B).status_code == 422  # she holds it already
    assert clerk.act(app_id, "transfer", transfer_to="102315").status_code == 200
    refused = student.act(app_id, "withdraw")
    assert refused.status_code == 409 and error_code(refused) == "cannot_withdraw"


def test_transfer_to_a_colleague(live_server: LiveServer) -> None:
    student, a, b = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, JWC_B)
    app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT), next_handler=JWC_A)
    assert b.box()["total"] == 0
    for target in (LIU, STUDENT, JWC_A, "NOSUCH"):  # another department, the applicant, oneself, nobody
        wrong = a.act(app_id, "transfer", transfer_to=target)
        assert wrong.status_code == 422 and error_code(wrong) == "invalid_transfer", target
    moved = a.act(app_id, "transfer", transfer_to=JWC_B, comment="请袁老师办理")
    assert moved.status_code == 200 and moved.json()["transferred_to"] == JWC_B
    assert a.box()["total"] == 0 and a.box("done")["items"][0]["task"]["outcome"] == "transferred"
    assert b.box()["items"][0]["application_id"] == app_id
    again = a.act(app_id, "approve", data=handle_data(TRANSCRIPT, JWC_A, "handle"))
    assert again.status_code == 409 and error_code(again) == "task_already_handled"
    assert b.act(app_id, "approve", data=handle_data(TRANSCRIPT, JWC_B, "handle")).json()["status"] == "completed"
    transfer = next(e for e in student.application(app_id)["events"] if e["action"] == "transfer")
    assert transfer["data"] == {"to": JWC_B, "to_name": "袁丽萍"} and transfer["comment"] == "请袁老师办理"


def test_a_task_lists_whom_it_may_be_transferred_to(live_server: LiveServer) -> None:
    student, a, b = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, JWC_B)
    both = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))  # both clerks hold it
    offered = a.application(both)["my_tasks"][0]["transfer_candidates"]
    assert [(h["user_id"], h["name"]) for h in offered] == [("102315", "张建华")]  # not herself, not 袁丽萍
    assert set(offered[0]) == {"user_id", "name", "department", "post"} and offered[0]["department"]

    chosen = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT), next_handler=JWC_A)
    pulled = latest(a.pull(), "task")
    task = next(t for t in pulled.values() if t is not None and t["application_id"] == chosen)
    assert [h["name"] for h in task["transfer_candidates"]] == ["张建华", "袁丽萍"]  # by name
    assert a.application(chosen)["my_tasks"][0]["transfer_candidates"] == task["transfer_candidates"]
    listed = {h["user_id"] for h in task["transfer_candidates"]}
    for target in (LIU, STUDENT, JWC_A, HUANG):  # none of them listed, each refused
        assert target not in listed
        wrong = a.act(chosen, "transfer", transfer_to=target)
        assert wrong.status_code == 422 and error_code(wrong) == "invalid_transfer", target
    assert a.act(chosen, "transfer", transfer_to=JWC_B).status_code == 200
    theirs = b.application(chosen)["my_tasks"][0]
    assert [h["name"] for h in theirs["transfer_candidates"]] == ["张建华", "陈晓燕"]  # hers is done: may take it back
    done = next(t for t in latest(a.pull(), "task").values() if t is not None and t["application_id"] == chosen)
    assert (done["box"], done["transfer_candidates"], done["return_targets"]) == ("done", [], [])

    # The applicant is a colleague of the head of 现代教育技术中心 (调出部门): never offered.
    liu, head = Client(live_server, LIU), Client(live_server, "102364")
    moving = liu.submit("rs-tiaogang", example("rs-tiaogang", LIU, target_dept="教务处"))
    assert [h["name"] for h in head.application(moving)["my_tasks"][0]["transfer_candidates"]] == ["程亚楠"]
    refused = head.act(moving, "transfer", transfer_to=LIU)
    assert refused.status_code == 422 and error_code(refused) == "invalid_transfer"


def test_a_task_says_where_it_may_be_returned_to(live_server: LiveServer) -> None:
    student, counsellor, office = Client(live_server, STUDENT), Client(live_server, YANG), Client(live_server, XSC)
    app_id = student.submit(DORM, example(DORM, STUDENT))
    applicant_only = [{"to": "applicant", "name": "申请人"}]
    assert counsellor.application(app_id)["my_tasks"][0]["return_targets"] == applicant_only  # the first step
    assert counsellor.act(app_id, "approve", data=handle_data(DORM, YANG, "dept_review")).status_code == 200

    both = [
        {"to": "applicant", "name": "申请人"},
        {"to": "previous", "key": "dept_review", "name": "辅导员意见", "people": ["杨帆"]},
    ]
    assert office.application(app_id)["my_tasks"][0]["return_targets"] == both
    pulled = next(t for t in latest(office.pull(), "task").values() if t is not None and t["application_id"] == app_id)
    assert pulled["return_targets"] == both
    back = office.act(app_id, "return", to="previous", comment="请核实床位")
    assert back.status_code == 200 and back.json()["returned_to"] == "dept_review"
    again = counsellor.application(app_id)["my_tasks"]
    assert [(t["step"], t["box"]) for t in again] == [("dept_review", "done"), ("dept_review", "todo")]
    assert again[1]["return_targets"] == applicant_only

    # At the applicant's confirmation: only back to whoever handled it.
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)
    repair = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    jia.act(repair, "approve", data={"acceptor": "刘诗宏", "repair_result": "已重启打印服务"})
    confirm = liu.application(repair)["my_tasks"][-1]
    assert confirm["kind"] == "confirm" and confirm["transfer_candidates"] == []
    assert confirm["return_targets"] == [
        {"to": "previous", "key": "receive", "name": "现教中心实验室管理科接收", "people": ["贾孟杰"]}
    ]


def test_urge_at_most_once_an_hour(live_server: LiveServer) -> None:
    student, a, b = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, JWC_B)
    app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
    urged = student.act(app_id, "urge", comment="急用，谢谢")
    assert urged.status_code == 200 and sorted(urged.json()["urged"]) == sorted([JWC_A, JWC_B])
    for clerk in (a, b):
        note = clerk.get("/api/v1/me/notifications").json()["items"][0]
        assert note["kind"] == "urged" and "急用" in note["body"]
    again = student.act(app_id, "urge")
    assert again.status_code == 429 and error_code(again) == "urge_too_soon"
    assert 3500 <= again.json()["error"]["retry_after"] <= 3600
    pushed = student.push("workflow.urge", {"application_id": app_id})
    assert pushed["status"] == "rejected" and pushed["error"]["code"] == "urge_too_soon"
    assert student.application(app_id)["last_urged_at"]
    a.act(app_id, "approve", data=handle_data(TRANSCRIPT, JWC_A, "handle"))
    done = student.act(app_id, "urge")
    assert done.status_code == 409 and error_code(done) == "cannot_urge"  # nothing to wait for


def test_comments_and_annotations(live_server: LiveServer) -> None:
    student, clerk, outsider = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, LIN)
    app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
    assert student.act(app_id, "comment", comment="下周一来取").status_code == 200
    noted = clerk.act(app_id, "comment", comment="份数请改为 2 份", field="copies")
    assert noted.status_code == 200, noted.text
    assert clerk.act(app_id, "comment", comment="x", field="no_such_field").status_code == 422
    assert clerk.act(app_id, "comment").status_code == 422  # empty
    assert clerk.act(app_id, "comment", comment="长" * 501).status_code == 422
    assert outsider.act(app_id, "comment", comment="路过").status_code == 403
    events = student.application(app_id)["events"]
    assert [(e["action"], e["actor_name"], e["field"], e["field_label"]) for e in events[1:]] == [
        ("comment", "王子涵", None, None),
        ("annotate", "陈晓燕", "copies", "打印份数"),
    ]
    assert student.application(app_id)["status"] == "submitted"  # comments change nothing else


# -- lists and notifications -------------------------------------------------------------------------------------
def test_lists_filter_page_and_count(live_server: LiveServer) -> None:
    student, clerk, secretary = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, HUANG)
    transcripts = [student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT)) for _ in range(3)]
    makeup = student.submit("jw-buxiu", example("jw-buxiu", STUDENT))  # 学院意见 (教学秘书) first
    assert clerk.box()["total"] == 3 and secretary.box()["total"] == 1
    page = clerk.box(limit=2, offset=0)
    rest = clerk.box(limit=2, offset=2)
    assert [i["application_id"] for i in page["items"] + rest["items"]] == transcripts[::-1]  # newest first
    assert clerk.box(process="jw-buxiu")["total"] == 0 and clerk.box(process=TRANSCRIPT)["total"] == 3
    clerk.act(transcripts[0], "approve", data=handle_data(TRANSCRIPT, JWC_A, "handle"))
    assert clerk.box("done")["items"][0]["application_id"] == transcripts[0]
    assert clerk.box("done", status="completed")["total"] == 1 and clerk.box("done", status="submitted")["total"] == 0
    mine = student.box("mine")
    assert mine["total"] >= 4 and {makeup, *transcripts} <= {i["application_id"] for i in mine["items"]}
    assert student.box("mine", process="jw-buxiu", status="submitted")["total"] == 1
    counts = clerk.get("/api/v1/me/tasks/counts").json()
    # The handled task's 新的待办 was marked read with the action: 2 left, one per open task.
    assert (counts["todo"], counts["done"]) == (2, 1) and counts["unread_notifications"] == 2
    assert clerk.get("/api/v1/me/tasks", box="everything").status_code == 422
    assert clerk.get("/api/v1/me/tasks", status="lost").status_code == 422
    assert requests.get(live_server.url + "/api/v1/me/tasks", timeout=10).status_code == 401


def test_done_lists_an_application_once(live_server: LiveServer) -> None:
    liu, jia = Client(live_server, LIU), Client(live_server, JIA)
    twice = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    assert jia.act(twice, "approve", data={"acceptor": "刘诗宏", "repair_result": "已重启打印服务"}).status_code == 200
    assert liu.act(twice, "return", comment="打印机仍然无法共享").status_code == 200
    once = liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    assert jia.act(once, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"}).status_code == 200
    assert jia.act(twice, "approve", data={"acceptor": "刘诗宏", "repair_result": "已修好"}).status_code == 200

    mine = jia.application(twice)["my_tasks"]
    assert [(t["box"], t["outcome"]) for t in mine] == [("done", "approved"), ("done", "approved")]
    done = jia.box("done")
    assert done["total"] == 2 and [i["application_id"] for i in done["items"]] == [twice, once]  # newest first
    assert done["items"][0]["task"]["id"] == mine[-1]["id"]  # with the latest task
    assert [i["application_id"] for i in jia.box("done", limit=1, offset=1)["items"]] == [once]
    assert jia.box("done", process=REPAIR_CODE)["total"] == 2
    assert jia.box("done", status="confirming")["total"] == 2 and jia.box("done", status="completed")["total"] == 0
    counts = jia.get("/api/v1/me/tasks/counts").json()
    assert (counts["todo"], counts["done"]) == (0, 2)


def test_notifications_unread_and_read(live_server: LiveServer) -> None:
    student, clerk = Client(live_server, STUDENT), Client(live_server, JWC_A)
    for _ in range(3):
        student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
    page = clerk.get("/api/v1/me/notifications").json()
    assert (page["total"], page["unread"]) == (3, 3)
    first = page["items"][0]
    assert first["kind"] == "task" and first["title"] == "新的待办：成绩单打印申请" and first["read"] is False
    marked = clerk.post("/api/v1/me/notifications/read", {"ids": [first["id"]]}).json()
    assert marked == {"updated": 1, "unread": 2}
    assert clerk.post("/api/v1/me/notifications/read", {}).status_code == 422
    # Offline, the terminal queues the same as an operation; the server applies it and announces the change.
    result = clerk.push("notification.read", {"all": True})
    assert result["status"] == "applied" and result["result"] == {"updated": 2}
    assert clerk.get("/api/v1/me/notifications", unread=True).json()["total"] == 0
    synced = latest(clerk.pull(), "notification")
    assert len(synced) == 3 and all(n is not None and n["read"] for n in synced.values())
    assert student.push("notification.read", {"ids": [first["id"]]})["result"] == {"updated": 0}  # not theirs
    assert student.push("notification.read", {"ids": "all"})["error"]["code"] == "invalid_payload"


# -- two approvers at once ---------------------------------------------------------------------------------------
def _race(calls: list[Any]) -> list[Any]:
    """Run the calls at the same moment on threads of their own; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(n: int) -> None:
        barrier.wait()
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_approvers_on_one_task_at_once_exactly_one_wins(live_server: LiveServer) -> None:
    student, a, b = Client(live_server, STUDENT), Client(live_server, JWC_A), Client(live_server, JWC_B)
    data_a, data_b = handle_data(TRANSCRIPT, JWC_A, "handle"), handle_data(TRANSCRIPT, JWC_B, "handle")
    for _ in range(6):  # over REST
        app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
        results = _race(
            [
                lambda app_id=app_id: a.act(app_id, "approve", data=data_a),
                lambda app_id=app_id: b.act(app_id, "approve", data=data_b),
            ]
        )
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 409], [r.text for r in results]
        loser = next(r for r in results if r.status_code == 409)
        assert error_code(loser) == "task_already_handled" and "已由" in loser.json()["error"]["message"]
        events = student.application(app_id)["events"]
        assert [e["action"] for e in events] == ["submit", "approve", "complete"]
    for _ in range(6):  # through the sync push, as two kiosks would
        app_id = student.submit(TRANSCRIPT, example(TRANSCRIPT, STUDENT))
        payload = {"application_id": app_id}
        pushed = _race(
            [
                lambda payload=payload: a.push("workflow.approve", {**payload, "data": data_a}),
                lambda payload=payload: b.push("workflow.approve", {**payload, "data": data_b}),
            ]
        )
        assert sorted(r["status"] for r in pushed) == ["applied", "rejected"], pushed
        loser = next(r for r in pushed if r["status"] == "rejected")
        assert loser["error"]["code"] == "task_already_handled"
        assert student.application(app_id)["status"] == "completed"
