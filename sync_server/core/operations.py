"""Every operation type a terminal may push (campus_common/ops.py), in one table with the function that applies it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from campus_common import ops
from campus_common.statuses import ACTIONS
from sync_server.core import applications, favorites, notifications, workflow
from sync_server.models import User

# Applies one operation's payload for the user who pushed it, in the push's transaction; returns the result the
# terminal gets, or raises a DomainError (core/errors.py), which the push records as the operation's rejection.
Handler = Callable[[Session, User, dict[str, Any]], dict[str, Any]]
# The model an operation's payload must fit, checked before its handler runs.
PayloadModel = type[Any]


@dataclass(frozen=True)
class Operation:
    type: str
    apply: Handler
    # None until the type declares one; each handler checks what it reads either way.
    payload: PayloadModel | None = None


def _workflow_action(action: str) -> Handler:
    def apply(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
        return workflow.perform(session, user, action, payload)

    return apply


OPERATIONS: dict[str, Operation] = {
    operation.type: operation
    for operation in (
        Operation(ops.FAVORITE_SET, favorites.set_favorite),
        Operation(ops.APPLICATION_SUBMIT, applications.submit),
        Operation(ops.NOTIFICATION_READ, notifications.read_notifications),
        *(Operation(ops.workflow_op(action), _workflow_action(action)) for action in ACTIONS),
    )
}
