"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.orm import Session

from kiosk.models.apply import ApplyMixin
from kiosk.models.base import StoreError
from kiosk.models.migrations import MIGRATIONS, SCHEMA_VERSION, migrate
from kiosk.models.outbox import OutboxMixin
from kiosk.models.queries import QueriesMixin
from kiosk.models.reverts import mark_acting, mark_read
from kiosk.models.tables import (
    PERSONAL_TABLES,
    LocalDraft,
    Meta,
    OutboxOp,
)

# What callers import from here (the names kiosk.models.store had before it was split by job).
__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "LocalStore", "StoreError", "mark_acting", "mark_read"]


class LocalStore(OutboxMixin, ApplyMixin, QueriesMixin):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.schema_version = migrate(self.engine, path)

    # -- drafts (desk mode) ------------------------------------------------------------------------------------------
    def save_draft(self, user_id: str, process_code: str, form_version: int, data: dict[str, Any]) -> str:
        """Keep what the user typed in a form (replacing their earlier draft of it); returns when it was saved."""
        saved_at = datetime.now(UTC).isoformat()
        with self.transaction() as session:
            session.merge(
                LocalDraft(
                    user_id=user_id,
                    process_code=process_code,
                    form_version=form_version,
                    data=data,
                    saved_at=saved_at,
                )
            )
        return saved_at

    def draft(self, user_id: str, process_code: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.get(LocalDraft, (user_id, process_code))
            if row is None:
                return None
            return {"form_version": row.form_version, "data": dict(row.data), "saved_at": row.saved_at}

    def drafts(self, user_id: str) -> list[dict[str, Any]]:
        """The user's drafts, the latest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(LocalDraft.process_code, LocalDraft.saved_at)
                .where(LocalDraft.user_id == user_id)
                .order_by(LocalDraft.saved_at.desc())
            ).all()
            return [{"process_code": code, "saved_at": saved_at} for code, saved_at in rows]

    def delete_draft(self, user_id: str, process_code: str, session: Session | None = None) -> None:
        """Within `session` (e.g. the one that queues the submission), or in a transaction of its own."""
        query = delete(LocalDraft).where(LocalDraft.user_id == user_id, LocalDraft.process_code == process_code)
        if session is not None:
            session.execute(query)
            return
        with self.transaction() as own:
            own.execute(query)

    def wipe_personal(self, keep_drafts: bool = False) -> None:
        """Logout: delete every personal row (secure_delete zeroes them) and fold the WAL back and truncate it,
        so nothing of the user remains in the file or its WAL. Operations still waiting for the server stay
        until they are delivered (sync guarantee 7); settled ones go. A desk client keeps its users' drafts
        (`keep_drafts`: each is shown to its own user only); a kiosk keeps none."""
        with self.transaction() as session:
            for table in PERSONAL_TABLES:
                session.execute(delete(table))
            if not keep_drafts:
                session.execute(delete(LocalDraft))
            session.execute(delete(OutboxOp).where(OutboxOp.status != "pending"))
            session.execute(delete(Meta).where(Meta.key.like("user.%")))
        self.checkpoint()
