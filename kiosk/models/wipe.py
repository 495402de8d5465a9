"""Logout's wipe: every personal row deleted (secure_delete zeroes them), settled operations with them, and the
WAL folded back and truncated, so nothing of the user is left in the file or its WAL."""

from __future__ import annotations

from sqlalchemy import delete

from kiosk.models.base import StoreBase
from kiosk.models.outbox import UNSETTLED
from kiosk.models.tables import PERSONAL_TABLES, LocalDraft, Meta, OutboxOp


class WipeMixin(StoreBase):
    def wipe_personal(self, keep_drafts: bool = False) -> None:
        """Logout: delete every personal row (secure_delete zeroes them) and fold the WAL back and truncate it,
        so nothing of the user remains in the file or its WAL. Operations not yet delivered (pending or parked)
        stay until the server has them (sync guarantee 7); settled ones go. A desk client keeps its users'
        drafts (`keep_drafts`: each is shown to its own user only); a kiosk keeps none."""
        with self.transaction() as session:
            for table in PERSONAL_TABLES:
                session.execute(delete(table))
            # Which calendar reminders were shown (migration 13; a plain table, not a mapped one).
            session.connection().exec_driver_sql("DELETE FROM calendar_reminders_fired")
            # The user's certificates and their PDFs (migration 14).
            session.connection().exec_driver_sql("DELETE FROM certificates_held")
            if not keep_drafts:
                session.execute(delete(LocalDraft))
            session.execute(delete(OutboxOp).where(OutboxOp.status.not_in(UNSETTLED)))
            session.execute(delete(Meta).where(Meta.key.like("user.%")))
        self.checkpoint()
