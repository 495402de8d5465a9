"""Sync on the server: the change log clients pull by cursor, and pushed operations applied exactly once.

Guarantees (ARCHITECTURE.md): each pushed operation is applied once, with its idempotency record
(id, payload hash, result) in the same transaction as its effect; a replay returns the stored result; the same
id with another payload is refused (idempotency_conflict). A rejected operation is recorded as rejected, so its
replay is rejected the same way, and it does not stop the operations after it. Changes are partitioned by the
user the token names, never by anything the client says.

A pushed operation's type names its entry in core/operations.py, whose function applies it once its payload fits
the type's schema (campus_common/op_payloads.py); one that does not is rejected as `invalid_payload`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from campus_common import op_signing
from sync_server.core import op_grant, stored_text
from sync_server.core.change_log import MEMBERS_SCOPE, user_scope
from sync_server.core.clock import as_utc
from sync_server.core.errors import Conflict, DomainError, Invalid, Unauthorized
from sync_server.core.group_commit import CAREFUL, GroupCommit, RunCarefully, committer_for
from sync_server.core.operations import OPERATIONS
from sync_server.models import AppliedOp, AuthSession, ChangeLog, ServerMeta, User

MAX_PULL = 1000
MAX_PUSH = 200


def now() -> datetime:
    return datetime.now(UTC)


def pulled_scopes(user_id: str | None) -> list[str]:
    """The scopes a pull reads: public ones for anyone; with a token, also everyone signed in's and the user's own."""
    return ["public"] + ([MEMBERS_SCOPE, user_scope(user_id)] if user_id else [])


def sent_changes(rows: Any, data: Callable[[Any], Any] | None = None) -> list[dict[str, Any]]:
    """Change-log rows (seq, scope, entity, entity_id, op, data) as a pull sends them; `data` decodes the data
    column where the driver leaves it encoded (core/sync_hot.py)."""
    return [
        {
            "seq": seq,
            "entity": entity,
            "id": entity_id,
            "op": op,
            "data": data(value) if data is not None else value,
            # The client knows two scopes: "public" it keeps across users; "user" (the user's own and the members'
            # changes) it wipes at logout.
            "scope": "public" if scope == "public" else "user",
        }
        for seq, scope, entity, entity_id, op, value in rows
    ]


@dataclass
class PullPage:
    changes: list[dict[str, Any]]
    cursor: int
    has_more: bool


def pull(session: Session, user_id: str | None, cursor: int, limit: int) -> PullPage:
    scopes = pulled_scopes(user_id)
    # Rows of the columns sent, not ORM objects: loading 100,000 ChangeLog objects cost 0.8 s more of a first
    # pull (bench/README.md, `bench_sync.py`).
    rows = session.execute(
        select(ChangeLog.seq, ChangeLog.scope, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.op, ChangeLog.data)
        .where(ChangeLog.seq > cursor, ChangeLog.scope.in_(scopes))
        .order_by(ChangeLog.seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    changes = sent_changes(page)
    return PullPage(changes, page[-1].seq if page else cursor, len(rows) > limit)


def pull_answer(
    session: Session, *, user_id: str | None, cursor: int, limit: int, count_remaining: bool = False
) -> dict[str, Any]:
    """A pull as the client gets it: the page after `cursor`, the next cursor, whether more follow, the server's
    epoch, and with `count_remaining` how many changes follow the page (0 otherwise)."""
    page = pull(session, user_id, cursor, limit)
    return {
        "changes": page.changes,
        "cursor": page.cursor,
        "has_more": page.has_more,
        # A column, not an ORM object (core/meta.get_meta): this is on every pull.
        "epoch": session.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch")) or "",
        "remaining": count_after(session, user_id, page.cursor) if count_remaining and page.has_more else 0,
    }


WOKEN_CAP = 5000  # rows a shared look reads at most; past it, each waiter looks for itself
_SCOPES_PER_QUERY = 300  # SQLite parses a chain of ORs as a tree at most 1,000 deep


def pull_many(session: Session, waiters: list[tuple[str | None, int, int]]) -> list[dict[str, Any] | None]:
    """The pull answers of many waiting clients at once (user, cursor, limit each): after a change, everyone
    waiting on it looks together (core/live.py). One read of the rows after each user's cursor in their own scope
    and after the lowest cursor in the shared scopes, split among them in Python. A client's page is what
    `pull_answer` would give it (without `remaining`); None where this look cannot say (more rows than the cap).

    The tokens are not checked again here: each was checked when its request arrived, at most 25 s before."""
    epoch = session.scalar(select(ServerMeta.value).where(ServerMeta.key == "epoch")) or ""
    lowest = min(cursor for _, cursor, _ in waiters)
    own: dict[str, int] = {}
    for user_id, cursor, _ in waiters:
        if user_id is not None:
            scope = user_scope(user_id)
            own[scope] = min(cursor, own.get(scope, cursor))
    shared = ["public", MEMBERS_SCOPE] if own else ["public"]
    items = list(own.items())
    columns = (ChangeLog.seq, ChangeLog.scope, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.op, ChangeLog.data)
    rows: list[Any] = []
    truncated = False
    for start in range(0, max(1, len(items)), _SCOPES_PER_QUERY):
        terms = [
            and_(ChangeLog.scope == scope, ChangeLog.seq > cursor)
            for scope, cursor in items[start : start + _SCOPES_PER_QUERY]
        ]
        if start == 0:
            terms.append(and_(ChangeLog.scope.in_(shared), ChangeLog.seq > lowest))
        found = session.execute(select(*columns).where(or_(*terms)).order_by(ChangeLog.seq).limit(WOKEN_CAP + 1)).all()
        truncated = truncated or len(found) > WOKEN_CAP
        rows.extend(found)
    rows.sort(key=lambda row: row.seq)
    pages: list[dict[str, Any] | None] = []
    for user_id, cursor, limit in waiters:
        if truncated:
            pages.append(None)
            continue
        scopes = set(pulled_scopes(user_id))
        mine = [row for row in rows if row.seq > cursor and row.scope in scopes]
        page = mine[:limit]
        changes = sent_changes(page)
        pages.append(
            {
                "changes": changes,
                "cursor": page[-1].seq if page else cursor,
                "has_more": len(mine) > limit,
                "epoch": epoch,
                "remaining": 0,
            }
        )
    return pages


def pull_json(answer: dict[str, Any]) -> bytes:
    """A pull answer as the UTF-8 JSON the client gets. One json.dumps when every stored change is sound (the
    fast path: bench/bench_sync.py); otherwise each change's data is scrubbed (core/stored_text.py) and the
    changes that held bad text are logged by seq, so a row stored before pushes were checked cannot make this
    pull, and every pull after it, fail."""
    body = stored_text.json_bytes(answer)
    if body is not None:
        return body
    changes = [
        {
            **change,
            "data": stored_text.scrubbed(
                change["data"], what="change", seq=change["seq"], entity=change["entity"], entity_id=change["id"]
            ),
        }
        for change in answer["changes"]
    ]
    return stored_text.encode({**answer, "changes": changes})


def count_after(session: Session, user_id: str | None, cursor: int) -> int:
    """How many changes a client would still pull after `cursor` (an index range count on (scope, seq))."""
    scopes = pulled_scopes(user_id)
    return int(
        session.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.seq > cursor, ChangeLog.scope.in_(scopes))
        )
        or 0
    )


# -- push ----------------------------------------------------------------------------------------------------
def payload_hash(op_type: str, payload: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"type": op_type, "payload": payload}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode(errors="surrogatepass")).hexdigest()


def _result_of(row: Any, status: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.op_id, "status": status or row.status}
    if row.result is not None:
        out["result"] = row.result
    if row.error is not None:
        out["error"] = row.error
    return out


def push(
    sessions: sessionmaker[Session],
    user_id: str,
    device_id: str,
    ops: list[dict[str, Any]],
    *,
    in_transaction: Callable[[Session], None] | None = None,
) -> list[dict[str, Any]]:
    """Apply `ops` (already shape-checked) for `user_id`, in `seq` order, all in one transaction: the user's
    lock, the idempotency look-up, each operation with its record, one commit (one fsync on SQLite; there the
    transaction is shared with the pushes of other requests under way, core/group_commit.py).

    A rejection undoes only its operation's effect, is recorded, and does not stop the operations after it:
    operations are first applied without savepoints (most are applied), and one refused halfway makes the
    transaction run again with a savepoint per operation (`_apply_in`, RunCarefully). One commit instead of
    one per operation: on SQLite every transaction was a BEGIN IMMEDIATE with its own fsync, and the read of
    the idempotency records took the write lock too (bench/README.md, "the write path"). `in_transaction`
    runs first inside the transaction (the route records the token's use there instead of in a write
    transaction of its own).

    If a concurrent push of one of these ids by another user commits first (PostgreSQL: a forged id; the same
    user's pushes wait for the user's lock), the batch's transaction fails as a whole and the operations are
    applied one by one, each in its own transaction, which reports the conflict for that one alone."""
    hashes = {op["id"]: payload_hash(op["type"], op["payload"]) for op in ops}
    if not ops:
        return []

    def work(session: Session) -> list[dict[str, Any]]:
        return _push_in(session, user_id, device_id, ops, hashes, in_transaction)

    def alone() -> list[dict[str, Any]]:
        try:
            with sessions.begin() as session:
                return work(session)
        except RunCarefully:  # an operation was refused halfway: again, each operation in its savepoint
            with sessions.begin() as session:
                session.info[CAREFUL] = True
                return work(session)

    try:
        return committer(sessions).run(work, weight=len(ops), key=user_id, alone=alone)
    except IntegrityError:
        return [_apply_one(sessions, user_id, device_id, op, hashes[op["id"]]) for op in sorted(ops, key=_seq)]


def committer(sessions: sessionmaker[Session]) -> GroupCommit:
    """The group commit the pushes on these sessions share (core/group_commit.py). SQLite has one writer at a
    time: concurrent pushes share its commit (and its fsync). On PostgreSQL they share a transaction too, their
    users locked first in one order: the BEGIN, the change log's lock, the NOTIFY and the COMMIT were a third
    of a push's round trips (bench/README.md, "A campus push on PostgreSQL")."""
    bind = sessions.kw.get("bind")
    return committer_for(sessions, None if bind is not None and bind.dialect.name == "sqlite" else _lock_users)


# The users this transaction has loaded and (on PostgreSQL) locked. Held here: the session's identity map holds
# its objects weakly, and lost them between one push of a batch and the next (each read its user again).
_HELD_USERS = "push_held_users"


def _lock_users(session: Session, user_ids: list[str]) -> None:
    """A PostgreSQL group commit's prelude: the batch's users, locked in the order of their ids (another
    worker's batch locks in the same order, so neither waits for the other in a circle) and loaded, so that
    each push takes its user from the session."""
    users = session.scalars(select(User).where(User.user_id.in_(user_ids)).order_by(User.user_id).with_for_update())
    session.info[_HELD_USERS] = {user.user_id: user for user in users}


def _seq(op: dict[str, Any]) -> int:
    return int(op["seq"])


def _push_in(
    session: Session,
    user_id: str,
    device_id: str,
    ops: list[dict[str, Any]],
    hashes: dict[str, str],
    in_transaction: Callable[[Session], None] | None,
) -> list[dict[str, Any]]:
    # One user's operations run one at a time, whichever worker and terminal they come from: handlers read,
    # then write (★ checks, then inserts), and two terminals of one user must not interleave. On SQLite,
    # BEGIN IMMEDIATE already serialises all writers.
    # A user an earlier push of the same group commit loaded (and on PostgreSQL locked; there a batch locks all its
    # users first, `_lock_users`) is taken from the transaction instead of being read again. SQLite has no row
    # locks (BEGIN IMMEDIATE is the lock).
    held: dict[str, User] = session.info.setdefault(_HELD_USERS, {})
    user = held.get(user_id)
    if user is None:
        user = session.get(User, user_id, with_for_update=session.get_bind().dialect.name != "sqlite")
        if user is not None:
            held[user_id] = user
    if user is None:
        raise Unauthorized("invalid_token", "登录已失效，请重新登录")
    if in_transaction is not None:
        in_transaction(session)
    # The records' columns, not ORM objects, and the new records inserted as rows (`_apply_in`): nothing here
    # needs the unit of work, which cost a tenth of a push (bench/README.md, "the write path").
    seen = {r.op_id: r for r in session.execute(_SEEN, {"ids": list(hashes)})}
    for op_id, row in seen.items():
        if row.payload_hash != hashes[op_id] or row.user_id != user_id:
            # The same key for something else: a client bug or a forgery. Nothing in the batch is applied.
            raise Conflict("idempotency_conflict", "操作编号已被另一操作使用", op_id=op_id)
    results = []
    for op in sorted(ops, key=_seq):
        if op["id"] in seen:
            results.append(_result_of(seen[op["id"]], "duplicate"))
            continue
        results.append(_apply_in(session, user, device_id, op, hashes[op["id"]]))
    return results


def _apply_in(session: Session, user: User, device_id: str, op: dict[str, Any], digest: str) -> dict[str, Any]:
    """Apply one operation and add its idempotency record, in the caller's transaction (which holds the user's
    lock). A DomainError from the handler is recorded as the rejection, its effect undone (a savepoint)."""
    row = _Record(op["id"], "applied")
    operation = OPERATIONS.get(op["type"])
    try:
        if operation is None:
            raise Invalid("unknown_type", f"未知的操作类型：{op['type']}")
        # Before the handler, so that nothing a terminal sends reaches a column it cannot be stored in:
        # a lone surrogate or a 2**70 there failed the whole batch with a 500, and the terminal resent
        # the operation for ever. A misfit is a rejection like any other, recorded and replayable.
        problem = operation.payload.problem(op["payload"])
        if problem is not None:
            raise Invalid("invalid_payload", problem.message, fields={problem.path: problem.reason})
        session.info["op_id"] = op["id"]  # append_change tags the effect with its operation
        if session.info.get(CAREFUL):
            with session.begin_nested():  # a rejection undoes the effect but keeps the record
                row.result = operation.apply(session, user, op["payload"])
        else:
            # Most operations are applied: without a savepoint of their own (a SAVEPOINT, a flush and a RELEASE
            # each, bench/README.md "the write path"). One refused halfway may have left part of its effect, so
            # the whole transaction is rolled back and run again with a savepoint per operation.
            try:
                row.result = operation.apply(session, user, op["payload"])
            except DomainError as exc:
                raise RunCarefully() from exc
    except DomainError as exc:
        row.status, row.error = "rejected", {"code": exc.code, "message": exc.message}
        if exc.fields:
            row.error["fields"] = exc.fields
    finally:
        session.info.pop("op_id", None)
    session.execute(
        _RECORD,
        [
            {
                "op_id": row.op_id,
                "user_id": user.user_id,
                "device_id": device_id,
                "seq": op["seq"],
                "type": op["type"],
                "payload_hash": digest,
                "status": row.status,
                "result": row.result,
                "error": row.error,
                "created_at": now(),
            }
        ],
    )
    return _result_of(row)


@dataclass
class _Record:
    """What `_apply_in` records of an operation, and answers (as `_result_of` reads a stored record)."""

    op_id: str
    status: str
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


# Core statements on the table, made once: the ORM's versions built a statement and went through the ORM's
# compile and autoflush on every push (bench/README.md, "the write path").
_APPLIED: Table = AppliedOp.__table__  # type: ignore[assignment]  # a Table, typed FromClause
_SEEN = select(
    _APPLIED.c.op_id,
    _APPLIED.c.user_id,
    _APPLIED.c.payload_hash,
    _APPLIED.c.status,
    _APPLIED.c.result,
    _APPLIED.c.error,
).where(_APPLIED.c.op_id.in_(bindparam("ids", expanding=True)))
_RECORD = insert(_APPLIED)


def _apply_one(
    sessions: sessionmaker[Session], user_id: str, device_id: str, op: dict[str, Any], digest: str
) -> dict[str, Any]:
    """One operation in a transaction of its own (the fallback of `push`, and the fault suite's mutant)."""
    try:
        with sessions.begin() as session:
            session.info[CAREFUL] = True
            user = session.get(User, user_id, with_for_update=True)
            assert user is not None
            done = session.get(AppliedOp, op["id"])
            if done is not None:  # the same operation, sent again while we waited for the lock
                if done.payload_hash != digest or done.user_id != user_id:
                    raise Conflict("idempotency_conflict", "操作编号已被另一操作使用", op_id=op["id"])
                return _result_of(done, "duplicate")
            return _apply_in(session, user, device_id, op, digest)
    except IntegrityError:
        # The same operation, pushed concurrently (a retry racing its original), committed first: report it.
        with sessions() as session:
            existing = session.get(AppliedOp, op["id"])
            if existing is None or existing.payload_hash != digest:
                raise
            return _result_of(existing, "duplicate")


# -- token-less delivery (campus_common/op_signing.py) --------------------------------------------------------
def push_granted(
    sessions: sessionmaker[Session], session_id: str, device_id: str, ops: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Apply operations a terminal queued during session `session_id`, pushed after its user left (no token).
    Each must carry the signature made with that session's operation key. The session must belong to this
    device, be younger than GRANT_TTL, not have been revoked as compromised and still have its key (a password
    change or reset deletes it); otherwise the request is refused as a whole (op_grant_invalid). An operation
    whose signature is wrong is rejected alone and leaves no record, so a forger cannot claim an id."""
    with sessions() as session:
        row = session.get(AuthSession, session_id)
        if (
            row is None
            or row.op_key is None
            or row.device_id != device_id
            or row.revoke_reason in op_grant.UNTRUSTED_REVOKE_REASONS
            or now() - as_utc(row.created_at) > op_grant.GRANT_TTL
        ):
            raise Unauthorized("op_grant_invalid", op_grant.refusal_message(row))
        user = session.get(User, row.user_id)
        assert user is not None
        key, user_id = row.op_key, user.user_id
        must_change = user.must_change_password
    if must_change:
        raise Unauthorized("op_grant_invalid", "该登录会话的待同步操作已无法提交")
    valid, results = [], {}
    for op in ops:
        if op_signing.verify(key, session_id, device_id, op, op.get("signature") or ""):
            valid.append(op)
        else:
            results[op["id"]] = {
                "id": op["id"],
                "status": "rejected",
                "error": {"code": "bad_signature", "message": "操作签名无效"},
            }
    for result in push(sessions, user_id, device_id, valid):
        results[result["id"]] = result
    return [results[op["id"]] for op in sorted(ops, key=lambda o: o["seq"])]
