"""Desk drafts (存草稿): what a user typed in a form, kept across logout and restart for them alone, sealed at rest
(Fernet, with the terminal's key from kiosk/services/credentials.py) so neither the store file nor its WAL ever
holds it in plain text. A kiosk has no Drafts: it keeps none.

Blocking (the store; the keyring the first time the key is needed): call on a worker thread.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kiosk.services import campus_time

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from kiosk.models.store import LocalStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    process_code: str
    form_version: int
    values: dict[str, Any]  # field → value as typed, valid or not
    saved_at: str  # ISO 8601, UTC


class Drafts:
    def __init__(self, store: LocalStore, key: Callable[[], bytes]) -> None:
        self.store = store
        self._key = key
        self._fernet: Fernet | None = None
        # Two workers asking for the key at once must not both make one: the second would orphan the first's
        # drafts.
        self._lock = threading.Lock()

    def _cipher(self) -> Fernet:
        with self._lock:
            if self._fernet is None:
                from cryptography.fernet import Fernet

                self._fernet = Fernet(self._key())
            return self._fernet

    def _open(self, sealed: str) -> dict[str, Any] | None:
        from cryptography.fernet import InvalidToken

        try:
            values = json.loads(self._cipher().decrypt(sealed.encode()))
        except (InvalidToken, ValueError):
            return None
        return values if isinstance(values, dict) else None

    def save(self, user_id: str, process_code: str, form_version: int, values: dict[str, Any]) -> str:
        """Keep what the user typed (replacing their earlier draft of this form); returns when it was saved."""
        sealed = self._cipher().encrypt(json.dumps(values, ensure_ascii=False).encode()).decode()
        return self.store.save_draft(user_id, process_code, form_version, sealed)

    def find(self, user_id: str, process_code: str) -> Draft | None:
        """The user's draft of this form. One that cannot be opened (its key was lost with the keyring, or it was
        sealed on another terminal) is of no use to anyone: it is deleted and counts as none."""
        row = self.store.draft(user_id, process_code)
        if row is None:
            return None
        values = self._open(row["sealed"])
        if values is None:
            log.warning("a draft of %s cannot be opened with this terminal's key; deleting it", process_code)
            self.store.delete_draft(user_id, process_code)
            return None
        return Draft(process_code, int(row["form_version"]), values, str(row["saved_at"]))

    def list(self, user_id: str) -> list[Draft]:
        """The user's drafts that can be opened, the latest first (the others are deleted, as by find)."""
        found = (self.find(user_id, d["process_code"]) for d in self.store.drafts(user_id))
        return [d for d in found if d is not None]

    def delete(self, user_id: str, process_code: str) -> None:
        self.store.delete_draft(user_id, process_code)


def when_saved(iso: str, today: date | None = None) -> str:
    """When a draft was saved, as the user reads it: 14:05 today, else 11-28 14:05 (the campus's time)."""
    try:
        moment = datetime.fromisoformat(iso).astimezone(campus_time.zone())
    except ValueError:
        return ""
    return moment.strftime("%H:%M" if moment.date() == (today or campus_time.now().date()) else "%m-%d %H:%M")
