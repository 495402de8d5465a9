"""The database side of the sync routes' hot path (api/hot_sync.py): the token check and the pull of the two
requests that are most of all traffic, as plain DB-API statements instead of ORM queries.

Why: under wrk, about half of a pull's server CPU was SQLAlchemy's Python around three small statements (the
ORM session, statement caching, result processing), with sqlite3's own execute about 5 % (bench/README.md,
"bench_load.py"). These functions give the same answers as core/auth.resolve_access_token, the device check of
api/deps.check_kiosk_device and core/sync.pull_answer for the case they accept; every other case (an unknown or
expired token, a device to refuse, the initial password still to change) returns None, and the caller hands the
request to the ordinary route, which refuses it as before. They never write.

The statements are written once in SQLite's `?` style and turned into psycopg's `%s` for PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from sync_server.core.auth import TOUCH_EVERY, token_hash
from sync_server.core.devices import digest as device_digest
from sync_server.core.sync import pulled_scopes, sent_changes
from sync_server.models import AuthSession

_TOKEN_SQL = (
    "SELECT s.id, s.user_id, s.kind, s.device_ref, s.device_id, s.revoked_at, s.access_expires_at, s.last_seen_at,"
    " u.must_change_password, (SELECT value FROM server_meta WHERE key = 'epoch')"
    " FROM auth_sessions s JOIN users u ON u.user_id = s.user_id WHERE s.access_hash = ?"
)
_DEVICE_SQL = "SELECT id, revoked_at FROM devices WHERE credential_hash = ?"
_EPOCH_SQL = "SELECT value FROM server_meta WHERE key = 'epoch'"
# One statement per number of scopes (1: anonymous, 3: signed in), as core/sync.pull's.
_PULL_SQL = {
    n: "SELECT seq, scope, entity, entity_id, op, data FROM change_log WHERE seq > ? AND scope IN ("
    + ", ".join("?" * n)
    + ") ORDER BY seq LIMIT ?"
    for n in (1, 3)
}


@dataclass(frozen=True)
class Caller:
    """A valid access token's session and user, as far as the hot path needs them."""

    session_id: str
    user_id: str
    device_id: str | None
    last_seen_at: datetime | None
    epoch: str | None  # read with the token: one round trip less for a pull on PostgreSQL


class Statements:
    """The hot path's statements in one database's parameter style, and how its values come back."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

        def styled(sql: str) -> str:
            return sql if self.sqlite else sql.replace("?", "%s")

        self.token = styled(_TOKEN_SQL)
        self.device = styled(_DEVICE_SQL)
        self.epoch = _EPOCH_SQL
        self.pull = {n: styled(sql) for n, sql in _PULL_SQL.items()}

    def begin(self, cursor: Any) -> None:
        """One snapshot for the look on SQLite (its connections are in autocommit mode, core/db.py); the pool's
        reset on return rolls it back. PostgreSQL's hot connections are in autocommit mode too, and there each
        statement sees a snapshot of its own at READ COMMITTED anyway (db.Database.hot_reads)."""
        if self.sqlite:
            cursor.execute("BEGIN")

    def data(self, value: Any) -> Any:
        """A JSON column: text on SQLite, already decoded by psycopg."""
        return json.loads(value) if self.sqlite and isinstance(value, str) else value


def _utc(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite: text as SQLAlchemy writes it; PostgreSQL: a datetime)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def caller(
    statements: Statements, cursor: Any, token: str, *, device_credential: str | None, enforce_devices: bool
) -> Caller | None:
    """The token's caller when every check of the ordinary route passes; None when one would refuse (or needs
    more than this): the ordinary route then gives the refusal."""
    cursor.execute(statements.token, (token_hash(token),))
    row = cursor.fetchone()
    if row is None:
        return None
    session_id, user_id, kind, device_ref, device_id, revoked_at, expires_at, last_seen_at, must_change, epoch = row
    expires = _utc(expires_at)
    if revoked_at is not None or must_change or expires is None or expires <= datetime.now(UTC):
        return None
    if kind == "kiosk" and enforce_devices:
        if not device_credential or len(device_credential) > 128:
            return None
        cursor.execute(statements.device, (device_digest(device_credential),))
        device = cursor.fetchone()
        if device is None or device[1] is not None or (device_ref is not None and device[0] != device_ref):
            return None
    return Caller(session_id, user_id, device_id, _utc(last_seen_at), epoch)


def pull_answer(statements: Statements, cursor: Any, who: Caller | None, after: int, limit: int) -> dict[str, Any]:
    """core/sync.pull_answer without `remaining` (the hot path leaves count_remaining to the ordinary route), for
    the caller or, without one, for anyone."""
    user_id = who.user_id if who is not None else None
    scopes = pulled_scopes(user_id)
    cursor.execute(statements.pull[len(scopes)], (after, *scopes, limit + 1))
    rows = cursor.fetchall()
    page = rows[:limit]
    changes = sent_changes(page, statements.data)
    if who is not None:
        epoch = who.epoch
    else:
        cursor.execute(statements.epoch)
        found = cursor.fetchone()
        epoch = found[0] if found else None
    return {
        "changes": changes,
        "cursor": page[-1][0] if page else after,
        "has_more": len(rows) > limit,
        "epoch": epoch or "",
        "remaining": 0,
    }


def use_recorder(session_id: str, last_seen_at: datetime | None) -> Callable[[Session], None] | None:
    """For a push: the step that records the token's use inside the push's own transaction when it is due,
    else None (nothing to write). The check itself reads on a snapshot, so it takes no write lock."""
    moment = datetime.now(UTC)
    if last_seen_at is not None and moment - last_seen_at <= TOUCH_EVERY:
        return None

    def record_use(session: Session) -> None:
        session.execute(update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=moment))

    return record_use


@contextmanager
def snapshot(engine: Engine, statements: Statements) -> Iterator[Any]:
    """A DB-API cursor on one read snapshot of a connection of `engine`'s pool, rolled back when it is returned."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            statements.begin(cursor)
            yield cursor
        finally:
            cursor.close()
    finally:
        connection.close()
