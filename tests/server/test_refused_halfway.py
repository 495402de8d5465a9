"""An operation refused after it had begun to write leaves nothing of its effect, on both backends.

A push first runs its operations without a savepoint each (and on SQLite a group commit's pieces without one
each: core/group_commit.py), since a savepoint, its flush and its release were a large part of a push's CPU
(bench/README.md, "the write path"). An operation refused halfway makes the transaction run again the careful
way. Here a ★ that is refused after it wrote its favourite and its change stands in for such an operation."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sync_server.core import favorites, live, sync
from sync_server.core.change_log import user_scope
from sync_server.core.errors import Invalid
from sync_server.core.operations import OPERATIONS, Operation
from sync_server.db import Database
from sync_server.models import AppliedOp, ChangeLog, Favorite, User
from tests.server.workflow_helpers import STUDENT

KEPT, REFUSED, ALSO_KEPT = "jw-chengjidan", "jw-zaidu-zhengming", "jw-buxiu"  # hall processes meant for students


def _halfway(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    result = favorites.set_favorite(session, user, payload)  # writes the favourite and its change first
    if payload["process_code"] == REFUSED:
        raise Invalid("refused_halfway", "写到一半被拒绝")
    return result


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    star = OPERATIONS["favorite.set"]
    monkeypatch.setitem(OPERATIONS, "favorite.set", Operation(star.type, _halfway, star.payload))
    database = Database(db_url)
    with database.read_sessions() as session:
        codes = set(session.scalars(select(Favorite.process_code).where(Favorite.user_id == STUDENT)))
        assert not codes & {KEPT, REFUSED, ALSO_KEPT}
    yield database
    database.dispose()


def _star(code: str, seq: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": True},
        "created_at": "",
    }


def _left(db: Database, ops: list[dict[str, Any]]) -> tuple[set[str], set[str], dict[str, str]]:
    ids = [op["id"] for op in ops]
    with db.read_sessions() as session:
        stars = set(session.scalars(select(Favorite.process_code).where(Favorite.user_id == STUDENT)))
        changed = set(session.scalars(select(ChangeLog.op_id).where(ChangeLog.op_id.in_(ids))))
        recorded = {
            op_id: status
            for op_id, status in session.execute(
                select(AppliedOp.op_id, AppliedOp.status).where(AppliedOp.op_id.in_(ids))
            )
        }
    return stars, changed, recorded


def test_a_refusal_halfway_undoes_its_effect_and_keeps_the_others(db: Database) -> None:
    ops = [_star(KEPT, 1), _star(REFUSED, 2), _star(ALSO_KEPT, 3)]
    results = sync.push(db.sessions, STUDENT, "t", ops)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "refused_halfway"
    stars, changed, recorded = _left(db, ops)
    assert {KEPT, ALSO_KEPT} <= stars and REFUSED not in stars
    assert changed == {ops[0]["id"], ops[2]["id"]}
    assert recorded == {ops[0]["id"]: "applied", ops[1]["id"]: "rejected", ops[2]["id"]: "applied"}
    # Its replay is the same rejection, from the record.
    again = sync.push(db.sessions, STUDENT, "t", [ops[1]])
    assert (again[0]["status"], again[0]["error"]["code"]) == ("duplicate", "refused_halfway")


def test_in_a_shared_commit_only_the_refused_push_is_undone(db: Database) -> None:
    """Pushes under way at once share a group commit: the batch holding the refusal is run again (SQLite: each
    push in its savepoint; PostgreSQL: each alone); every other push of it is applied once."""
    committer = sync.committer(db.sessions)
    release = threading.Event()
    holder = threading.Thread(target=committer.run, args=(lambda _session: release.wait(10),))
    holder.start()  # leads a batch of its own and holds it open while the pushes below queue behind it
    deadline = time.monotonic() + 10
    while committer.batches < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    honest = [_star(code, n) for n, code in enumerate([KEPT, ALSO_KEPT] * 3)]
    refused = _star(REFUSED, 99)
    results: dict[str, str] = {}

    def push(op: dict[str, Any]) -> None:
        results[op["id"]] = sync.push(db.sessions, STUDENT, "t", [op])[0]["status"]

    threads = [threading.Thread(target=push, args=(op,)) for op in [*honest[:3], refused, *honest[3:]]]
    for thread in threads:
        thread.start()
    while len(committer._queue) < len(threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    retried, batches = committer.retried, committer.batches
    release.set()
    for thread in [holder, *threads]:
        thread.join(10)
        assert not thread.is_alive()
    assert (committer.batches - batches, committer.retried - retried) == (1, 1)  # one batch, run twice
    assert results == {**{op["id"]: "applied" for op in honest}, refused["id"]: "rejected"}
    stars, changed, recorded = _left(db, [*honest, refused])
    assert REFUSED not in stars
    assert changed == {op["id"] for op in honest}
    assert recorded == {**{op["id"]: "applied" for op in honest}, refused["id"]: "rejected"}


def test_the_waiters_of_the_kept_operations_are_still_woken(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal's savepoint rolled back must not forget the scopes the operations before it changed: their
    waiting pulls are woken after the commit (core/live.py; on PostgreSQL by the NOTIFY sent before it)."""
    published: list[frozenset[str]] = []
    monkeypatch.setattr(live, "publish", lambda scopes: published.append(frozenset(scopes)))
    notified: list[str] = []
    if db.engine.dialect.name == "postgresql":

        @event.listens_for(db.engine, "before_cursor_execute")
        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if "pg_notify" in statement:
                notified.append(statement)

    results = sync.push(db.sessions, STUDENT, "t", [_star(KEPT, 1), _star(REFUSED, 2)])
    assert [r["status"] for r in results] == ["applied", "rejected"]
    assert user_scope(STUDENT) in set().union(*published)
    if db.engine.dialect.name == "postgresql":
        assert len(notified) == 1  # once, in the transaction that committed
