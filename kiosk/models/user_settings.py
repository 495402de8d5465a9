"""A user's settings kept on the server and synced to each of their devices (个人中心 › 通知设置), stored in the
meta table under a "user." key: personal, so logout's wipe takes it with the rest."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert

from kiosk.models.tables import Meta


def notify_key(user_id: str) -> str:
    return f"user.notify.{user_id}"


def apply_user_settings(conn: Connection, user_id: str | None, changes: list[dict[str, Any]]) -> None:
    """The latest pulled `notify_settings` change of the page, if any, replaces the stored one."""
    if user_id is None:
        return
    pulled = [c for c in changes if c["entity"] == "notify_settings" and c["op"] == "upsert"]
    if pulled:
        value = json.dumps(pulled[-1]["data"] or {}, sort_keys=True)
        conn.execute(insert(Meta).prefix_with("OR REPLACE"), [{"key": notify_key(user_id), "value": value}])
