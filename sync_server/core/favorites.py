"""★ on hall processes: a user's favourites, set and cleared by the `favorite.set` operation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from campus_common.audience import allows as audience_allows
from sync_server.core.change_log import append_change, user_scope
from sync_server.core.errors import Forbidden, Invalid, NotFound
from sync_server.models import Favorite, Process, User


def set_favorite(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """Payload: process_code and on (★ or not). Only processes meant for the user's role can be favourites."""
    code, on = payload.get("process_code"), payload.get("on")
    if not isinstance(code, str) or not isinstance(on, bool):
        raise Invalid("invalid_payload", "收藏操作的数据不完整")
    process = session.get(Process, code)
    if process is None:
        raise NotFound("process_not_found", "该服务已不存在")
    if user.role not in ("admin",) and not audience_allows(user.role, process.audience):
        raise Forbidden("forbidden", "该服务不面向您的身份")
    existing = session.get(Favorite, (user.user_id, code))
    if on and existing is None:
        session.add(Favorite(user_id=user.user_id, process_code=code, created_at=datetime.now(UTC)))
    elif not on and existing is not None:
        session.delete(existing)
    append_change(
        session,
        user_scope(user.user_id),
        "favorite",
        code,
        "upsert" if on else "delete",
        {"process_code": code} if on else None,
    )
    return {"process_code": code, "on": on}
