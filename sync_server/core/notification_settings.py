"""个人中心 › 通知设置: which notifications a user also gets by e-mail, set by the `settings.notify.set` operation
(only one's own: the user is the one who pushed it) and synced back to every device of theirs as one
`notify_settings` change. The in-app notification (消息) is always stored; these settings only choose what the
dispatcher mails (core/notifications.py asks `wants_email` when it stores one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sync_server.core import clock
from sync_server.core.change_log import append_change, user_scope
from sync_server.core.errors import Invalid
from sync_server.models import NotificationSettings, User

# Which setting covers which notification kind (core/notifications.py KINDS).
KIND_GROUPS = {
    "task": "email_todo",
    "urged": "email_todo",
    "completed": "email_result",
    "rejected": "email_result",
    "returned": "email_result",
}
FIELDS = ("email_todo", "email_result")
DEFAULTS = dict.fromkeys(FIELDS, True)  # no row: everything is mailed, as before the settings existed


def settings_view(row: NotificationSettings | None) -> dict[str, Any]:
    if row is None:
        return dict(DEFAULTS)
    return {"email_todo": row.email_todo, "email_result": row.email_result}


def current(session: Session, user_id: str) -> dict[str, Any]:
    return settings_view(session.get(NotificationSettings, user_id))


def wants_email(session: Session, user_id: str, kind: str) -> bool:
    """Whether a notification of `kind` for `user_id` is to be mailed (a kind no setting covers: yes)."""
    field = KIND_GROUPS.get(kind)
    if field is None:
        return True
    row = session.get(NotificationSettings, user_id)
    return True if row is None else bool(getattr(row, field))


def set_notify(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `settings.notify.set` operation: the fields given (one or both) replace the user's; the others stay, so
    two devices that each changed another switch offline both win."""
    given = {field: payload[field] for field in FIELDS if field in payload}
    if not given or not all(isinstance(value, bool) for value in given.values()):
        raise Invalid("invalid_payload", "通知设置的数据不完整")
    row = session.get(NotificationSettings, user.user_id)
    now = clock.now()
    if row is None:
        row = NotificationSettings(user_id=user.user_id, updated_at=now, **DEFAULTS)
        session.add(row)
    for field, value in given.items():
        setattr(row, field, value)
    row.updated_at = now
    view = settings_view(row)
    append_change(session, user_scope(user.user_id), "notify_settings", "email", "upsert", view)
    return view
