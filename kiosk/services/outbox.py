"""A user's write: its local effect and its signed outbox operation, stored in one durable transaction; and
what a queued operation is called when it must be shown (a parked one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from campus_common import ops
from campus_common.statuses import ACTION_NAMES
from kiosk.services.sync import op_signer

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.auth import AuthService

ApplyLocal = Callable[[Any], None]


@dataclass(frozen=True)
class Writer:
    """Who writes, taken when the user acts (on the GUI thread), so that the write, done later on a worker,
    is theirs even if they have left by then."""

    user_id: str
    session_id: str
    sign: Callable[[dict[str, Any]], str] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, auth: AuthService) -> Writer | None:
        """The signed-in user as a writer; None when nobody may write (nobody, or a password to change)."""
        user_id, current = auth.user_id, auth.current
        if user_id is None or current is None:
            return None
        signer = op_signer(current.op_key, current.session_id, auth.device_id) if current.op_key else None
        return cls(user_id, current.session_id, signer)

    def write(
        self,
        store: LocalStore,
        op_type: str,
        payload: dict[str, Any],
        apply_local: ApplyLocal | None = None,
        *,
        entity: str | None = None,
    ) -> dict[str, Any]:
        """Store the optimistic local rows and the operation (signed with the session's key, so it can be
        delivered after logout) in one transaction; returns the queued operation. Blocking: run on a worker."""
        return store.enqueue(
            self.user_id, op_type, payload, apply_local, entity=entity, session_id=self.session_id, signer=self.sign
        )


_OP_NAMES = {
    ops.FAVORITE_SET: "收藏",
    ops.APPLICATION_SUBMIT: "提交申请",
    ops.NOTIFICATION_READ: "标记已读",
    ops.CERTIFICATE_PRINT: "打印证明",
}


def op_name(op_type: str) -> str:
    """What a queued operation did, as the user would say it (收藏, 提交申请, 同意 …)."""
    if ops.is_workflow_op(op_type):
        return ACTION_NAMES.get(op_type.removeprefix(ops.WORKFLOW_PREFIX), op_type)
    return _OP_NAMES.get(op_type, op_type)


def parked_view(store: LocalStore, user_id: str | None) -> tuple[list[dict[str, Any]], int]:
    """The user's parked operations, each with its name for the list, and how many the terminal holds in all."""
    mine = store.parked_ops(user_id) if user_id is not None else []
    return [{**op, "name": op_name(op["type"])} for op in mine], len(store.parked_ops())
