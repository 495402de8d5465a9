"""个人中心 › 通知设置: which notifications the server also sends by e-mail (待办, 办理结果), per user. The choice
is kept on the server, written through the outbox (`settings.notify.set`, so it works offline) and pulled back to
each of the user's devices; the in-app 消息 arrive whatever it says. docs/portal.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from campus_common import ops

# The switches, in the order 个人中心 shows them. E-mail is the one channel the server delivers today
# (core/notification_delivery.py); a second channel adds its own keys here and on the server.
FIELDS = ("email_todo", "email_result")
DEFAULTS = dict.fromkeys(FIELDS, True)  # the server mails everything until the user says otherwise
ENTITY = "notify:email"  # the outbox entity of every write, for the 待同步 / 被拒绝 mark


@dataclass(frozen=True)
class NotifySettings:
    values: dict[str, bool]
    sync_state: str = ""  # "" (never changed here) | pending | parked | applied | rejected (SyncBadge)
    sync_error: str = ""


def parse(raw: str | None) -> dict[str, bool]:
    """The stored settings (a JSON object), the defaults for anything missing or unreadable."""
    values = dict(DEFAULTS)
    try:
        stored = json.loads(raw) if raw else {}
    except ValueError:
        stored = {}
    if isinstance(stored, dict):
        values.update({k: v for k, v in stored.items() if k in DEFAULTS and isinstance(v, bool)})
    return values


def load(store: Any, user_id: str) -> NotifySettings:
    """The user's settings as this device knows them, with the state of the latest change made here."""
    from kiosk.models.user_settings import notify_key

    state = store.op_states(user_id, ENTITY).get(ENTITY, {})
    return NotifySettings(parse(store.get_meta(notify_key(user_id))), state.get("status", ""), state.get("error", ""))


def notify_write(
    user_id: str, current: dict[str, bool], field: str, on: bool
) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of turning one switch for `Writer.write`: the payload names only that
    switch, so a change of the other one on another device is not undone."""
    if field not in DEFAULTS:
        raise ValueError(f"not a notification setting: {field!r}")
    values = {**DEFAULTS, **current, field: on}

    def apply_local(session: Any) -> None:
        from kiosk.models.tables import Meta
        from kiosk.models.user_settings import notify_key

        session.merge(Meta(key=notify_key(user_id), value=json.dumps(values, sort_keys=True)))

    return ops.SETTINGS_NOTIFY_SET, {field: on}, apply_local
