"""The submission of one form page: who handles its first step (选择审核人), queued through the outbox
(kiosk/services/submissions.py builds it), then followed after each sync round to 已同步 with its 流水号, or to
被拒绝 and why. A child of the page's FormController, gone with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from kiosk.services.form_fields import default_handler, next_step
from kiosk.services.submissions import (
    FormContext,
    SubmissionState,
    corrected_application,
    new_application,
    submission_state,
)

if TYPE_CHECKING:
    from kiosk.services.form_state import FormState
    from kiosk.views.forms import Forms


class FormSubmission(QObject):
    changed = Signal()
    queued = Signal(str)  # the application's id, once it is durably in the outbox

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._forms: Forms | None = None
        self.next_step: dict[str, Any] = {}  # the first step of the workflow, and who may handle it
        self.next_handler = ""  # the applicant's choice ("": whoever of them takes it first)
        self.application_id = ""
        self.state = SubmissionState()

    def opened(self, context: FormContext) -> None:
        """The form opened: the next step as last synced, its one handler already chosen (as the manual shows it),
        and a returned application's 流水号 and 单号."""
        returned = context.returned or {}
        self.next_step = next_step(context.workflow, context.handlers)
        self.next_handler = default_handler(self.next_step)
        self.state = SubmissionState(serial=str(returned.get("serial") or ""), doc_no=str(returned.get("doc_no") or ""))

    def submit(self, forms: Forms, form: FormState, process_code: str, resubmit_of: str) -> bool:
        """Store the application (or the correction of `resubmit_of`) and its operation on a worker, in one
        transaction; False when nobody may write (nothing was started)."""
        user = forms.auth.user_id
        if user is None:
            return False
        if resubmit_of:
            sub = corrected_application(user, resubmit_of, form.data(), self.next_handler)
        else:
            sub = new_application(user, process_code, form.definition, form.data(), self.next_handler)
        self._forms = forms
        saved = lambda _op: self._queued(forms, sub.application_id)  # noqa: E731
        return forms.sync.enqueue(sub.op_type, sub.payload, sub.apply_local, saved, entity=sub.entity)

    def _queued(self, forms: Forms, application_id: str) -> None:
        if forms.config.mode == "desk":
            forms.hall.reloadDrafts()  # the draft went with the submission
        if not shiboken6.isValid(self):
            return
        self.application_id = application_id
        self.state = SubmissionState("pending", "", self.state.serial, self.state.doc_no)
        forms.sync.settled.connect(self._follow)
        self.queued.emit(application_id)

    def _follow(self) -> None:
        """After each sync round: where the submission stands (待同步 / 已同步 with its 流水号 / 被拒绝)."""
        forms = self._forms
        if forms is None:
            return
        if not shiboken6.isValid(self):
            forms.sync.settled.disconnect(self._follow)  # the page is gone: nobody to tell
            return
        store, user, application_id, known = forms.store, forms.auth.user_id, self.application_id, self.state
        if store is None or user is None or not application_id:
            return

        def loaded(state: SubmissionState) -> None:
            if shiboken6.isValid(self):  # else the page was left while this was read
                self.state = state
                self.changed.emit()

        forms.workers.run(lambda: submission_state(store, user, application_id, known), loaded)
