"""The change log: every change a client must learn of, appended in commit order to the scope that may see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction

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
    """Add a change to the caller's transaction. It is written when the transaction commits (`write_changes`),
    after the change log's writer lock is taken on PostgreSQL: sequence numbers then become visible in order
    (a reader can never pass a number that commits later), and the lock is held for the last few statements
    of a transaction instead of from its first change on. Writers of the log queued for the lock for the rest
    of a push; with several pushes in one transaction (core/group_commit.py) for all of them
    (bench/README.md, "A campus push on PostgreSQL")."""
    live.note_change(session, scope)  # waiting pulls of this scope are woken after the commit (core/live.py)
    # The innermost transaction: if its savepoint is rolled back, the change goes with it (`_forget_rolled_back`).
    owner = session.get_nested_transaction() or session.get_transaction() or session.begin()
    row = ChangeLog(
        scope=scope,
        entity=entity,
        entity_id=entity_id,
        op=op,
        data=data,
        created_at=datetime.now(UTC),
        op_id=session.info.get("op_id"),
    )
    session.info.setdefault(_PENDING, []).append((owner, row))


def write_changes(session: Session) -> None:
    """Write the changes appended so far, under the writer lock: at the commit, or now for a caller that reads
    them back in its transaction (content.py wants the new row's seq)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    lock_change_log(session)
    session.add_all([row for _, row in pending])  # in the order they were appended, so are their seqs
    session.flush()


def lock_change_log(session: Session) -> None:
    """On PostgreSQL, take the change log's writer lock for the rest of the transaction (once). SQLite's
    BEGIN IMMEDIATE already serialises writers."""
    transaction = session.get_transaction()
    if session.get_bind().dialect.name == "postgresql" and session.info.get("change_log_locked") is not transaction:
        session.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
        session.info["change_log_locked"] = transaction  # the lock ends with this transaction


_PENDING = "change_log_pending"


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release: its changes wait for the commit
        write_changes(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, rolled_back: SessionTransaction) -> None:
    """The changes appended inside a transaction or savepoint that was rolled back (a refused operation's)."""
    pending = session.info.get(_PENDING)
    if not pending:
        return
    kept = [(owner, row) for owner, row in pending if not _within(owner, rolled_back)]
    if kept:
        session.info[_PENDING] = kept
    else:
        session.info.pop(_PENDING, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
