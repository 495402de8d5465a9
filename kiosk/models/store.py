"""The local store: one SQLite file (WAL, synchronous=FULL, secure_delete), schema versioned by user_version.

Open it once per process, off the GUI thread; every later call is a short transaction.

LocalStore is put together from one part per job, each a mixin over base.StoreBase (the file, its sessions and
transaction()): outbox.py queues operations and settles the server's answers (reverts.py undoes refused ones),
apply.py writes what the server sent, queries.py reads for the views, news.py reads 消息中心's news and keeps
read marks, drafts.py keeps form drafts, wipe.py empties the file at logout. migrations.py brings the file's
schema up to date before any of them runs.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from kiosk.models.apply import ApplyMixin
from kiosk.models.base import StoreError
from kiosk.models.calendar import CalendarMixin
from kiosk.models.certificates import CertificatesMixin
from kiosk.models.drafts import DraftsMixin
from kiosk.models.migrations import MIGRATIONS, SCHEMA_VERSION, migrate
from kiosk.models.news import NewsMixin
from kiosk.models.outbox import OutboxMixin
from kiosk.models.queries import QueriesMixin
from kiosk.models.reverts import mark_acting, mark_read
from kiosk.models.sqlite_file import connect
from kiosk.models.wipe import WipeMixin

# What callers import from here (the names kiosk.models.store had before it was split by job).
__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "LocalStore", "StoreError", "mark_acting", "mark_read"]


class LocalStore(
    OutboxMixin, ApplyMixin, QueriesMixin, NewsMixin, CalendarMixin, DraftsMixin, CertificatesMixin, WipeMixin
):
    """The store the app, the sync engine and the tests use; opening it migrates the file first."""

    def __init__(self, path: Path) -> None:
        with closing(connect(path)) as conn:
            self.schema_version = migrate(conn, path)
        super().__init__(path)
