"""Submitting a form without Qt (kiosk/services/submissions.py) on a real store file: what the form page loads in
one call, a new application and a corrected one queued with their local effects in the outbox's transaction (the
draft goes with the submission, or neither happens), and where a submission stands afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from campus_common import ops
from kiosk.models.store import LocalStore
from kiosk.services import submissions
from sync_server.seed import SEED_DIR

CODE = "xj-diannao-weixiu"
LIU, OTHER = "101203", "101390"
DEFINITION = json.loads((SEED_DIR / "forms" / f"{CODE}.json").read_text(encoding="utf-8"))
WORKFLOW = {"process": CODE, "version": 2, "steps": [{"key": "receive", "name": "实验室管理科接收", "choose": True}]}
JIA = {"user_id": "100871", "name": "贾孟杰"}
DATA = {"asset_type": "打印机", "location": "综合实验楼101", "asset_code": "101007", "problem": "无法共享打印"}


def _change(entity: str, entity_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"seq": 0, "entity": entity, "id": entity_id, "op": "upsert", "scope": "user", "data": data}


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / "kiosk.db")
    changes = [
        _change("form", CODE, DEFINITION),
        _change("workflow", CODE, WORKFLOW),
        _change("workflow_handlers", CODE, {"steps": {"receive": [JIA]}}),
    ]
    assert store.apply_changes(LIU, changes, f"user.sync.cursor.{LIU}", 1, "epoch")
    return store


def _returned(store: LocalStore, application_id: str, user: str = LIU) -> None:
    view = {
        "id": application_id,
        "process_code": CODE,
        "status": "returned",
        "serial": 92818,
        "doc_no": "202611-001",
        "data": {**DATA, "doc_no": "202611-001"},
        "events": [{"action": "submit"}, {"action": "return", "actor_name": "贾孟杰", "comment": "请写明型号"}],
    }
    assert store.apply_changes(user, [_change("application", application_id, view)], f"user.sync.cursor.{user}", 2, "e")


def test_the_form_page_loads_in_one_call(store: LocalStore) -> None:
    context = submissions.load_form(store, LIU, CODE)
    assert context.definition == DEFINITION and context.workflow == WORKFLOW
    assert context.handlers == {"receive": [JIA]} and context.returned is None
    assert submissions.load_form(store, None, CODE).handlers == {}  # nobody signed in: no staff names
    assert submissions.load_form(store, LIU, "no-such-process").definition is None

    _returned(store, "app-1")
    assert submissions.load_form(store, LIU, CODE, "app-1").returned["serial"] == 92818  # type: ignore[index]
    assert submissions.load_form(store, OTHER, CODE, "app-1").returned is None  # not theirs


def test_a_new_application_is_queued_with_its_row_and_takes_the_draft(store: LocalStore) -> None:
    store.save_draft(LIU, CODE, 1, "sealed draft")
    store.save_draft(OTHER, CODE, 1, "someone else's")
    sub = submissions.new_application(LIU, CODE, DEFINITION, DATA, next_handler=JIA["user_id"])
    assert sub.op_type == ops.APPLICATION_SUBMIT and sub.entity == f"application:{sub.application_id}"
    assert sub.payload == {
        "application_id": sub.application_id,
        "process_code": CODE,
        "data": DATA,
        "next_handler": JIA["user_id"],
    }
    store.enqueue(LIU, sub.op_type, sub.payload, sub.apply_local, entity=sub.entity)
    mine = store.applications(LIU)
    assert [(a["id"], a["status"], a["serial"], a["data"]) for a in mine] == [
        (sub.application_id, "queued", None, DATA)
    ]
    assert store.draft(LIU, CODE) is None and store.draft(OTHER, CODE) is not None
    assert store.pending_ops(LIU)[0]["payload"] == sub.payload
    assert "next_handler" not in submissions.new_application(LIU, CODE, DEFINITION, DATA).payload  # none chosen


def test_the_draft_stays_when_the_submission_is_not_stored(store: LocalStore) -> None:
    store.save_draft(LIU, CODE, 1, "sealed draft")
    sub = submissions.new_application(LIU, CODE, DEFINITION, DATA)

    def fails_after(session: Any) -> None:
        sub.apply_local(session)
        raise OSError("disk full")

    with pytest.raises(OSError):
        store.enqueue(LIU, sub.op_type, sub.payload, fails_after, entity=sub.entity)
    assert store.draft(LIU, CODE) is not None  # one transaction: neither happened
    assert store.applications(LIU) == [] and store.pending_ops(LIU) == []


def test_a_corrected_application_is_a_resubmit_action(store: LocalStore) -> None:
    _returned(store, "app-1")
    task = {"id": 7, "application_id": "app-1", "process_code": CODE, "box": "todo", "created_at": "2026-11-29"}
    assert store.apply_changes(LIU, [_change("task", "7", task)], f"user.sync.cursor.{LIU}", 3, "e")
    corrected = {**DATA, "problem": "HP M403 无法共享打印"}
    sub = submissions.corrected_application(LIU, "app-1", corrected)
    assert sub.op_type == ops.workflow_op("resubmit") == "workflow.resubmit"
    assert sub.payload == {"application_id": "app-1", "data": corrected}
    store.enqueue(LIU, sub.op_type, sub.payload, sub.apply_local, entity=sub.entity)
    assert store.applications(LIU)[0]["data"] == corrected
    assert store.task_of(LIU, "app-1")["pending_action"] == "resubmit"  # type: ignore[index]
    # Someone else's application is not theirs to change, here either.
    _returned(store, "app-2", user=OTHER)
    other = submissions.corrected_application(LIU, "app-2", {"location": "改掉别人的"})
    store.enqueue(LIU, other.op_type, other.payload, other.apply_local, entity=other.entity)
    assert store.application_view(OTHER, "app-2")["data"]["location"] == "综合实验楼101"  # type: ignore[index]


def test_where_a_submission_stands(store: LocalStore) -> None:
    sub = submissions.new_application(LIU, CODE, DEFINITION, DATA)
    op = store.enqueue(LIU, sub.op_type, sub.payload, sub.apply_local, entity=sub.entity)
    pending = submissions.submission_state(store, LIU, sub.application_id)
    assert pending == submissions.SubmissionState("pending", "", "", "")

    store.record_results([{"id": op["id"], "status": "applied"}])
    view = {
        "id": sub.application_id,
        "process_code": CODE,
        "status": "submitted",
        "serial": 92819,
        "doc_no": "202611-002",
    }
    assert store.apply_changes(LIU, [_change("application", sub.application_id, view)], "c", 2, "e")
    assert submissions.submission_state(store, LIU, sub.application_id, pending) == submissions.SubmissionState(
        "applied", "", "92819", "202611-002"
    )

    refused = submissions.new_application(LIU, CODE, DEFINITION, DATA)
    op = store.enqueue(LIU, refused.op_type, refused.payload, refused.apply_local, entity=refused.entity)
    error = {"code": "invalid_form", "message": "资产编码不正确"}
    store.record_results([{"id": op["id"], "status": "rejected", "error": error}])
    state = submissions.submission_state(store, LIU, refused.application_id)
    assert (state.status, state.error, state.serial) == ("rejected", "资产编码不正确", "")


def test_a_corrected_application_keeps_the_numbers_it_had(store: LocalStore) -> None:
    # The page knew its 流水号 when it opened; the application has since left this terminal's store.
    known = submissions.SubmissionState("pending", "", "92818", "202611-001")
    assert submissions.submission_state(store, LIU, "gone", known) == known
