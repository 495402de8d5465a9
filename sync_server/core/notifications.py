"""In-app notifications: stored per user and announced to them in the action's transaction (a "notification"
change), listed and marked read; delivered by e-mail and other channels after the commit
(core/notification_delivery.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common.op_payloads import INT64_MAX
from sync_server.core import clock, notification_delivery, notification_settings, stored_text
from sync_server.core.change_log import append_change, user_scope
from sync_server.core.errors import Invalid
from sync_server.models import Notification, User

KINDS = ("task", "returned", "urged", "completed", "rejected")


def notification_view(row: Notification) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "application_id": row.application_id,
        "created_at": clock.iso(row.created_at),
        "read": row.read_at is not None,
        "read_at": clock.iso(row.read_at),
    }


def notify(
    session: Session, user_id: str, kind: str, title: str, body: str, application_id: str | None, now: datetime
) -> Notification:
    """Store a notification and announce it to its user, in the caller's transaction; delivery follows the
    commit, unless the user turned e-mail off for this kind (个人中心 › 通知设置: the row says "off")."""
    wanted = notification_settings.wants_email(session, user_id, kind)
    delivering = notification_delivery.active() and wanted
    row = Notification(
        user_id=user_id,
        kind=kind,
        title=title[:128],
        body=body,
        application_id=application_id,
        created_at=now,
        email_status="pending" if delivering else ("none" if wanted else "off"),
    )
    session.add(row)
    session.flush()  # the id: the change's key and what the dispatcher is handed
    append_change(session, user_scope(user_id), "notification", str(row.id), "upsert", notification_view(row))
    if delivering:
        notification_delivery.deliver_after_commit(session, row.id)
    return row


def mark_read(session: Session, user_id: str, ids: Sequence[int] | None, now: datetime) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None); returns how many changed."""
    query = select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        # An id beyond the 64-bit column can name no notification, and the database refuses it as a parameter
        # (a 500): leave it out rather than ask. The request models and the operation's schema refuse it first.
        query = query.where(Notification.id.in_([i for i in ids if 0 < i <= INT64_MAX]))
    rows = list(session.scalars(query))
    for row in rows:
        row.read_at = now
        append_change(session, user_scope(user_id), "notification", str(row.id), "upsert", notification_view(row))
    return len(rows)


# What a notification asks of its user on an application (新的待办, 催办, 已退回): done once they hold no open task
# on it. 办结 and 不予办理 only inform, and stay unread until the user reads them.
ASKING = ("task", "urged", "returned")


def mark_handled(session: Session, user_ids: set[str], application_id: str, now: datetime) -> int:
    """Mark read what the users were asked to do on the application, now that none of them has a task on it
    open (they handled it, or someone else took it first), in the action's transaction, so every terminal of
    theirs agrees; returns how many changed. Probed by (user_id, read_at): a user's unread rows are few."""
    if not user_ids:
        return 0
    rows = list(
        session.scalars(
            select(Notification).where(
                Notification.user_id.in_(sorted(user_ids)),
                Notification.read_at.is_(None),
                Notification.application_id == application_id,
                Notification.kind.in_(ASKING),
            )
        )
    )
    for row in rows:
        row.read_at = now
        append_change(session, user_scope(row.user_id), "notification", str(row.id), "upsert", notification_view(row))
    return len(rows)


def read_notifications(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `notification.read` operation: the user's notifications `ids`, or `all` of them, marked read."""
    ids = payload.get("ids")
    if payload.get("all") is True:
        ids = None
    elif not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise Invalid("invalid_payload", "要标记为已读的通知不正确")
    return {"updated": mark_read(session, user.user_id, ids, clock.now())}


@dataclass
class NotificationPage:
    items: list[dict[str, Any]]  # as notification_view shows them
    total: int
    unread: int


def page(
    session: Session, *, user_id: str, unread_only: bool = False, limit: int = 20, offset: int = 0
) -> NotificationPage:
    """The user's notifications, newest first (only the unread ones, or all), with how many are unread."""
    where = [Notification.user_id == user_id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    rows = session.scalars(
        select(Notification).where(*where).order_by(Notification.id.desc()).limit(limit).offset(offset)
    ).all()
    total = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    # A notification's body quotes what a handler wrote (意见): a bad character stored there must not make the
    # list unreadable (core/stored_text.py).
    items = stored_text.safe([notification_view(r) for r in rows], what="notifications", user_id=user_id)
    return NotificationPage(items, int(total), unread_count(session, user_id))


def mark_read_now(session: Session, *, user_id: str, ids: Sequence[int] | None) -> tuple[int, int]:
    """Mark the user's notifications read now (all unread ones when `ids` is None): how many changed, and how many
    are still unread."""
    updated = mark_read(session, user_id, ids, clock.now())
    return updated, unread_count(session, user_id)


def unread_count(session: Session, user_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )
