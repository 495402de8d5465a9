"""Group commit (core/group_commit.py): concurrent requests' writes share one transaction and one commit; one
that fails is undone alone; every caller gets its answer after the commit. On SQLite the failed batch runs again
with a savepoint per piece; on PostgreSQL each piece alone, after the batch's users were locked in one order.
In-process on a copy of the demo database (a real SQLite file, WAL, synchronous=FULL; a real PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server.core import sync
from sync_server.core.errors import Conflict, Invalid
from sync_server.core.group_commit import GroupCommit
from sync_server.core.meta import get_meta, set_meta
from sync_server.db import Database
from sync_server.models import AppliedOp, ChangeLog
from tests.server.workflow_helpers import JWC_A, JWC_B, LIU, STUDENT, STUDENT_2

CODE = "jw-chengjidan"  # a hall process meant for students
FOR_EVERYONE = "hq-baoxiu"  # one meant for students and staff


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_waiting_writes_share_the_next_commit_and_a_failure_is_undone_alone(db: Database) -> None:
    committer = GroupCommit(db.sessions)
    release = threading.Event()
    outcomes: dict[str, Any] = {}

    def writer(key: str, fail: bool = False, hold: bool = False) -> Any:
        def work(session: Session) -> str:
            set_meta(session, f"gc-{key}", key)
            if hold:  # the first batch is still open while the others queue behind it
                assert release.wait(10)
            if fail:
                raise Invalid("test_refusal", "refused")
            return key

        def run() -> None:
            try:
                outcomes[key] = committer.run(work)
            except Exception as exc:
                outcomes[key] = exc

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    threads = [writer("a", hold=True)]
    deadline = time.monotonic() + 10
    while committer.batches < 1 and time.monotonic() < deadline:  # "a" leads and holds its transaction open
        time.sleep(0.01)
    threads += [writer("b"), writer("c", fail=True), writer("d"), writer("e")]
    while len(committer._queue) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(committer._queue) == 4
    release.set()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()

    assert (committer.batches, committer.pieces) == (2, 5)  # b, c, d, e: one transaction, one commit
    assert committer.retried == 1  # b, c, d, e first at once; c failed, so again, each in its savepoint
    assert outcomes["a"] == "a" and outcomes["b"] == "b" and outcomes["d"] == "d" and outcomes["e"] == "e"
    assert isinstance(outcomes["c"], Invalid)
    with db.read_sessions() as session:
        assert [get_meta(session, f"gc-{k}") for k in "abcde"] == ["a", "b", None, "d", "e"]


def favorite_op(on: bool, op_id: str | None = None, seq: int = 1, code: str = CODE) -> dict[str, Any]:
    payload = {"process_code": code, "on": on}
    return {"id": op_id or str(uuid.uuid4()), "seq": seq, "type": "favorite.set", "payload": payload, "created_at": ""}


def test_concurrent_pushes_each_apply_once_with_their_records(db: Database) -> None:
    """16 threads push at once (as 16 requests on the server's thread pool): every op applied once, with its
    record and its change-log row; fewer commits than pushes; a replay in the crowd answers duplicate."""
    first = favorite_op(True)
    assert sync.push(db.sessions, STUDENT, "t", [first])[0]["status"] == "applied"
    committer = sync.committer(db.sessions)
    batches_before, pieces_before = committer.batches, committer.pieces
    ops = [favorite_op(i % 2 == 0, seq=i) for i in range(64)]
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def push_some(mine: list[dict[str, Any]]) -> None:
        for op in mine:
            out = sync.push(db.sessions, STUDENT, "t", [op])
            with lock:
                results.extend(out)
        out = sync.push(db.sessions, STUDENT, "t", [first])  # the replay of an operation already applied
        with lock:
            results.extend(out)

    threads = [threading.Thread(target=push_some, args=(ops[i::16],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    by_id = {r["id"]: r["status"] for r in results if r["id"] != first["id"]}
    assert by_id == {op["id"]: "applied" for op in ops}
    assert [r["status"] for r in results if r["id"] == first["id"]] == ["duplicate"] * 16
    pieces = committer.pieces - pieces_before
    assert pieces == 64 + 16
    assert committer.batches - batches_before <= pieces
    with db.read_sessions() as session:
        ids = [op["id"] for op in ops]
        assert session.scalar(select(func.count()).select_from(AppliedOp).where(AppliedOp.op_id.in_(ids))) == 64
        assert session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.op_id.in_(ids))) == 64


def test_a_reused_id_is_refused_without_touching_the_others_in_its_commit(db: Database) -> None:
    """The same id with another payload (a client bug or a forgery) is refused as idempotency_conflict; the
    other pushes of its batch are applied."""
    taken = favorite_op(True)
    assert sync.push(db.sessions, STUDENT, "t", [taken])[0]["status"] == "applied"
    forged = favorite_op(False, op_id=taken["id"])
    errors: list[BaseException] = []
    fine: list[dict[str, Any]] = []

    def forge() -> None:
        try:
            sync.push(db.sessions, STUDENT, "t", [forged])
        except Conflict as exc:
            errors.append(exc)

    def honest(on: bool) -> None:
        fine.extend(sync.push(db.sessions, STUDENT, "t", [favorite_op(on)]))

    threads = [threading.Thread(target=forge)] + [threading.Thread(target=honest, args=(i % 2 == 1,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(errors) == 1 and errors[0].code == "idempotency_conflict"
    assert [r["status"] for r in fine] == ["applied"] * 6
    with db.read_sessions() as session:
        kept = session.get(AppliedOp, taken["id"])
        assert kept is not None and kept.payload_hash == sync.payload_hash("favorite.set", taken["payload"])


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_two_workers_batches_of_shared_users_never_wait_in_a_circle(db: Database) -> None:
    """Two workers (two Databases: two group commits) push for the same five users in opposite orders, 8 threads
    each. Each batch locks its users sorted before it begins, so no batch waits for another in a circle
    (PostgreSQL would break the circle after deadlock_timeout by failing one, which would then run again piece
    by piece: `retried`)."""
    other = Database(db.url)
    users = [STUDENT, STUDENT_2, LIU, JWC_A, JWC_B]
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def push_for(database: Database, order: list[str], thread: int) -> None:
        for n in range(12):
            user = order[(thread + n) % len(order)]
            out = sync.push(database.sessions, user, "t", [favorite_op(n % 2 == 0, seq=n, code=FOR_EVERYONE)])
            with lock:
                results.extend(out)

    try:
        threads = [
            threading.Thread(target=push_for, args=(database, order, i))
            for database, order in ((db, users), (other, users[::-1]))
            for i in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
            assert not thread.is_alive()
        mine, theirs = sync.committer(db.sessions), sync.committer(other.sessions)
        assert len(results) == 16 * 12
        assert {r["status"] for r in results} == {"applied"}
        assert mine.pieces + theirs.pieces == 16 * 12
        assert mine.batches + theirs.batches < 16 * 12  # pushes shared transactions
        assert (mine.retried, theirs.retried) == (0, 0)
    finally:
        other.dispose()
