"""The draft of one form page (desk mode): looked for when the form opens, offered until the user chooses
(继续填写草稿 / 重新填写), saved with 存草稿 — each a call to kiosk/services/drafts.py on a worker. A child of
the page's FormController, gone with it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from kiosk.services.drafts import when_saved

if TYPE_CHECKING:
    from kiosk.services.drafts import Draft
    from kiosk.views.forms import Forms

log = logging.getLogger(__name__)


class FormDrafts(QObject):
    changed = Signal()
    saved = Signal()
    failed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.offered: Draft | None = None  # the draft found when the form opened, until the user chooses
        self._saved_at = ""  # when the draft resumed, or the one just saved, was saved

    def saved_at(self) -> str:
        """When the draft on offer, or the one just saved, was saved (local time); "" when there is none."""
        return when_saved(self.offered.saved_at if self.offered is not None else self._saved_at)

    def look(self, forms: Forms, process_code: str, still_wanted: Callable[[], bool]) -> None:
        """Offer the user's draft of this form, if there is one and `still_wanted()` when it has been read."""
        drafts, user = forms.drafts(), forms.auth.user_id
        if drafts is None or user is None:
            return

        def found(draft: Draft | None) -> None:
            if draft is None and forms.hall.hasDraft(process_code):
                forms.hall.reloadDrafts()  # listed, but it could not be opened (its key was lost): it is gone now
            elif draft is not None and shiboken6.isValid(self) and still_wanted():
                self.offered = draft
                self.changed.emit()

        forms.workers.run(lambda: drafts.find(user, process_code), found, lambda e: log.error("reading a draft: %s", e))

    def take(self) -> Draft | None:
        """继续填写草稿: the draft on offer, no longer offered."""
        draft, self.offered = self.offered, None
        if draft is not None:
            self._saved_at = draft.saved_at
            self.changed.emit()
        return draft

    def discard(self, forms: Forms, process_code: str) -> None:
        """重新填写: the draft is deleted."""
        self.offered = None
        self.changed.emit()
        drafts, user = forms.drafts(), forms.auth.user_id
        if drafts is not None and user is not None:
            forms.workers.run(lambda: drafts.delete(user, process_code), lambda _: forms.hall.reloadDrafts())

    def save(self, forms: Forms, process_code: str, form_version: int, values: dict[str, Any]) -> bool:
        """存草稿; False when there is nowhere to keep one (a kiosk, nobody signed in, no store)."""
        drafts, user = forms.drafts(), forms.auth.user_id
        if drafts is None or user is None:
            return False

        def done(saved_at: str) -> None:
            forms.hall.reloadDrafts()
            if shiboken6.isValid(self):
                self._saved_at = saved_at
                self.saved.emit()
                self.changed.emit()

        def failed(exc: Exception) -> None:
            log.error("saving a draft: %s", exc)
            if shiboken6.isValid(self):
                self.failed.emit()

        forms.workers.run(lambda: drafts.save(user, process_code, form_version, values), done, failed)
        return True
