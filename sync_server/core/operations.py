"""Every operation type a terminal may push (campus_common/ops.py), in one table with the function that applies it
and the schema its payload must fit (campus_common/op_payloads.py, shared with the kiosk)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from campus_common import op_payloads, ops
from campus_common.statuses import ACTIONS
from sync_server.core import (
    applications,
    calendar_personal,
    certificate_prints,
    favorites,
    notification_settings,
    notifications,
    workflow,
)
from sync_server.models import User

# Applies one operation's payload for the user who pushed it, in the push's transaction; returns the result the
# terminal gets, or raises a DomainError (core/errors.py), which the push records as the operation's rejection.
Handler = Callable[[Session, User, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    type: str
    apply: Handler
    # What the payload must fit, checked before `apply` runs (sync.push: a misfit is rejected as invalid_payload).
    # The handler still checks what only the database knows (the process exists, the form's own rules).
    payload: op_payloads.PayloadSchema


def _workflow_action(action: str) -> Handler:
    def apply(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
        return workflow.perform(session, user, action, payload)

    return apply


OPERATIONS: dict[str, Operation] = {
    operation.type: operation
    for operation in (
        Operation(ops.FAVORITE_SET, favorites.set_favorite, op_payloads.PAYLOADS[ops.FAVORITE_SET]),
        Operation(ops.APPLICATION_SUBMIT, applications.submit, op_payloads.PAYLOADS[ops.APPLICATION_SUBMIT]),
        Operation(ops.NOTIFICATION_READ, notifications.read_notifications, op_payloads.PAYLOADS[ops.NOTIFICATION_READ]),
        *(
            Operation(ops.workflow_op(action), _workflow_action(action), op_payloads.PAYLOADS[ops.workflow_op(action)])
            for action in ACTIONS
        ),
        Operation(ops.CALENDAR_EVENT_SAVE, calendar_personal.save_op, op_payloads.PAYLOADS[ops.CALENDAR_EVENT_SAVE]),
        Operation(
            ops.CALENDAR_EVENT_DELETE, calendar_personal.delete_op, op_payloads.PAYLOADS[ops.CALENDAR_EVENT_DELETE]
        ),
        Operation(
            ops.SETTINGS_NOTIFY_SET, notification_settings.set_notify, op_payloads.PAYLOADS[ops.SETTINGS_NOTIFY_SET]
        ),
        Operation(ops.CERTIFICATE_PRINT, certificate_prints.record, op_payloads.PAYLOADS[ops.CERTIFICATE_PRINT]),
    )
}
