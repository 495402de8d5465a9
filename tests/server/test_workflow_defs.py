"""The workflow definitions of the 64 processes (sync_server/seed/workflows/) against the format in
core/workflow_defs.py: each valid for its form, fitted to its process, and — run by the real engine on a copy of
the demo database — carried from submission to 办结 by the demo's people."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sync_server.core import sync
from sync_server.core import workflow_defs as defs
from sync_server.db import Database
from sync_server.models import Application, ApplicationEvent, WorkflowTask
from tests.helpers import copy_sqlite
from tests.server.workflow_helpers import (
    CONTENT,
    FORMS,
    LIU,
    PROCESSES,
    REPAIR,
    REPAIR_CODE,
    STUDENT,
    WORKFLOWS,
    example,
    positive,
)

POSTS = {p["code"] for p in CONTENT["posts"]}
VISITOR = "WB20260001"
CODES = sorted(PROCESSES)


def test_one_definition_per_process() -> None:
    assert sorted(WORKFLOWS) == CODES


@pytest.mark.parametrize("code", CODES)
def test_definition_is_valid_for_its_form(code: str) -> None:
    assert defs.definition_problems(WORKFLOWS[code], FORMS[code], POSTS) == []


def test_every_post_has_someone() -> None:
    held = {u["post"] for u in CONTENT["users"] if u.get("post")}
    assert held >= POSTS, POSTS - held


def test_the_manuals_repair_process_and_the_multi_step_ones() -> None:
    def names(code: str) -> list[str]:
        return [s["name"] for s in WORKFLOWS[code]["steps"]]

    # 申请人填写 → 现教中心实验室管理科接收 → 申请人确认 → 办结, the receiver fills 审核信息, chosen by the applicant.
    repair = WORKFLOWS[REPAIR_CODE]["steps"]
    assert names(REPAIR_CODE) == ["现教中心实验室管理科接收", "申请人确认"]
    assert repair[0] == {**repair[0], "assign": {"post": "xjzx-sys-jsr"}, "choose": True, "section": "receive"}
    assert repair[1]["assign"] == {"applicant": True}
    assert names("jw-zhuanzhuanye") == ["转出学院意见", "转入学院审核", "教务处审核"]
    assert WORKFLOWS["jw-zhuanzhuanye"]["steps"][1]["assign"]["department"] == {"field": "target_college"}
    assert WORKFLOWS["rs-tiaogang"]["steps"][0]["countersign"] == {"mode": "all"}
    assert WORKFLOWS["yb-shensu-chengbao"]["steps"][0]["countersign"] == {"mode": "any", "k": 2}
    leader = WORKFLOWS["jw-jiaoxue-jingfei"]["steps"][-1]
    assert leader["key"] == "leader" and leader["when"] == {"field": "amount", "op": ">", "value": 10000}
    for code in CODES:  # every process is handled by its department's post or the applicant's own people
        first = WORKFLOWS[code]["steps"][0]
        assert "applicant" not in first["assign"] and "when" not in first, code
        assert all(isinstance(s.get("due_hours"), int) for s in WORKFLOWS[code]["steps"]), code


def _broken(code: str, change: Any) -> list[str]:
    definition = copy.deepcopy(WORKFLOWS[code])
    change(definition)
    return defs.definition_problems(definition, FORMS[code], POSTS)


def test_problems_are_found() -> None:
    """Each kind of mistake is reported (so the 64 clean results above mean something)."""
    cases: list[tuple[str, Any, str]] = [
        (REPAIR_CODE, lambda d: d["steps"].pop(0), "section for step receive"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(assign={"post": "nobody"}), "unknown post"),
        (REPAIR_CODE, lambda d: d["steps"][1].update(key="receive"), "used twice"),
        (REPAIR_CODE, lambda d: d["steps"][1].update(key="apply"), "key must be"),
        (REPAIR_CODE, lambda d: d["steps"].reverse(), "cannot be the applicant's"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(section="review"), "no section for step review"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(due_hours=0), "due_hours"),
        (REPAIR_CODE, lambda d: d["steps"][1].update(choose=True), "nobody to choose"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(when={"field": "x", "op": ">", "value": 1}), "first step"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(assign={"department": "somewhere", "post_type": "fzr"}), "dep"),
        (REPAIR_CODE, lambda d: d["steps"][0].update(assign={"department": "applicant", "post_type": "boss"}), "post_"),
        ("jw-jiaoxue-jingfei", lambda d: d["steps"][2]["when"].update(field="usage"), "compares a number"),
        ("jw-jiaoxue-jingfei", lambda d: d["steps"][2]["when"].update(op="≈"), "when.op"),
        ("jw-jiaoxue-jingfei", lambda d: d["steps"][2]["when"].update(field="review_result"), "applicant's fields"),
        ("jw-buxiu", lambda d: d["steps"][0]["decision"].update(negative=["也许"]), "decision.negative"),
        ("jw-buxiu", lambda d: d["steps"][0]["decision"].update(field="review_result"), "decision field"),
        ("yb-shensu-chengbao", lambda d: d["steps"][0]["countersign"].update(k=4), "countersign k"),
        ("yb-shensu-chengbao", lambda d: d["steps"][0].update(countersign={"mode": "most"}), "countersign is"),
        ("yb-shensu-chengbao", lambda d: d["steps"][0]["assign"]["members"].append({"applicant": True}), "cannot"),
        ("jw-zhuanzhuanye", lambda d: d["steps"][1]["assign"]["department"].update(field="gpa"), "must be text"),
        ("jw-zhuanzhuanye", lambda d: d.update(process="jw-fuxue"), "process does not match"),
    ]
    for code, change, expected in cases:
        problems = _broken(code, change)
        assert any(expected in p for p in problems), (code, expected, problems)


def test_conditions_pick_the_path() -> None:
    definition = WORKFLOWS["jw-jiaoxue-jingfei"]
    assert [s["key"] for s in defs.path(definition, {"amount": 10000.01})] == ["dept_review", "review", "leader"]
    assert [s["key"] for s in defs.path(definition, {"amount": 10000})] == ["dept_review", "review"]
    assert [s["key"] for s in defs.path(definition, {})] == ["dept_review", "review"]  # no amount: no leader
    assert defs.next_step(definition, {"amount": 5}, "review") is None
    assert defs.condition_holds({"field": "x", "op": "in", "value": ["a", "b"]}, {"x": "b"})
    assert not defs.condition_holds({"field": "x", "op": ">=", "value": 3}, {"x": True})  # a bool is no number


# -- every process carried to 办结 by the real engine on the demo data ------------------------------------------
@pytest.fixture(scope="module")
def demo_db(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(copy_sqlite(seeded_sqlite, tmp_path_factory.mktemp("walk")))
    yield db
    db.dispose()


def _push(db: Database, user_id: str, op_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    op = {"id": str(uuid.uuid4()), "seq": 1, "type": op_type, "payload": payload, "created_at": ""}
    return sync.push(db.sessions, user_id, "test", [op])[0]


def applicant_for(code: str) -> str:
    audience = PROCESSES[code]["audience"]
    return {"学生": STUDENT, "教工": LIU, "校外人员": VISITOR}[audience[0]]


def applicant_data(code: str, user_id: str, **fixed: Any) -> dict[str, Any]:
    # Fields that name the department deciding who handles a step must name a real one.
    for name in ("target_dept", "host_dept"):
        if name in FORMS[code]["schema"]["properties"]:
            fixed.setdefault(name, "教务处")
    return REPAIR if code == REPAIR_CODE else example(code, user_id, **fixed)


def carry_to_the_end(db: Database, code: str, data: dict[str, Any], applicant: str) -> tuple[Application, list[str]]:
    """Submit, then let whoever holds the open tasks approve (filling their section) until the application is
    final; returns it and the steps it went through."""
    result = _push(
        db, applicant, "application.submit", {"application_id": str(uuid.uuid4()), "process_code": code, "data": data}
    )
    assert result["status"] == "applied", (code, result)
    app_id = result["result"]["application_id"]
    taken: list[str] = []
    for _ in range(12):
        with db.sessions() as s:
            app = s.get(Application, app_id)
            assert app is not None
            if app.status in ("completed", "rejected", "terminated"):
                return app, taken
            tasks = s.scalars(
                select(WorkflowTask).where(
                    WorkflowTask.application_id == app_id,
                    WorkflowTask.visit == app.visit,
                    WorkflowTask.status == "open",
                )
            ).all()
            holders = [(t.assignee_id, t.step) for t in tasks]
        assert holders, (code, "no open task")
        step = next(s for s in WORKFLOWS[code]["steps"] if s["key"] == holders[0][1])
        taken.append(step["key"])
        # A countersign needs everyone (or k); otherwise the first holder takes it.
        for holder, _key in holders if "countersign" in step else holders[:1]:
            section = step.get("section")
            payload: dict[str, Any] = {"application_id": app_id}
            if section:
                payload["data"] = example(code, holder, section, where=positive(code, section))
            outcome = _push(db, holder, "workflow.approve", payload)
            assert outcome["status"] == "applied", (code, step["key"], holder, outcome)
            if outcome["result"]["step_complete"]:
                break  # any k of N: the others' tasks are closed
    raise AssertionError(f"{code}: not finished after 12 steps")


@pytest.mark.parametrize("code", CODES)
def test_every_process_reaches_banjie_in_the_demo(demo_db: Database, code: str) -> None:
    applicant = applicant_for(code)
    data = applicant_data(code, applicant)
    app, taken = carry_to_the_end(demo_db, code, data, applicant)
    assert app.status == "completed", code
    expected = [s["key"] for s in defs.path(WORKFLOWS[code], app.data)]
    assert taken == expected
    with demo_db.sessions() as s:
        actions = [
            e.action for e in s.scalars(select(ApplicationEvent).where(ApplicationEvent.application_id == app.id))
        ]
    assert actions[0] == "submit" and actions[-1] == "complete"
    for key in expected:  # every section a step owns was filled by that step
        step = next(s for s in WORKFLOWS[code]["steps"] if s["key"] == key)
        for name in defs.section_fields(FORMS[code], step):
            if name in FORMS[code]["schema"].get("required", []):
                assert name in app.data, (code, name)


@pytest.mark.parametrize(
    ("code", "amount", "with_leader"),
    [("jw-jiaoxue-jingfei", 20000.0, True), ("jw-jiaoxue-jingfei", 800.0, False), ("tw-shetuan-jingfei", 6000.0, True)],
)
def test_a_conditional_step_is_taken_only_when_its_condition_holds(
    demo_db: Database, code: str, amount: float, with_leader: bool
) -> None:
    applicant = applicant_for(code)
    app, taken = carry_to_the_end(demo_db, code, applicant_data(code, applicant, amount=amount), applicant)
    assert app.status == "completed"
    assert ("leader" in taken) is with_leader, taken
