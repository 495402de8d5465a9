"""The users' form drafts (desk mode) as the file keeps them, sealed (kiosk/services/drafts.py seals and opens
them): saved, read, listed, deleted (also inside the transaction that queues the submission made from one)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.models.base import StoreBase
from kiosk.models.tables import LocalDraft


def remove_draft(session: Session, user_id: str, process_code: str) -> None:
    """Within `session`: the transaction that queues the submission takes the draft with it, or neither happens."""
    session.execute(delete(LocalDraft).where(LocalDraft.user_id == user_id, LocalDraft.process_code == process_code))


class DraftsMixin(StoreBase):
    def save_draft(self, user_id: str, process_code: str, form_version: int, sealed: str) -> str:
        """Keep a sealed draft of a form (replacing the user's earlier one of it); returns when it was saved."""
        saved_at = datetime.now(UTC).isoformat()
        with self.transaction() as session:
            session.merge(
                LocalDraft(
                    user_id=user_id,
                    process_code=process_code,
                    form_version=form_version,
                    sealed=sealed,
                    saved_at=saved_at,
                )
            )
        return saved_at

    def draft(self, user_id: str, process_code: str) -> dict[str, Any] | None:
        with self.sessions() as session:
            row = session.get(LocalDraft, (user_id, process_code))
            if row is None:
                return None
            return {"form_version": row.form_version, "sealed": row.sealed, "saved_at": row.saved_at}

    def drafts(self, user_id: str) -> list[dict[str, Any]]:
        """The user's drafts (which processes, when), the latest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(LocalDraft.process_code, LocalDraft.saved_at)
                .where(LocalDraft.user_id == user_id)
                .order_by(LocalDraft.saved_at.desc())
            ).all()
            return [{"process_code": code, "saved_at": saved_at} for code, saved_at in rows]

    def delete_draft(self, user_id: str, process_code: str) -> None:
        with self.transaction() as session:
            remove_draft(session, user_id, process_code)
