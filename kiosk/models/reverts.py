"""The optimistic local effects of queued operations (mark_acting, mark_read: the views write them in the
transaction that queues the operation) and, by operation type, how the effect of a refused one is undone."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kiosk.models.calendar import revert_save as _revert_calendar_save
from kiosk.models.tables import LocalApplication, LocalFavorite, LocalNotification, LocalTask, OutboxOp


def _revert_favorite(session: Session, op: OutboxOp) -> None:
    # The server refused this ★ (the process is gone or not for this user), so it holds no such favourite.
    session.execute(
        delete(LocalFavorite).where(
            LocalFavorite.user_id == op.user_id, LocalFavorite.process_code == op.payload.get("process_code")
        )
    )


def _revert_application(session: Session, op: OutboxOp) -> None:
    # The application stays in 我的申请, marked refused (the badge gives the server's reason): what the user
    # typed is not lost, and they can start again.
    row = session.get(LocalApplication, op.payload.get("application_id"))
    if row is not None:
        row.status = "rejected"


def mark_acting(session: Session, user_id: str, application_id: str, action: str | None) -> None:
    """The optimistic effect of a workflow action: the user's tasks on the application say which action is on
    its way (None: none), until the server's answer replaces them."""
    for row in session.scalars(
        select(LocalTask).where(LocalTask.user_id == user_id, LocalTask.application_id == application_id)
    ):
        view = dict(row.view)
        if action is None:
            view.pop("pending_action", None)
        else:
            view["pending_action"] = action
        row.view = view


def mark_read(session: Session, user_id: str, ids: list[str] | None, read: bool = True) -> None:
    """Notifications read (None: all of the user's), ahead of the server."""
    query = update(LocalNotification).where(LocalNotification.user_id == user_id)
    if ids is not None:
        query = query.where(LocalNotification.id.in_(ids))
    session.execute(query.values(read=1 if read else 0))


def _revert_workflow_action(session: Session, op: OutboxOp) -> None:
    # Refused (someone else handled the task first, the application changed meanwhile): the task is as the
    # server has it; the reason shows on the item's badge.
    mark_acting(session, op.user_id, str(op.payload.get("application_id", "")), None)


def _revert_read(session: Session, op: OutboxOp) -> None:
    ids = None if op.payload.get("all") else [str(i) for i in op.payload.get("ids") or []]
    mark_read(session, op.user_id, ids, read=False)


# How to undo the optimistic local effect of a rejected operation, by type; every `workflow.<action>` alike.
REVERTS: dict[str, Callable[[Session, OutboxOp], None]] = {
    "favorite.set": _revert_favorite,
    "application.submit": _revert_application,
    "notification.read": _revert_read,
    "calendar.event.save": _revert_calendar_save,
}


def revert_of(op_type: str) -> Callable[[Session, OutboxOp], None] | None:
    if op_type.startswith("workflow."):
        return _revert_workflow_action
    return REVERTS.get(op_type)
