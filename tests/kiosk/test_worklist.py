"""The 待办 list's logic without Qt: a row's summary of the request from the form's summary_fields, the default
办理结果, which rows can be approved from the list, the refusal of a contradictory decision, and the search,
filters and sorting."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.services import worklist
from kiosk.services.inbox import item_from_task

SEED = Path(__file__).resolve().parents[2] / "sync_server" / "seed"
ZAIDU = json.loads((SEED / "forms" / "jw-zaidu-zhengming.json").read_text(encoding="utf-8"))
REPAIR = json.loads((SEED / "forms" / "xj-diannao-weixiu.json").read_text(encoding="utf-8"))
NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
DATA = {"purpose": "办理签证", "copies": 2, "cert_language": "中文", "class_name": "计科2201", "phone": "13900000000"}


def _task(app_id: str = "a1", **over: object) -> dict[str, object]:
    task: dict[str, object] = {
        "id": 7,
        "application_id": app_id,
        "process_code": "jw-zaidu-zhengming",
        "step_name": "教务处办理",
        "kind": "handle",
        "section": "handle",
        "box": "todo",
        "actions": ["approve", "return", "reject", "transfer", "comment"],
        "decision": {"field": "handle_result", "negative": ["不予办理"]},
        "next": {"key": "done", "name": "办结", "choose": False, "handlers": []},
        "created_at": "2026-12-04T08:00:00+00:00",
        "due_at": "2026-12-06T08:00:00+00:00",
        "application": {
            "serial": "ZD0001",
            "status": "submitted",
            "data": DATA,
            "created_at": "2026-12-04T07:59:00+00:00",
            "applicant": {"user_id": "2022010101", "name": "王子涵"},
        },
    }
    task.update(over)
    return task


def test_a_row_names_the_applicant_and_the_requests_key_fields() -> None:
    item = item_from_task(_task(), {}, NOW, ZAIDU)
    assert (item.applicant, item.applicant_id, item.applicant_group) == ("王子涵", "2022010101", "计科2201")
    assert item.summary == "证明用途 办理签证 · 份数 2 · 证明语种 中文"
    assert item.quick and not item.overdue
    assert item_from_task(_task(due_at="2026-12-05T07:00:00+00:00"), {}, NOW, ZAIDU).overdue


def test_a_long_value_is_cut_and_a_form_without_summary_fields_names_its_first_typed_ones() -> None:
    data = {"asset_type": "打印机", "location": "综合实验楼101", "problem": "打印机无法共享打印，" * 5}
    text = worklist.summary(REPAIR, data)
    assert text.startswith("资产名称 打印机 · 存放地点 综合实验楼101 · 需维修问题 打印机无法共享打印")
    assert text.endswith("…")
    bare = {**REPAIR, "ui": {k: v for k, v in REPAIR["ui"].items() if k != "summary_fields"}}
    assert worklist.summary_fields(bare) == ["asset_type", "location"]  # not the phone number


def test_the_one_positive_outcome_is_the_default_and_a_no_with_approve_is_refused() -> None:
    task = _task()
    assert worklist.default_values(task, ZAIDU) == {"handle_result": "已开具，待领取"}
    said = worklist.decision_conflict(task, ZAIDU, "approve", {"handle_result": "不予办理"})
    assert said.startswith("办理结果为“不予办理”时不能通过")
    assert worklist.decision_conflict(task, ZAIDU, "reject", {"handle_result": "已开具，待领取"})
    assert worklist.decision_conflict(task, ZAIDU, "approve", {"handle_result": "已开具，待领取"}) == ""
    assert worklist.decision_conflict(task, ZAIDU, "reject", {}) == ""


def test_a_step_that_asks_for_input_or_a_choice_of_handler_is_not_approved_from_the_list() -> None:
    assert not worklist.needs_input(_task(), ZAIDU)
    assert worklist.needs_input(_task(decision=None), ZAIDU)  # 办理结果 has no default: it must be picked
    two = {"key": "b", "name": "x", "choose": True, "handlers": [{"user_id": "1"}, {"user_id": "2"}]}
    assert worklist.needs_input(_task(next=two), ZAIDU)
    one = {**two, "handlers": [{"user_id": "1"}]}
    assert worklist.approve_values(_task(next=one), ZAIDU) == ({"handle_result": "已开具，待领取"}, "1")
    assert worklist.needs_input(_task(kind="confirm"), ZAIDU)
    assert worklist.needs_input(_task(pending_action="approve"), ZAIDU)


def test_final_actions_are_the_last_approval_reject_and_terminate() -> None:
    assert worklist.ends_application(_task(), "approve")
    assert not worklist.ends_application(_task(next={"key": "b"}), "approve")
    assert worklist.ends_application(_task(next={"key": "b"}), "reject")
    assert not worklist.ends_application(_task(), "return")


def test_search_filters_and_sorting() -> None:
    a = item_from_task(_task("a"), {}, NOW, ZAIDU)
    b = replace(a, application_id="b", applicant="陈雨桐", applicant_id="2022010102", serial="ZD0002")
    b = replace(b, created_at="2026-12-03T08:00:00+00:00", due_at="", step_name="学院审核")
    c = replace(a, application_id="c", applicant="王子明", serial="ZD0003", process_code="other")
    c = replace(c, created_at="2026-12-04T09:00:00+00:00", due_at="2026-12-05T09:00:00+00:00")
    rows = [a, b, c]

    def ids(**view: object) -> list[str]:
        return [i.application_id for i in worklist.arrange(rows, worklist.ListView(**view))]  # type: ignore[arg-type]

    assert ids() == ["b", "a", "c"]  # the longest waiting first
    assert ids(descending=True) == ["c", "a", "b"]
    assert ids(sort="due") == ["c", "a", "b"]  # no deadline: last
    assert ids(query="王子") == ["a", "c"]
    assert ids(query="2022010102") == ["b"]
    assert ids(query="zd0003") == ["c"]
    assert ids(query="王子 ZD0001") == ["a"]
    assert ids(process_code="other") == ["c"]
    assert ids(step_name="学院审核") == ["b"]
    assert worklist.step_choices(rows) == sorted({"学院审核", "教务处办理"})
    # 我的申请 and 已办 keep the box's own order (the newest first) until a sort is chosen; 待办 waits longest first.
    assert ids(sort=worklist.default_sort("mine")) == ["a", "b", "c"]
    assert worklist.default_sort("done") == "" and worklist.default_sort("todo") == "waiting"


def test_a_handled_row_stays_out_until_the_server_answers() -> None:
    todo = [{"application_id": "a"}, {"application_id": "b", "pending_action": "approve"}]
    assert worklist.still_leaving({"a", "b", "c"}, todo, {}) == {"a", "b"}  # c: the server removed its task
    refused = {"application:a": {"status": "rejected", "error": "该任务已由他人办理"}}
    assert worklist.still_leaving({"a", "b"}, todo, refused) == {"b"}  # a is back, with its refusal
    assert "annotate" not in worklist.LEAVES_TODO and "approve" in worklist.LEAVES_TODO
