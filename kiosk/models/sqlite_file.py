"""The store's SQLite file as the standard library sees it: the pragmas every connection gets, and a plain
connection for the work a start does before SQLAlchemy is loaded (kiosk/models/first_look.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


class StoreError(RuntimeError):
    pass


PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # FULL: a commit is on disk before we tell the user 已保存 (sync guarantee 1).
    "PRAGMA synchronous=FULL",
    # Deleted personal rows are overwritten with zeros, not left in free pages.
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def apply_pragmas(dbapi_conn: Any) -> None:
    cursor = dbapi_conn.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def connect(path: Path) -> sqlite3.Connection:
    """A connection that leaves transactions to its caller (BEGIN IMMEDIATE … COMMIT), with the pragmas."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    apply_pragmas(conn)
    return conn
