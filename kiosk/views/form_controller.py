"""FormController: one visit to a form page, for QML. It adapts the Qt-free services — the form being filled
(kiosk/services/form_state.py), submitting through the outbox (submissions.py), desk drafts (drafts.py) and
uploads (attachments.py) — into properties, slots and the field list model, and runs their blocking calls on the
Forms singleton's workers. The page makes one per visit and it goes with the page, so a kiosk keeps no form."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.services import submissions
from kiosk.services.form_fields import return_note
from kiosk.services.form_state import FormState
from kiosk.views.field_model import FieldListModel
from kiosk.views.form_drafts import FormDrafts
from kiosk.views.form_submission import FormSubmission
from kiosk.views.form_uploads import FormUploads
from kiosk.views.forms import Forms

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class FormController(QObject):
    """One form being filled. QML sets `forms` and `processCode`; `fields` is the model the page renders."""

    changed = Signal()
    submitted = Signal(str)  # the application's id, once it is durably queued
    draftSaved = Signal()
    draftFailed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = FieldListModel(self)
        self._forms: Forms | None = None
        self._code = ""
        self._resubmit_of = ""  # 修改后重新提交: the returned application being corrected ("": a new one)
        self._form: FormState | None = None
        self._state = "idle"  # idle | loading | ready | missing | saving | saved
        self._load_generation = 0
        self._submission = FormSubmission(self)
        self._submission.changed.connect(self.changed)
        self._submission.queued.connect(lambda _: self._set_state("saved"))
        self._submission.queued.connect(self.submitted)
        self._return_note = ""
        self._drafts = FormDrafts(self)
        self._drafts.changed.connect(self.changed)
        self._drafts.saved.connect(self.draftSaved)
        self._drafts.failed.connect(self.draftFailed)
        self._uploads = FormUploads(self, lambda: self._form, self._show)

    def _desk(self) -> bool:
        return self._forms is not None and self._forms.config.mode == "desk"

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    def _show(self) -> None:
        """The form's rows (values, errors, uploads) as they are now, in the model and the properties."""
        if self._form is not None:
            self._model.update_rows(self._form.rows)
        self.changed.emit()

    # -- loading --------------------------------------------------------------------------------------------
    def _set_forms(self, forms: QObject | None) -> None:
        if forms is not self._forms:
            self._forms = forms if isinstance(forms, Forms) else None
            if self._code:
                self._load()

    def _set_code(self, code: str) -> None:
        if code != self._code:
            self._code = code
            self._load()

    def _set_resubmit_of(self, application_id: str) -> None:
        if application_id != self._resubmit_of:
            self._resubmit_of = application_id
            if self._code:
                self._load()

    def _load(self) -> None:
        forms = self._forms
        if forms is None or forms.store is None or not self._code:
            self._set_state("missing")
            return
        self._set_state("loading")
        store, user, code, resubmit_of = forms.store, forms.auth.user_id, self._code, self._resubmit_of
        self._load_generation += 1
        generation = self._load_generation

        def loaded(context: submissions.FormContext) -> None:
            # Only the newest load counts, and only while the page (and so this controller) is still there.
            if shiboken6.isValid(self) and generation == self._load_generation:
                self._loaded(context)

        forms.workers.run(
            lambda: submissions.load_form(store, user, code, resubmit_of), loaded, lambda _: self._set_state("missing")
        )

    def _loaded(self, context: submissions.FormContext) -> None:
        forms, returned = self._forms, context.returned
        current = forms.auth.current if forms is not None else None
        gone = self._resubmit_of and returned is None  # the returned application: not theirs, or not here any more
        if forms is None or current is None or context.definition is None or gone:
            self._set_state("missing")
            return
        self._form = FormState.opened(context.definition, current.user, forms.config.mode, returned, forms.language)
        self._return_note = return_note(list(returned.get("events") or [])) if returned is not None else ""
        self._submission.opened(context)
        self._model.set_rows(self._form.rows)
        self._set_state("ready")
        if returned is None:
            self._drafts.look(forms, self._code, lambda: self._state == "ready")

    # -- editing --------------------------------------------------------------------------------------------
    @Slot(str, "QVariant")
    def setValue(self, name: str, value: Any) -> None:
        if hasattr(value, "toVariant"):  # a QJSValue (an object or array from QML)
            value = value.toVariant()
        if self._form is not None and self._form.set_value(name, value):
            self._show()

    @Slot(str, bool)
    def useSchoolValue(self, name: str, use: bool) -> None:
        """使用其他号码 (use False: typed for this application) or 用登记的号码 (True) on a field the school filled."""
        form = self._form
        if form is not None and (form.keep_school_value(name) if use else form.change(name)):
            self._show()

    @Slot(str)
    def touch(self, name: str) -> None:  # the user left a field: from now on its errors show
        if self._form is not None:
            self._form.touch(name)
            self._show()

    @Slot(result=bool)
    def checkAll(self) -> bool:
        """提交 pressed: show every field's error; True when the form can go (the page then confirms)."""
        ok = self._form is not None and self._form.check_all()
        self._show()
        return ok

    @Slot(result=str)
    def firstErrorField(self) -> str:
        return self._form.first_error_field() if self._form is not None else ""

    @Slot(result=str)
    def firstAnnotatedField(self) -> str:
        """修改后重新提交: the first field a handler wrote a 批注 on (the page scrolls to it)."""
        return self._form.first_annotated_field() if self._form is not None else ""

    # A slot, not a property: pyside6-metaobjectdump cannot declare a QVariantMap property for qmllint.
    @Slot(result="QVariantMap")
    def nextStep(self) -> dict[str, Any]:
        """完成本操作后，流程将转到: the first step and, when the applicant may choose, its handlers (选择审核人)."""
        return self._submission.next_step

    @Slot(str)
    def chooseHandler(self, user_id: str) -> None:
        """The applicant's choice of handler for the first step ("" : whoever of them takes it first)."""
        self._submission.next_handler = user_id
        self.changed.emit()

    # -- submitting -----------------------------------------------------------------------------------------
    @Slot()
    def confirmSubmit(self) -> None:
        """After the confirmation dialog: store the application and its outbox operation in one transaction."""
        forms, form = self._forms, self._form
        if forms is None or form is None or not self.checkAll():
            return
        self._set_state("saving")
        if not self._submission.submit(forms, form, self._code, self._resubmit_of):
            self._set_state("ready")

    # -- drafts (desk mode) ---------------------------------------------------------------------------------
    @Slot()
    def resumeDraft(self) -> None:
        """继续填写草稿: the draft's values back in the form, their errors shown as if each had been left."""
        draft = self._drafts.take()
        if draft is not None and self._form is not None:
            self._form.resume(draft.values)
            self._show()

    @Slot()
    def discardDraft(self) -> None:
        """重新填写: the draft is deleted and the form starts empty."""
        if self._forms is not None:
            self._drafts.discard(self._forms, self._code)

    @Slot(result=bool)
    def saveDraft(self) -> bool:
        """存草稿 (desk mode; a kiosk has no drafts). False when nothing could be saved."""
        forms, form = self._forms, self._form
        if forms is None or form is None or self._state != "ready" or self._resubmit_of:
            return False  # (a returned application is corrected, not drafted)
        return self._drafts.save(forms, self._code, int(form.definition.get("version", 1)), form.draft_values())

    # -- attachments (desk mode) ----------------------------------------------------------------------------
    @Slot(str, "QVariantList")
    def addFiles(self, name: str, files: list[Any]) -> None:
        """Files chosen for an attachment field: each checked and uploaded on a worker, shown meanwhile with its
        progress; once on the server it joins the field's value. Refusals are said on the field."""
        if self._forms is not None and self._desk():
            self._uploads.add(self._forms, self._code, name, files)

    @Slot(str, str)
    def removeAttachment(self, name: str, attachment_id: str) -> None:  # ✕: off the form (the server keeps it)
        self._uploads.remove(name, attachment_id)

    @Slot(str, str)
    def dismissUpload(self, name: str, token: str) -> None:  # ✕ on a file that was refused: its message goes
        self._uploads.dismiss(name, token)

    @Slot("qint64", result=str)
    def sizeText(self, size: int) -> str:
        from campus_common import forms

        return forms.size_text(int(size))

    # -- properties -----------------------------------------------------------------------------------------
    def _get_forms(self) -> QObject | None:
        return self._forms

    def _get_code(self) -> str:
        return self._code

    def _get_resubmit_of(self) -> str:
        return self._resubmit_of

    def _get_return_note(self) -> str:
        return self._return_note

    def _get_next_handler(self) -> str:
        return self._submission.next_handler

    def _get_application_id(self) -> str:
        return self._submission.application_id

    def _get_submit_state(self) -> str:
        return self._submission.state.status

    def _get_submit_error(self) -> str:
        return self._submission.state.error

    def _get_serial(self) -> str:
        return self._submission.state.serial

    def _get_doc_no(self) -> str:
        return self._submission.state.doc_no

    def _get_fields(self) -> QObject:
        return self._model

    def _get_state(self) -> str:
        return self._state

    def _get_valid(self) -> bool:
        return self._form is not None and self._form.error_count == 0 and self._form.uploading == 0

    def _get_error_count(self) -> int:
        return self._form.error_count if self._form is not None else 0

    def _get_uploading(self) -> int:
        return self._form.uploading if self._form is not None else 0

    def _get_has_draft(self) -> bool:
        return self._drafts.offered is not None

    def _get_draft_saved_at(self) -> str:
        return self._drafts.saved_at()

    # The application's part of the form (set in QML: `forms: Forms`); the form loads once it and the code are set.
    forms = Property(QObject, _get_forms, _set_forms, notify=changed)
    processCode = Property(str, _get_code, _set_code, notify=changed)
    resubmitOf = Property(str, _get_resubmit_of, _set_resubmit_of, notify=changed)
    returnNote = Property(str, _get_return_note, notify=changed)
    nextHandler = Property(str, _get_next_handler, notify=changed)
    # The application queued by 提交 ("" until then); `submitted` says when.
    applicationId = Property(str, _get_application_id, notify=changed)
    submitState = Property(str, _get_submit_state, notify=changed)
    submitError = Property(str, _get_submit_error, notify=changed)
    serial = Property(str, _get_serial, notify=changed)
    docNo = Property(str, _get_doc_no, notify=changed)
    fields = Property(QObject, _get_fields, constant=True)
    state = Property(str, _get_state, notify=changed)
    valid = Property(bool, _get_valid, notify=changed)
    errorCount = Property(int, _get_error_count, notify=changed)
    uploading = Property(int, _get_uploading, notify=changed)
    desk = Property(bool, _desk, notify=changed)
    # A draft of this process was found when the form opened: the page asks 继续填写草稿 or 重新填写.
    hasDraft = Property(bool, _get_has_draft, notify=changed)
    # When the draft on offer, or the one just saved, was saved (local time); "" when there is none.
    draftSavedAt = Property(str, _get_draft_saved_at, notify=changed)
