"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    delete,
)

from kiosk.models.apply import ApplyMixin
from kiosk.models.base import StoreError
from kiosk.models.drafts import DraftsMixin
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


class LocalStore(OutboxMixin, ApplyMixin, QueriesMixin, DraftsMixin):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.schema_version = migrate(self.engine, path)

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
