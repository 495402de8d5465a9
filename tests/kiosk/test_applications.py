"""The progress page's application without Qt: what the holder, the applicant and anyone concerned may do
with it, each action's rules, the operation it queues with its local effect, and what the page shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.models.store import LocalStore
from kiosk.services.applications import ActionInput, Application, action_rule, form_sections
from kiosk.services.form_fields import annotations
from kiosk.services.inbox import InboxSnapshot
from tests.helpers import ROOT

CODE = "xj-diannao-weixiu"
FORM = json.loads((ROOT / "sync_server" / "seed" / "forms" / f"{CODE}.json").read_text())
DATA = {"asset_type": "打印机", "asset_code": "101007", "location": "综合实验楼101", "problem": "打印机无法共享打印!"}
EVENTS = [
    {"action": "submit", "actor_name": "刘诗宏"},
    {"action": "annotate", "field": "problem", "actor_name": "贾孟杰", "comment": "旧的批注"},
    {"action": "return", "actor_name": "贾孟杰", "comment": "型号不清楚"},
    {"action": "resubmit", "actor_name": "刘诗宏"},
    {"action": "annotate", "field": "problem", "actor_name": "贾孟杰", "comment": "请写明打印机型号"},
    {"action": "annotate", "field": "problem", "actor_name": "黄佳", "comment": "附照片"},
]


def _application(status: str = "submitted", **extra: Any) -> dict[str, Any]:
    return {
        "id": "a1",
        "process_code": CODE,
        "status": status,
        "serial": 92818,
        "data": DATA,
        "events": EVENTS,
        **extra,
    }


def _task(**extra: Any) -> dict[str, Any]:
    """贾孟杰's open task at 现教中心实验室管理科接收, which fills 审核信息."""
    return {
        "id": 7,
        "application_id": "a1",
        "process_code": CODE,
        "box": "todo",
        "kind": "handle",
        "section": "receive",
        "step_name": "现教中心实验室管理科接收",
        "actions": ["comment", "reject", "transfer", "return", "approve"],
        "transfer_candidates": [{"user_id": "101208", "name": "王老师"}],
        "return_targets": [{"to": "applicant", "name": "申请人"}],
        "application": _application(),
        **extra,
    }


def _holder(**task: Any) -> Application:
    return Application.find(InboxSnapshot(todo=[_task(**task)], forms={CODE: FORM}), "a1")


def _applicant(
    status: str = "submitted", actions: tuple[str, ...] = ("urge", "comment", "terminate", "withdraw")
) -> Application:
    mine = [_application(status, actions=list(actions))]
    return Application.find(InboxSnapshot(mine=mine, forms={CODE: FORM}), "a1")


def test_the_holder_of_a_handling_step() -> None:
    detail = _holder().detail({CODE: "教职工办公电脑维修申请"})
    assert detail["name"] == "教职工办公电脑维修申请"
    assert (detail["canHandle"], detail["applicantView"], detail["closed"], detail["actionable"]) == (
        True,
        False,
        False,
        True,
    )
    # The server's actions in reading order, then 批注 for the holder of a handling step.
    assert detail["actions"] == ["approve", "return", "transfer", "reject", "comment", "annotate"]
    # 审核信息's editable fields; 接收人 and 接收时间 the server fills.
    assert [f["name"] for f in detail["stepFields"]] == ["acceptor", "repair_result"]
    # The step's own section is not shown before anyone filled it.
    assert [s["title"] for s in detail["sections"]] == ["基本信息", "报修信息"]


def test_transfer_only_when_a_colleague_may_take_it_and_no_annotation_at_the_applicants_step() -> None:
    assert "transfer" not in _holder(transfer_candidates=[]).detail({})["actions"]
    confirming = _holder(kind="confirm", actions=["approve", "return", "comment"]).detail({})
    assert confirming["confirms"] and confirming["actions"] == ["approve", "return", "comment"]
    assert not confirming["canAnnotate"] and confirming["transferCandidates"] == []


def test_an_action_on_its_way_leaves_nothing_to_do() -> None:
    detail = _holder(pending_action="approve").detail({})
    assert detail["acting"] and not detail["canHandle"]


def test_the_applicant_and_a_final_application() -> None:
    detail = _applicant().detail({})
    assert detail["applicantView"] and detail["actions"] == ["urge", "withdraw", "terminate", "comment"]
    assert not detail["canAnnotate"] and detail["returnTargets"] == [{"to": "applicant", "name": "申请人"}]
    ended = _applicant("terminated", actions=("comment",)).detail({})
    assert ended["closed"] and ended["actions"] == ["comment"]
    returned = _applicant("returned", actions=("resubmit", "terminate")).detail({})
    assert returned["canResubmit"] and returned["actions"][0] == "resubmit"


def test_a_handled_task_leaves_the_page_to_read() -> None:
    handled = _task(box="done", actions=["comment"], application=_application(actions=["comment"]))
    detail = Application.find(InboxSnapshot(done=[handled], forms={CODE: FORM}), "a1").detail({})
    assert (detail["open"], detail["canHandle"], detail["actions"], detail["actionable"]) == (False, False, [], False)
    assert [s["title"] for s in detail["sections"]] == ["基本信息", "报修信息"]


def test_an_application_no_longer_in_the_boxes() -> None:
    detail = Application.find(InboxSnapshot(todo=[_task()]), "gone").detail({})
    assert detail["application"] == {} and detail["actions"] == [] and not detail["actionable"]


def test_the_rules_say_what_an_action_asks_for() -> None:
    holder = _holder()
    assert holder.problem("return", ActionInput(comment="  ")) == "reason"
    assert holder.problem("reject", ActionInput()) == "reason"
    assert holder.problem("transfer", ActionInput(comment="请张老师处理")) == "choice"
    assert holder.problem("transfer", ActionInput(choice="101208")) == ""  # its note is optional
    assert holder.problem("annotate", ActionInput(choice="problem")) == "reason"
    assert holder.problem("withdraw", ActionInput()) == holder.problem("terminate", ActionInput()) == ""
    assert holder.problem("approve", ActionInput(values={"acceptor": "刘诗宏"})) == "fields"
    assert set(holder.check_step({"acceptor": "刘诗宏"})) == {"repair_result"}
    assert holder.problem("approve", ActionInput(values={"acceptor": "刘诗宏", "repair_result": "已修好"})) == ""
    assert action_rule("reject")["ends"] and action_rule("annotate")["flow"] == "field"
    assert action_rule("resubmit")["flow"] == "form" and action_rule("nonsense") == {}


def test_each_action_as_the_operation_it_queues() -> None:
    holder, applicant = _holder(), _applicant()
    values = {"acceptor": "刘诗宏", "repair_result": "已修好"}
    op, payload, _ = holder.write("101207", "approve", ActionInput(" 好 ", values=values, next_handler="101203"))
    assert op == "workflow.approve"
    assert payload == {"application_id": "a1", "task_id": 7, "comment": "好", "data": values, "next_handler": "101203"}
    op, payload, _ = holder.write("101207", "return", ActionInput("型号不清楚", choice="previous"))
    assert (op, payload) == (
        "workflow.return",
        {"application_id": "a1", "task_id": 7, "comment": "型号不清楚", "to": "previous"},
    )
    op, payload, _ = holder.write("101207", "transfer", ActionInput(choice="101208"))
    assert (op, payload) == ("workflow.transfer", {"application_id": "a1", "task_id": 7, "transfer_to": "101208"})
    op, payload, _ = holder.write("101207", "annotate", ActionInput("请写明型号", choice="problem"))
    assert (op, payload) == ("workflow.comment", {"application_id": "a1", "comment": "请写明型号", "field": "problem"})
    assert applicant.write("101203", "urge", ActionInput())[:2] == ("workflow.urge", {"application_id": "a1"})
    assert applicant.write("101203", "withdraw", ActionInput())[:2] == ("workflow.withdraw", {"application_id": "a1"})
    with pytest.raises(ValueError):
        holder.write("101207", "delete", ActionInput())
    with pytest.raises(ValueError):
        _holder(id="not-a-number").write("101207", "reject", ActionInput("不符合条件"))


def test_the_local_effect_marks_the_task_acting(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    change = {"seq": 0, "entity": "task", "id": "7", "op": "upsert", "scope": "user", "data": _task()}
    assert store.apply_changes("101207", [change], "user.sync.cursor.101207", 1, "epoch")
    # A 批注 on its way leaves the task the holder's: 通过 may follow before the server has answered the 批注.
    op, payload, apply_local = _holder().write("101207", "annotate", ActionInput("请写明型号", choice="problem"))
    store.enqueue("101207", op, payload, apply_local, entity="application:a1")
    task = store.tasks("101207", "todo")[0]
    assert "pending_action" not in task
    snapshot = InboxSnapshot(todo=[task])
    assert Application.find(snapshot, "a1").detail({})["canHandle"]
    op, payload, apply_local = _holder().write("101207", "approve", ActionInput())
    store.enqueue("101207", op, payload, apply_local, entity="application:a1")
    assert store.tasks("101207", "todo")[0]["pending_action"] == "approve"  # 处理中… until the server answers
    store.close()


def test_this_rounds_annotations_under_their_fields() -> None:
    notes = annotations(EVENTS)
    assert notes == {"problem": "贾孟杰：请写明打印机型号\n黄佳：附照片"}  # the round before the resubmit is over
    sections = form_sections(FORM, {**DATA, "repair_result": "已修好", "receiver": {"name": "贾孟杰"}}, notes)
    review = sections[-1]
    assert review["title"] == "审核信息" and review["step"] == "receive"
    rows = {r["name"]: r for s in sections for r in s["rows"]}
    assert rows["problem"]["note"].startswith("贾孟杰") and rows["receiver"]["value"] == "贾孟杰"
