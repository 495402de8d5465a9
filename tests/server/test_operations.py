"""The table of operation types (sync_server/core/operations.py) against the contract's list of them, and the
payload schemas each declares (campus_common/op_payloads.py): what they let through and what they refuse."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from campus_common import op_payloads, ops
from campus_common.statuses import ACTIONS
from sync_server.core.operations import OPERATIONS

APP_ID = str(uuid.uuid4())


def test_every_operation_type_of_the_contract_has_one_entry_and_no_other() -> None:
    assert set(OPERATIONS) == set(ops.OP_TYPES)
    assert {ops.workflow_op(action) for action in ACTIONS} <= set(OPERATIONS)
    assert all(name == operation.type for name, operation in OPERATIONS.items())


def test_every_operation_declares_the_shared_schema_of_its_payload() -> None:
    for name, operation in OPERATIONS.items():
        assert operation.payload is op_payloads.PAYLOADS[name]
        Draft202012Validator.check_schema(operation.payload.schema)
        assert operation.payload.schema["additionalProperties"] is False, name


@pytest.mark.parametrize(
    ("op_type", "payload"),
    [
        (ops.FAVORITE_SET, {"process_code": "jw-xiuxue", "on": True}),
        (ops.NOTIFICATION_READ, {"ids": [1, 2**63 - 1]}),
        (ops.NOTIFICATION_READ, {"all": True}),
        (
            ops.APPLICATION_SUBMIT,
            {
                "application_id": APP_ID,
                "process_code": "xs-qingjia",
                "data": {"leave_period": {"start": "2026-01-01", "end": "2026-01-02"}, "days": 1.5, "ok": True},
                "next_handler": "100512",
            },
        ),
        (ops.workflow_op("approve"), {"application_id": APP_ID, "task_id": 7, "comment": "同意", "data": {}}),
        (ops.workflow_op("return"), {"application_id": APP_ID, "to": "previous", "comment": "请补充"}),
        (ops.workflow_op("comment"), {"application_id": APP_ID, "comment": "注意", "field": "phone"}),
        (ops.workflow_op("resubmit"), {"application_id": APP_ID, "data": {"proofs": [{"id": "a" * 32}]}}),
    ],
)
def test_what_clients_send_fits(op_type: str, payload: dict[str, Any]) -> None:
    assert op_payloads.problem(op_type, payload) is None


SURROGATE, NUL = "\ud800", "\x00"
BAD_TEXT = "含有不允许的字符或格式不正确"
DEEP: Any = "x"
for _ in range(op_payloads.FORM_DEPTH + 1):
    DEEP = [DEEP]


@pytest.mark.parametrize(
    ("op_type", "payload", "path", "reason"),
    [
        (ops.FAVORITE_SET, {"process_code": "x" + SURROGATE, "on": True}, "process_code", BAD_TEXT),
        (ops.FAVORITE_SET, {"process_code": "x" + NUL, "on": True}, "process_code", BAD_TEXT),
        (ops.FAVORITE_SET, {"process_code": "x" * 65, "on": True}, "process_code", "过长"),
        (ops.FAVORITE_SET, {"process_code": "x", "on": 1}, "on", "类型不正确"),
        (ops.FAVORITE_SET, {"on": True}, "process_code", "缺少必填项"),
        (ops.FAVORITE_SET, {"process_code": "x", "on": True, "k" + SURROGATE: 1}, "k\\ud800", "不是该操作的字段"),
        (ops.NOTIFICATION_READ, {"ids": [2**63]}, "ids.0", "超出范围"),
        (ops.NOTIFICATION_READ, {"ids": [2**70]}, "ids.0", "超出范围"),
        (ops.NOTIFICATION_READ, {"ids": [3.0]}, "ids.0", "类型不正确"),
        (ops.NOTIFICATION_READ, {"ids": [True]}, "ids.0", "类型不正确"),
        (ops.NOTIFICATION_READ, {}, "", "格式不正确"),
        (ops.workflow_op("comment"), {"application_id": APP_ID, "comment": "好" + SURROGATE}, "comment", None),
        (ops.workflow_op("withdraw"), {"application_id": APP_ID, "task_id": 3}, "task_id", "不是该操作的字段"),
        (ops.workflow_op("approve"), {"application_id": APP_ID, "task_id": 2**64}, "task_id", "超出范围"),
        (ops.workflow_op("approve"), {"application_id": "7"}, "application_id", None),
        (
            ops.APPLICATION_SUBMIT,
            {"application_id": APP_ID, "process_code": "x" + SURROGATE, "data": {}},
            "process_code",
            None,
        ),
        (
            ops.APPLICATION_SUBMIT,
            {"application_id": APP_ID, "process_code": "x", "data": {"a": [{"b": "c" + NUL}]}},
            "data.a.0.b",
            None,
        ),
        (ops.APPLICATION_SUBMIT, {"application_id": APP_ID, "process_code": "x", "data": DEEP}, None, "类型不正确"),
        (
            ops.APPLICATION_SUBMIT,
            {"application_id": APP_ID, "process_code": "x", "data": {"n": float("nan")}},
            "data.n",
            "类型不正确",
        ),
        (
            ops.APPLICATION_SUBMIT,
            {"application_id": APP_ID, "process_code": "x", "data": {"n": 2**64}},
            "data.n",
            "超出范围",
        ),
        (
            ops.workflow_op("resubmit"),
            {"application_id": APP_ID, "data": {"k" + SURROGATE: "v"}},
            "data.k\\ud800",
            "字段名不正确",
        ),
    ],
)
def test_what_no_column_can_store_is_named_with_its_path(
    op_type: str, payload: dict[str, Any], path: str | None, reason: str | None
) -> None:
    problem = op_payloads.problem(op_type, payload)
    assert problem is not None
    if path is not None:
        assert problem.path == path
    if reason is not None:
        assert problem.reason == reason
    # What is stored as the rejection and sent back must itself be storable text.
    problem.message.encode("utf-8")
    assert "\x00" not in problem.message
