"""The SQLite file every part of the local store works on: its engine and pragmas, sessions, transaction()
under the write lock, the meta key/value table, checkpoint and close. Holds no schema and no jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.models.sqlite_file import StoreError, apply_pragmas
from kiosk.models.tables import Meta

__all__ = ["StoreBase", "StoreError"]


def _pragmas(dbapi_conn: Any, _record: Any) -> None:
    apply_pragmas(dbapi_conn)


class StoreBase:
    """What the store's parts share (LocalStore puts them together and migrates the file first)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            # Take the write lock first, so what the transaction reads is still true when it writes. Python's
            # sqlite3 would BEGIN only at the first INSERT/UPDATE: two saves on the app's two-thread pool then
            # both read outbox.last_seq = n and both wrote n + 1, and a user's writes lost their order (the
            # fault harness found it). Writers queue on busy_timeout, as on the server.
            session.execute(text("BEGIN IMMEDIATE"))
            yield session

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.sessions() as session:
            row = session.get(Meta, key)
            return row.value if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as session:
            session.merge(Meta(key=key, value=value))

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file and truncate it (after deleting personal rows)."""
        with self.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def close(self) -> None:
        self.engine.dispose()
