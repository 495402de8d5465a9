"""The change log: every change a client must learn of, appended in commit order to the scope that may see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from sync_server.core import live
from sync_server.models import ChangeLog

PUBLIC_SCOPE = "public"
# Changes for whoever is signed in, never for an anonymous pull (e.g. who holds which post: "workflow_handlers").
# Terminals get them as "user" changes, so they are wiped with the rest of a user's data at logout.
MEMBERS_SCOPE = "members"


def user_scope(user_id: str) -> str:
    return f"user:{user_id}"


def append_change(
    session: Session, scope: str, entity: str, entity_id: str, op: str, data: dict[str, Any] | None
) -> None:
    """Add a change in the caller's transaction. On PostgreSQL, writers of the log take one advisory lock, so
    sequence numbers become visible in order: a reader can never pass a number that commits later."""
    lock_change_log(session)
    live.note_change(session, scope)  # waiting pulls of this scope are woken after the commit (core/live.py)
    session.add(
        ChangeLog(
            scope=scope,
            entity=entity,
            entity_id=entity_id,
            op=op,
            data=data,
            created_at=datetime.now(UTC),
            op_id=session.info.get("op_id"),
        )
    )


def lock_change_log(session: Session) -> None:
    """On PostgreSQL, take the change log's writer lock for the rest of the transaction (once). SQLite's
    BEGIN IMMEDIATE already serialises writers."""
    transaction = session.get_transaction()
    if session.get_bind().dialect.name == "postgresql" and session.info.get("change_log_locked") is not transaction:
        session.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
        session.info["change_log_locked"] = transaction  # the lock ends with this transaction
