"""Engine and sessions: the one place the server touches its database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, busy_timeout_ms: int = 10_000) -> None:
    # We issue BEGIN ourselves (below); the driver's implicit, deferred BEGIN would let two transactions both
    # read, then fail at once with "database is locked" when each tries to write (no busy wait in WAL mode).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # WAL lets readers run beside the writer; busy_timeout lets several workers share the file.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Past it, the request gets 503 server_busy (api/errors.py) and the client retries.
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cur.close()


class WriteTurns:
    """First come, first served at SQLite's write lock, for the threads of one process.

    SQLite's busy handler sleeps and tries again (1 ms, growing to 100 ms). While the group commit kept the lock
    busy batch after batch (core/group_commit.py), another writer found the lock free only by luck: an
    administrator's news item took 4.7–5.6 s while 200 kiosks pushed (bench/README.md, "the campus morning").
    Here each writer of the process queues for its turn and gets the lock right after the writer before it.
    Writers in other processes still meet the busy handler. A turn not given within `timeout` is not waited
    for any longer: the writer goes on to SQLite's own wait, so a lost turn can slow writers but never stop them.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._held = False
        self._queue: deque[threading.Event] = deque()

    def take(self) -> bool:
        with self._lock:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._queue.append(turn)
        if turn.wait(self.timeout):
            return True
        with self._lock:
            if turn.is_set():  # given just as the wait ended
                return True
            self._queue.remove(turn)
            return False

    def give(self) -> None:
        with self._lock:
            if self._queue:
                self._queue.popleft().set()  # handed over: still held, by the next in line
            else:
                self._held = False


def _turn_taking_connection(turns: WriteTurns) -> type[sqlite3.Connection]:
    class TurnTakingConnection(sqlite3.Connection):
        """Gives the writer's turn back once its transaction has ended, whichever way it ended."""

        holds_turn = False

        def _give_turn(self) -> None:
            if self.holds_turn:
                self.holds_turn = False
                turns.give()

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self._give_turn()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self._give_turn()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self._give_turn()

    return TurnTakingConnection


def _begin_immediate(turns: WriteTurns, conn: Any) -> None:
    dbapi_connection = conn.connection.dbapi_connection
    if turns.take():
        dbapi_connection.holds_turn = True
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        dbapi_connection._give_turn()
        raise


def make_engine(url: str, *, reads_only: bool = False, busy_timeout_ms: int = 10_000) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        turns = None if reads_only else WriteTurns(busy_timeout_ms / 1000)
        connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        if turns is not None:
            connect_args["factory"] = _turn_taking_connection(turns)
        engine = create_engine(url, connect_args=connect_args, pool_size=10, max_overflow=30)
        event.listen(engine, "connect", lambda conn, record: _sqlite_pragmas(conn, record, busy_timeout_ms))
        # IMMEDIATE: take the write lock at BEGIN, so concurrent writers queue (busy_timeout) instead of failing;
        # the writers of this process first queue for their turn (WriteTurns).
        # SQLite is the trial backend; a campus runs PostgreSQL, where transactions run side by side.
        # A reader (a pull, a login's password lookup) takes a plain BEGIN: under WAL it sees a snapshot and
        # never waits for, nor holds up, a writer.
        if turns is None:
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        else:
            event.listen(engine, "begin", partial(_begin_immediate, turns))
        return engine
    # More connections than requests are let in at once (config.max_in_flight), so an admitted request never
    # waits for a connection.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)


class Database:
    def __init__(self, url: str, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # For reads that must not queue behind writers on SQLite (the same engine elsewhere).
        self.read_engine = (
            make_engine(url, reads_only=True, busy_timeout_ms=busy_timeout_ms)
            if self.engine.dialect.name == "sqlite"
            else self.engine
        )
        self.read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self._hot_engine: Engine | None = None
        self._hot_lock = threading.Lock()  # the hot path's threads may ask for it at the same moment

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    @property
    def hot_reads(self) -> Engine:
        """The hot path's reads (api/hot_sync.py). On PostgreSQL a pool of its own, made on first use, without
        the ping before each checkout (a round trip, a quarter of an up-to-date pull's CPU): a connection that
        went stale fails its statement, the hot path hands the request to its route (whose pool pings), and this
        pool drops the connection when its reset fails. Its connections are in autocommit mode: at PostgreSQL's
        READ COMMITTED each statement sees a snapshot of its own in a transaction too, so the BEGIN before the
        look and the ROLLBACK at the pool's reset were two round trips that bought nothing. On SQLite there is
        nothing to ping: the read engine."""
        if self.engine.dialect.name != "postgresql":
            return self.read_engine
        with self._hot_lock:
            if self._hot_engine is None:
                self._hot_engine = create_engine(self.url, pool_size=10, max_overflow=30, isolation_level="AUTOCOMMIT")
            return self._hot_engine

    def dispose(self) -> None:
        self.engine.dispose()
        if self._hot_engine is not None:
            self._hot_engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
