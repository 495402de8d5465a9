"""★ on a process: the write a user makes, as an outbox operation with its optimistic local row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from campus_common import ops


def favorite_write(user_id: str, process_code: str, on: bool) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of ★ (`on`) or un-★ for `Writer.write`."""

    def apply_local(session: Any) -> None:
        from sqlalchemy import delete

        from kiosk.models.tables import LocalFavorite

        if on:
            session.merge(LocalFavorite(user_id=user_id, process_code=process_code))
        else:
            session.execute(
                delete(LocalFavorite).where(
                    LocalFavorite.user_id == user_id, LocalFavorite.process_code == process_code
                )
            )

    return ops.FAVORITE_SET, {"process_code": process_code, "on": on}, apply_local
