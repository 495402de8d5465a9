"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.models.tables import PERSONAL_TABLES, Base, CachedProcess, Meta, UserProfile


def _migration_1(conn: Connection) -> None:
    tables = [Meta.__table__, CachedProcess.__table__]
    Base.metadata.create_all(conn, tables=[t for t in tables if isinstance(t, Table)])


def _migration_2(conn: Connection) -> None:
    table = UserProfile.__table__
    assert isinstance(table, Table)
    Base.metadata.create_all(conn, tables=[table])


# Append-only: migration N brings user_version N-1 to N. Never edit one that has shipped.
MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    pass


def _pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk before we tell the user 已保存 (sync guarantee 1).
    cur.execute("PRAGMA synchronous=FULL")
    # Deleted personal rows are overwritten with zeros, not left in free pages.
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class LocalStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.schema_version = self._migrate()

    def _migrate(self) -> int:
        with self.engine.begin() as conn:
            version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this program's {SCHEMA_VERSION}"
                )
            for number in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number - 1](conn)
                conn.exec_driver_sql(f"PRAGMA user_version={number}")
        return SCHEMA_VERSION

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.sessions() as session:
            row = session.get(Meta, key)
            return row.value if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as session:
            session.merge(Meta(key=key, value=value))

    def replace_catalog(self, processes: list[dict[str, Any]]) -> None:
        """Store the server's catalog in one transaction: readers see the old list or the new, never half."""
        with self.transaction() as session:
            session.execute(delete(CachedProcess))
            session.add_all(
                CachedProcess(
                    code=p["code"],
                    name=p["name"],
                    department=p["department"],
                    department_name=p.get("department_name", p["department"]),
                    audience=list(p["audience"]),
                    category=p["category"],
                    description=p.get("description", ""),
                    recommended=int(bool(p.get("recommended"))),
                    popular_rank=p.get("popular_rank"),
                    sort_order=order,
                )
                for order, p in enumerate(processes)
            )

    def catalog(self) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(select(CachedProcess).order_by(CachedProcess.sort_order)).all()
            return [
                {
                    "code": r.code,
                    "name": r.name,
                    "department": r.department,
                    "department_name": r.department_name,
                    "audience": list(r.audience),
                    "category": r.category,
                    "description": r.description,
                    "recommended": bool(r.recommended),
                    "popular_rank": r.popular_rank,
                }
                for r in rows
            ]

    def save_profile(self, user: dict[str, Any]) -> None:
        with self.transaction() as session:
            session.merge(
                UserProfile(
                    user_id=user["user_id"],
                    name=user["name"],
                    role=user["role"],
                    department_name=user.get("department_name"),
                    class_name=user.get("class_name"),
                )
            )

    def profile(self) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.scalars(select(UserProfile)).first()
            if row is None:
                return None
            return {
                "user_id": row.user_id,
                "name": row.name,
                "role": row.role,
                "department_name": row.department_name,
                "class_name": row.class_name,
            }

    def wipe_personal(self) -> None:
        """Logout: delete every personal row (secure_delete zeroes them) and fold the WAL back and truncate it,
        so nothing of the user remains in the file or its WAL."""
        with self.transaction() as session:
            for table in PERSONAL_TABLES:
                session.execute(delete(table))
            session.execute(delete(Meta).where(Meta.key.like("user.%")))
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file and truncate it (after deleting personal rows)."""
        with self.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def close(self) -> None:
        self.engine.dispose()
