"""The table of operation types (sync_server/core/operations.py) against the contract's list of them."""

from __future__ import annotations

from campus_common import ops
from campus_common.statuses import ACTIONS
from sync_server.core.operations import OPERATIONS


def test_every_operation_type_of_the_contract_has_one_entry_and_no_other() -> None:
    assert set(OPERATIONS) == set(ops.OP_TYPES)
    assert {ops.workflow_op(action) for action in ACTIONS} <= set(OPERATIONS)
    assert all(name == operation.type for name, operation in OPERATIONS.items())


def test_no_payload_model_is_declared_yet() -> None:
    # Typed payloads come next (each handler still checks what it reads); this notices when one is added.
    assert [name for name, operation in OPERATIONS.items() if operation.payload is not None] == []
