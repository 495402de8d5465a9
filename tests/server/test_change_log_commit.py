"""The change log's rows are written at the commit (core/change_log.py): in the order they were appended, without
those of a savepoint that was rolled back, and on PostgreSQL under the writer lock taken only then, so the lock
is held for the last statements of a transaction instead of from its first change on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from sync_server.core import sync
from sync_server.core.change_log import append_change
from sync_server.db import Database
from sync_server.models import ChangeLog
from tests.server.workflow_helpers import STUDENT


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def _logged(db: Database, tag: str) -> list[tuple[int, str]]:
    with db.read_sessions() as session:
        rows = session.execute(
            select(ChangeLog.seq, ChangeLog.entity_id).where(ChangeLog.entity == tag).order_by(ChangeLog.seq)
        )
        return [(seq, entity_id) for seq, entity_id in rows]


def test_rows_keep_their_order_and_a_rolled_back_savepoint_takes_its_own(db: Database) -> None:
    tag = f"test-{uuid.uuid4().hex[:8]}"
    with db.transaction() as session:
        append_change(session, "public", tag, "a", "upsert", None)
        with session.begin_nested() as refused:
            append_change(session, "public", tag, "b", "upsert", None)
            with session.begin_nested():
                append_change(session, "public", tag, "b2", "upsert", None)  # released, then its parent rolled back
            refused.rollback()
        with session.begin_nested():
            append_change(session, "public", tag, "c", "upsert", None)
        append_change(session, "public", tag, "d", "upsert", None)
    logged = _logged(db, tag)
    assert [entity_id for _, entity_id in logged] == ["a", "c", "d"]
    assert [seq for seq, _ in logged] == sorted(seq for seq, _ in logged)


def test_a_rolled_back_transaction_writes_none(db: Database) -> None:
    tag = f"test-{uuid.uuid4().hex[:8]}"
    with db.sessions() as session:
        append_change(session, "public", tag, "a", "upsert", None)
        session.rollback()
        append_change(session, "public", tag, "b", "upsert", None)  # the session's next transaction
        session.commit()
    assert [entity_id for _, entity_id in _logged(db, tag)] == ["b"]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_the_writer_lock_is_taken_at_the_commit(db: Database) -> None:
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split()[0] + " " + statement.split()[2 if statement.startswith("INSERT") else 1])

    op = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "favorite.set",
        "payload": {"process_code": "jw-chengjidan", "on": True},
        "created_at": "",
    }
    assert sync.push(db.sessions, STUDENT, "t", [op])[0]["status"] == "applied"
    event.remove(db.engine, "before_cursor_execute", seen)
    locked = statements.index("SELECT pg_advisory_xact_lock(7270001)")
    # After the favourite and the operation's record, before its change, the NOTIFY or not, and the commit.
    assert "INSERT favorites" in statements[:locked] and "INSERT applied_ops" in statements[:locked]
    assert statements[locked + 1 :] in (["INSERT change_log"], ["INSERT change_log", "SELECT pg_notify(%(channel)s,"])
