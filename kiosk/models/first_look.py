"""What a start reads from the local store before SQLAlchemy is loaded: the file migrated, the hall's catalog
as last received and how many operations wait on disk. The standard library's sqlite3 does this in milliseconds,
so the login screen is true (catalog shown, "· n 项待同步" counted) before the ORM's ≈ 0.2 s import and ≈ 30 MiB;
the full store (kiosk/models/store.py) opens right after, on the same file. The ORM store's catalog() and
waiting count read through the same functions, so the two cannot disagree."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.models.migrations import migrate
from kiosk.models.sqlite_file import connect

# Outbox statuses of operations not yet delivered (outbox.py's UNSETTLED is this tuple). A start re-queues the
# parked ones, so both count as waiting.
WAITING_STATUSES = ("pending", "parked")

_CATALOG_COLUMNS = (
    "code",
    "name",
    "department",
    "department_name",
    "audience",
    "category",
    "description",
    "recommended",
    "popular_rank",
    "guide",
)


@dataclass(frozen=True)
class FirstLook:
    catalog: list[dict[str, Any]] = field(default_factory=list)
    waiting: int = 0  # the terminal's undelivered operations, everyone's


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str | bytes) else raw


def read_catalog(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The cached hall catalog in the server's order, as the views want it (guide fields merged in)."""
    rows = conn.execute(f"SELECT {', '.join(_CATALOG_COLUMNS)} FROM processes ORDER BY sort_order").fetchall()
    catalog = []
    for values in rows:
        row = dict(zip(_CATALOG_COLUMNS, values, strict=True))
        guide = _json(row.pop("guide")) or {}
        row["audience"] = list(_json(row["audience"]) or [])
        row["recommended"] = bool(row["recommended"])
        catalog.append({**row, **guide})
    return catalog


def count_waiting(conn: sqlite3.Connection) -> int:
    marks = ",".join("?" * len(WAITING_STATUSES))
    return int(conn.execute(f"SELECT COUNT(*) FROM outbox WHERE status IN ({marks})", WAITING_STATUSES).fetchone()[0])


def first_look(path: Path) -> FirstLook:
    """Migrate the file (creating it on a first start) and read what the login screen shows. Blocking."""
    with closing(connect(path)) as conn:
        migrate(conn, path)
        return FirstLook(read_catalog(conn), count_waiting(conn))
