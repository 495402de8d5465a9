"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.models.apply import ApplyMixin
from kiosk.models.base import StoreError
from kiosk.models.drafts import DraftsMixin
from kiosk.models.migrations import MIGRATIONS, SCHEMA_VERSION, migrate
from kiosk.models.outbox import OutboxMixin
from kiosk.models.queries import QueriesMixin
from kiosk.models.reverts import mark_acting, mark_read
from kiosk.models.wipe import WipeMixin

# What callers import from here (the names kiosk.models.store had before it was split by job).
__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "LocalStore", "StoreError", "mark_acting", "mark_read"]


class LocalStore(OutboxMixin, ApplyMixin, QueriesMixin, DraftsMixin, WipeMixin):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.schema_version = migrate(self.engine, path)
