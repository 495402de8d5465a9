"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.models.tables import PERSONAL_TABLES, Base, CachedProcess, LocalFavorite, Meta, OutboxOp, UserProfile


def _migration_1(conn: Connection) -> None:
    tables = [Meta.__table__, CachedProcess.__table__]
    Base.metadata.create_all(conn, tables=[t for t in tables if isinstance(t, Table)])


def _migration_2(conn: Connection) -> None:
    table = UserProfile.__table__
    assert isinstance(table, Table)
    Base.metadata.create_all(conn, tables=[table])


def _migration_3(conn: Connection) -> None:
    tables = [OutboxOp.__table__, LocalFavorite.__table__]
    Base.metadata.create_all(conn, tables=[t for t in tables if isinstance(t, Table)])


# Append-only: migration N brings user_version N-1 to N. Never edit one that has shipped.
MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2, _migration_3]
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

    # -- the outbox ------------------------------------------------------------------------------------------------
    def enqueue(
        self, user_id: str, op_type: str, payload: dict[str, Any], apply_local: Callable[[Session], None] | None = None
    ) -> dict[str, Any]:
        """Write the optimistic local effect and the outbox operation in ONE transaction (synchronous=FULL):
        when this returns, the write survives a power cut, and the UI may say 已保存，待同步."""
        op_id = str(uuid.uuid4())
        with self.transaction() as session:
            last = session.scalar(select(func.max(OutboxOp.seq)).where(OutboxOp.user_id == user_id)) or 0
            row = OutboxOp(
                id=op_id,
                user_id=user_id,
                seq=last + 1,
                type=op_type,
                payload=payload,
                created_at=datetime.now(UTC).isoformat(),
                status="pending",
                attempts=0,
            )
            session.add(row)
            if apply_local is not None:
                apply_local(session)
        return {"id": op_id, "seq": last + 1, "type": op_type, "payload": payload, "created_at": row.created_at}

    def pending_ops(self, user_id: str, limit: int = 100) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(OutboxOp)
                .where(OutboxOp.user_id == user_id, OutboxOp.status == "pending")
                .order_by(OutboxOp.seq)
                .limit(limit)
            ).all()
            return [
                {"id": r.id, "seq": r.seq, "type": r.type, "payload": r.payload, "created_at": r.created_at}
                for r in rows
            ]

    def record_results(self, results: list[dict[str, Any]]) -> None:
        """The server's answers: applied and duplicate are done; rejected keeps the reason to show."""
        with self.transaction() as session:
            for result in results:
                row = session.get(OutboxOp, result["id"])
                if row is None:
                    continue
                error = result.get("error") or {}
                if result["status"] == "rejected" or (result["status"] == "duplicate" and error):
                    row.status, row.error_code, row.error_message = "rejected", error.get("code"), error.get("message")
                else:
                    row.status = "applied"

    def count_attempt(self, op_ids: list[str]) -> None:
        with self.transaction() as session:
            for op_id in op_ids:
                row = session.get(OutboxOp, op_id)
                if row is not None:
                    row.attempts += 1

    def apply_changes(
        self, user_id: str | None, changes: list[dict[str, Any]], cursor_key: str, cursor: int, epoch: str
    ) -> None:
        """One pulled page and its cursor, in one transaction."""
        with self.transaction() as session:
            for change in changes:
                if change["entity"] == "favorite" and user_id is not None:
                    if change["op"] == "delete":
                        session.execute(
                            delete(LocalFavorite).where(
                                LocalFavorite.user_id == user_id, LocalFavorite.process_code == change["id"]
                            )
                        )
                    else:
                        session.merge(LocalFavorite(user_id=user_id, process_code=change["id"]))
            session.merge(Meta(key=cursor_key, value=str(cursor)))
            session.merge(Meta(key="sync.epoch", value=epoch))

    def reset_synced_state(self, user_id: str | None, cursor_key: str) -> None:
        """The server's data was restored: forget what was pulled (not the outbox) and start from zero."""
        with self.transaction() as session:
            if user_id is not None:
                session.execute(delete(LocalFavorite).where(LocalFavorite.user_id == user_id))
            session.merge(Meta(key=cursor_key, value="0"))

    def favorites(self, user_id: str) -> list[str]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(LocalFavorite.process_code)
                    .where(LocalFavorite.user_id == user_id)
                    .order_by(LocalFavorite.process_code)
                )
            )

    def outbox_counts(self, user_id: str | None = None) -> dict[str, int]:
        with self.sessions() as session:
            query = select(OutboxOp.status, func.count()).group_by(OutboxOp.status)
            if user_id is not None:
                query = query.where(OutboxOp.user_id == user_id)
            counts = {"pending": 0, "applied": 0, "rejected": 0}
            counts.update({status: n for status, n in session.execute(query).all()})
            return counts

    def wipe_personal(self) -> None:
        """Logout: delete every personal row (secure_delete zeroes them) and fold the WAL back and truncate it,
        so nothing of the user remains in the file or its WAL. Operations still waiting for the server stay
        until they are delivered (sync guarantee 7); settled ones go."""
        with self.transaction() as session:
            for table in PERSONAL_TABLES:
                session.execute(delete(table))
            session.execute(delete(OutboxOp).where(OutboxOp.status != "pending"))
            session.execute(delete(Meta).where(Meta.key.like("user.%")))
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file and truncate it (after deleting personal rows)."""
        with self.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def close(self) -> None:
        self.engine.dispose()
