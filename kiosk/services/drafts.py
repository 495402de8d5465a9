"""Desk drafts (存草稿): what a user typed in a form, kept across logout and restart for them alone. A kiosk has
no Drafts: it keeps none.

Blocking (the store): call on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore


@dataclass(frozen=True)
class Draft:
    process_code: str
    form_version: int
    values: dict[str, Any]  # field → value as typed, valid or not
    saved_at: str  # ISO 8601, UTC


class Drafts:
    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def save(self, user_id: str, process_code: str, form_version: int, values: dict[str, Any]) -> str:
        """Keep what the user typed (replacing their earlier draft of this form); returns when it was saved."""
        return self.store.save_draft(user_id, process_code, form_version, values)

    def find(self, user_id: str, process_code: str) -> Draft | None:
        row = self.store.draft(user_id, process_code)
        if row is None:
            return None
        return Draft(process_code, int(row["form_version"]), dict(row["data"]), str(row["saved_at"]))

    def list(self, user_id: str) -> list[Draft]:
        """The user's drafts, the latest first."""
        found = (self.find(user_id, d["process_code"]) for d in self.store.drafts(user_id))
        return [d for d in found if d is not None]

    def delete(self, user_id: str, process_code: str) -> None:
        self.store.delete_draft(user_id, process_code)


def when_saved(iso: str, today: date | None = None) -> str:
    """When a draft was saved, as the user reads it: 14:05 today, else 11-28 14:05 (local time)."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return ""
    return moment.strftime("%H:%M" if moment.date() == (today or date.today()) else "%m-%d %H:%M")
