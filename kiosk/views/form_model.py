"""The form of a hall process for QML: its fields as a list model, values typed on the kiosk, and validation
with the server's own code (campus_common/forms.py), offline.

`FormController` is created by the form page (one per visit, destroyed with the page). It reads the definition
from the local store on a worker, fills read-only fields from the logged-in user's profile, checks each field as
it is edited (after the first attempt to submit, every field), and submits through the outbox: the application
is stored locally and queued in one durable transaction.

Desk mode only: attachments are uploaded as they are chosen (on a worker; the value is the list of uploaded
files), and 存草稿 keeps what was typed in the local store, offered again when the same process is opened
(继续填写草稿 / 重新填写) and deleted in the transaction that queues the submission. A kiosk keeps no draft and
no file: its controller refuses both.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import Property, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.views.forms import Forms
from kiosk.views.list_model import RowListModel

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

_TEXT_WIDGETS = {"text", "textarea", "mobile", "idcard", "userid", "number", "money"}


@dataclass(frozen=True)
class FieldRow:
    name: str
    widget: str
    label: str
    required: bool
    placeholder: str
    help: str
    hint: str
    options: tuple[str, ...]
    value: Any
    error: str
    read_only: bool
    desk_only: bool
    max_length: int
    section_title: str  # rows of widget "section" are the headers of the sections, in place
    # Attachment fields (desk mode): the files being uploaded or refused ({token, name, size, progress, state,
    # message}), the last problem with a choice of files, and the field's limits.
    uploads: tuple[dict[str, Any], ...] = ()
    notice: str = ""
    accept: tuple[str, ...] = ()
    max_count: int = 0
    # A handler's 批注 on this field, shown when the returned application is corrected ("贾孟杰：请写明型号").
    annotation: str = ""


class FieldRole(IntEnum):
    Name = Qt.ItemDataRole.UserRole + 1
    Widget = Qt.ItemDataRole.UserRole + 2
    Label = Qt.ItemDataRole.UserRole + 3
    Required = Qt.ItemDataRole.UserRole + 4
    Placeholder = Qt.ItemDataRole.UserRole + 5
    Help = Qt.ItemDataRole.UserRole + 6
    Hint = Qt.ItemDataRole.UserRole + 7
    Options = Qt.ItemDataRole.UserRole + 8
    Value = Qt.ItemDataRole.UserRole + 9
    Error = Qt.ItemDataRole.UserRole + 10
    ReadOnly = Qt.ItemDataRole.UserRole + 11
    DeskOnly = Qt.ItemDataRole.UserRole + 12
    MaxLength = Qt.ItemDataRole.UserRole + 13
    SectionTitle = Qt.ItemDataRole.UserRole + 14
    Uploads = Qt.ItemDataRole.UserRole + 15
    Notice = Qt.ItemDataRole.UserRole + 16
    Accept = Qt.ItemDataRole.UserRole + 17
    MaxCount = Qt.ItemDataRole.UserRole + 18
    Annotation = Qt.ItemDataRole.UserRole + 19


@QmlElement
@QmlUncreatable("FieldListModel comes from FormController.fields")
class FieldListModel(RowListModel):
    ROLES = FieldRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {
        int(FieldRole.Name): "name",
        int(FieldRole.Widget): "widget",
        int(FieldRole.Label): "label",
        int(FieldRole.Required): "required",
        int(FieldRole.Placeholder): "placeholder",
        int(FieldRole.Help): "help",
        int(FieldRole.Hint): "hint",
        int(FieldRole.Options): "options",
        int(FieldRole.Value): "value",
        int(FieldRole.Error): "error",
        int(FieldRole.ReadOnly): "read_only",
        int(FieldRole.DeskOnly): "desk_only",
        int(FieldRole.MaxLength): "max_length",
        int(FieldRole.SectionTitle): "section_title",
        int(FieldRole.Uploads): "uploads",
        int(FieldRole.Notice): "notice",
        int(FieldRole.Accept): "accept",
        int(FieldRole.MaxCount): "max_count",
        int(FieldRole.Annotation): "annotation",
    }
    DISPLAY_ATTR = "label"

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        return list(value) if isinstance(value, tuple) else value


def profile_value(source: str, user: dict[str, Any]) -> str:
    if source == "today":
        return date.today().isoformat()
    if source.startswith("profile."):
        return str(user.get(source.removeprefix("profile.")) or "")
    return ""


def build_rows(definition: dict[str, Any], user: dict[str, Any], mode: str) -> list[FieldRow]:
    """The applicant's fields, in section order, with values prefilled from the profile."""
    from campus_common import forms  # jsonschema loads with the first form, not at start-up

    schema_props = definition["schema"].get("properties", {})
    rows = []
    for section in definition["ui"]["sections"]:
        if section.get("step") is not None:
            continue  # a later step's section: the applicant neither sees it empty nor fills it
        rows.append(
            FieldRow(
                name="section:" + str(section.get("key", len(rows))),
                widget="section",
                label=str(section["title"]),
                required=False,
                placeholder="",
                help="",
                hint="",
                options=(),
                value="",
                error="",
                read_only=True,
                desk_only=False,
                max_length=0,
                section_title=str(section["title"]),
            )
        )
        for name in section["fields"]:
            hints = forms.field_ui(definition, name)
            prop = schema_props.get(name, {})
            widget = hints.get("widget", "text")
            source = hints.get("source")
            value: Any = ""
            if widget == "checkboxes" or widget == "attachment":
                value = []
            elif widget == "daterange":
                value = {"start": "", "end": ""}
            if isinstance(source, str) and source not in forms.SERVER_SOURCES:
                value = profile_value(source, user)
            options = prop.get("enum") or prop.get("items", {}).get("enum") or []
            limits = forms.attachment_limits(definition, name) if widget == "attachment" else None
            rows.append(
                FieldRow(
                    name=name,
                    widget=widget,
                    label=str(hints.get("label", name)),
                    required=forms.is_required(definition, name),
                    placeholder=str(hints.get("placeholder", "")),
                    help=str(hints.get("help", "")),
                    hint=str(hints.get("hint", "")),
                    options=tuple(str(o) for o in options),
                    value=value,
                    error="",
                    read_only=widget == "readonly",
                    desk_only=bool(hints.get("desk_only")) and mode == "kiosk",
                    max_length=int(prop.get("maxLength", 0) or 0),
                    section_title="",
                    accept=tuple(limits.accept) if limits else (),
                    max_count=limits.max_count if limits else 0,
                )
            )
    return rows


def draft_values(rows: list[FieldRow]) -> dict[str, Any]:
    """What a draft keeps: every field the user edits, as typed (valid or not); read-only ones are filled again
    from the profile when the draft is opened."""
    return {r.name: r.value for r in rows if r.widget != "section" and not r.read_only and not r.desk_only}


def restore_draft(rows: list[FieldRow], values: dict[str, Any]) -> tuple[list[FieldRow], set[str]]:
    """Put a draft's values back into the rows of the form as it is now (a field the form no longer has, or
    whose kind of value changed, is left as the form starts it). Returns the rows and the fields restored."""
    out, restored = [], set()
    for row in rows:
        value = values.get(row.name)
        editable = not row.read_only and not row.desk_only and row.widget != "section"
        if row.name in values and editable and isinstance(value, type(row.value)):
            out.append(replace(row, value=value))
            restored.add(row.name)
        else:
            out.append(row)
    return out, restored


def latest_round(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit events since the application was last submitted (its current round)."""
    starts = [i for i, e in enumerate(events) if e.get("action") in ("submit", "resubmit")]
    return events[starts[-1] :] if starts else list(events)


def annotations(events: list[dict[str, Any]]) -> dict[str, str]:
    """The 批注 of this round, per field: "贾孟杰：请写明型号" (several joined by a line break)."""
    out: dict[str, list[str]] = {}
    for event in latest_round(events):
        if event.get("action") == "annotate" and event.get("field"):
            out.setdefault(str(event["field"]), []).append(f"{event.get('actor_name', '')}：{event.get('comment', '')}")
    return {name: "\n".join(notes) for name, notes in out.items()}


def return_note(events: list[dict[str, Any]]) -> str:
    """Why the application is back with its applicant: the latest 退回 (or 撤回) of this round."""
    for event in reversed(latest_round(events)):
        if event.get("action") == "return":
            reason = f"：{event['comment']}" if event.get("comment") else ""
            return f"{event.get('actor_name', '')}退回了申请{reason}"
        if event.get("action") == "withdraw":
            return "您已撤回申请"
    return ""


def _filled(value: Any) -> bool:
    return value not in ("", [], None) and not (isinstance(value, dict) and not any(value.values()))


def _local_time(iso: str) -> str:
    """When a draft was saved, as the user reads it: 14:05 today, else 11-28 14:05."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return ""
    return moment.strftime("%H:%M" if moment.date() == date.today() else "%m-%d %H:%M")


def local_path(file: Any) -> Path:
    """A file the dialog chose (a QUrl or its text) as a path on this machine."""
    if isinstance(file, QUrl):
        return Path(file.toLocalFile())
    text = str(file)
    return Path(QUrl(text).toLocalFile()) if text.startswith("file:") else Path(text)


def to_data(definition: dict[str, Any], rows: list[FieldRow]) -> tuple[dict[str, Any], dict[str, str]]:
    """What is submitted: typed values converted to the schema's types; empty optional fields left out.
    Returns (data, problems the conversion itself found, e.g. letters in a number)."""
    from campus_common import forms  # jsonschema loads with the first form, not at start-up

    props = definition["schema"].get("properties", {})
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for row in rows:
        if row.widget == "section":
            continue
        hints = forms.field_ui(definition, row.name)
        if hints.get("source") in forms.SERVER_SOURCES or row.desk_only:
            continue
        value = row.value
        kind = props.get(row.name, {}).get("type")
        if isinstance(value, str):
            if row.widget not in ("signature",):
                value = value.strip()
            if value == "":
                continue
            if kind in ("number", "integer"):
                try:
                    number = float(value)
                except ValueError:
                    problems[row.name] = "请输入数字"
                    continue
                value = int(number) if kind == "integer" and number.is_integer() else number
                if kind == "integer" and not isinstance(value, int):
                    problems[row.name] = "请输入整数"
                    continue
            elif row.widget in ("userid", "idcard"):
                value = value.upper()  # the manual: letters in IDs are upper-case
        elif value is None or value == [] or (isinstance(value, dict) and not any(value.values())):
            continue  # an empty choice list or date range: not given (a number 0 is a value)
        data[row.name] = value
    return data, problems


@QmlElement
class FormController(QObject):
    """One form being filled. QML sets `processCode`; `fields` is the model the page renders."""

    changed = Signal()
    submitted = Signal(str)  # the application's id, once it is durably queued
    draftSaved = Signal()
    draftFailed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = FieldListModel(self)
        self._forms: Forms | None = None
        self._code = ""
        self._definition: dict[str, Any] | None = None
        self._workflow: dict[str, Any] | None = None
        self._handlers: dict[str, list[dict[str, Any]]] = {}  # step key → holders of its post
        self._next_handler = ""
        self._state = "idle"  # idle | loading | ready | missing | saving | saved
        self._checked_all = False
        self._touched: set[str] = set()
        self._error_count = 0
        self._application_id = ""
        self._submit_state = ""  # after 提交: pending | applied | rejected
        self._submit_error = ""
        self._serial = ""
        self._doc_no = ""
        self._draft: dict[str, Any] | None = None  # the draft found when the form opened, until the user chooses
        self._draft_saved_at = ""
        # 修改后重新提交: the returned application being corrected ("" : a new application), and why it came back.
        self._resubmit_of = ""
        self._resubmitting: dict[str, Any] | None = None
        self._return_note = ""
        self._load_generation = 0
        # Uploads in flight: token → (done, total) bytes, written by the worker, read by a timer here.
        self._progress: dict[str, tuple[int, int]] = {}
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(200)
        self._progress_timer.timeout.connect(self._show_progress)

    def _app(self) -> Forms | None:
        return self._forms

    def _get_forms(self) -> QObject | None:
        return self._forms

    def _set_forms(self, forms: QObject | None) -> None:
        if forms is self._forms:
            return
        self._forms = forms if isinstance(forms, Forms) else None
        if self._code:
            self._load()

    # -- loading --------------------------------------------------------------------------------------------
    def _get_code(self) -> str:
        return self._code

    def _set_code(self, code: str) -> None:
        if code == self._code:
            return
        self._code = code
        self._load()

    def _get_resubmit_of(self) -> str:
        return self._resubmit_of

    def _set_resubmit_of(self, application_id: str) -> None:
        if application_id == self._resubmit_of:
            return
        self._resubmit_of = application_id
        if self._code:
            self._load()

    def _load(self) -> None:
        app = self._app()
        if app is None or app.store is None or not self._code:
            self._set_state("missing")
            return
        self._set_state("loading")
        store, code, resubmit_of = app.store, self._code, self._resubmit_of
        user = app.auth.user_id
        self._load_generation += 1
        generation = self._load_generation

        def read() -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
            # For 选择审核人: read here, with the form, off the GUI thread.
            self._workflow = store.workflow(code)
            self._handlers = store.workflow_handlers(user, code) if user else {}
            returned = store.application_view(user, resubmit_of) if user and resubmit_of else None
            return store.form(code), returned

        def loaded(result: tuple[dict[str, Any] | None, dict[str, Any] | None]) -> None:
            if self._alive() and generation == self._load_generation:
                self._loaded(*result)

        app.workers.run(read, loaded, lambda exc: self._set_state("missing"))

    def _loaded(self, definition: dict[str, Any] | None, returned: dict[str, Any] | None = None) -> None:
        if not self._alive():
            return
        app = self._app()
        if definition is None or app is None or app.auth.current is None:
            self._set_state("missing")
            return
        if self._resubmit_of and returned is None:
            self._set_state("missing")  # not theirs, or no longer on this terminal
            return
        self._definition = definition
        handlers = self._get_next_step().get("handlers") or []
        if len(handlers) == 1:  # as the manual shows it: the one handler there is, already chosen
            self._next_handler = str(handlers[0].get("user_id", ""))
        rows = build_rows(definition, app.auth.current.user, app.config.mode)
        if returned is not None:
            # 修改后重新提交: the form as it was sent, each handler's 批注 on its field, every error shown.
            self._resubmitting = returned
            events = list(returned.get("events") or [])
            self._return_note = return_note(events)
            notes = annotations(events)
            sent = dict(returned.get("data") or {})
            rows, restored = restore_draft(rows, sent)
            # What the server filled (单号) stays as it was; the profile's and today's are filled again.
            rows = [
                replace(r, value=sent[r.name])
                if r.read_only and not _filled(r.value) and _filled(sent.get(r.name))
                else r
                for r in rows
            ]
            rows = [replace(r, annotation=notes.get(r.name, "")) for r in rows]
            self._touched |= restored
            self._serial = str(returned.get("serial") or "")
            self._doc_no = str(returned.get("doc_no") or "")
        self._model.set_rows(rows)
        self._set_state("ready")
        self._revalidate()
        if returned is None:
            self._look_for_draft()

    def _desk(self) -> bool:
        app = self._app()
        return app is not None and app.config.mode == "desk"

    def _alive(self) -> bool:
        """False once the page (and this controller) is gone: a worker's answer then has nowhere to go."""
        return shiboken6.isValid(self)

    def _set_state(self, state: str) -> None:
        self._state = state
        self.changed.emit()

    # -- editing --------------------------------------------------------------------------------------------
    @Slot(str, "QVariant")
    def setValue(self, name: str, value: Any) -> None:
        rows = self._model.rows()
        for i, row in enumerate(rows):
            if row.name == name and not row.read_only:
                if hasattr(value, "toVariant"):
                    value = value.toVariant()
                rows[i] = replace(row, value=value)
                half_range = row.widget == "daterange" and isinstance(value, dict) and not all(value.values())
                if not half_range:  # the start of a range alone is not a mistake yet: wait for its end
                    self._touched.add(name)
                self._model.update_rows(rows)
                self._revalidate()
                return

    @Slot(str)
    def touch(self, name: str) -> None:
        """The user left a field: from now on its errors show."""
        self._touched.add(name)
        self._revalidate()

    def _problems(self) -> dict[str, str]:
        from campus_common import forms

        assert self._definition is not None
        rows = self._model.rows()
        data, problems = to_data(self._definition, rows)
        for row in rows:
            # Half a date range says which half is missing (the schema would call the empty end "not a date").
            if row.widget == "daterange" and isinstance(row.value, dict):
                start, end = row.value.get("start") or "", row.value.get("end") or ""
                if bool(start) != bool(end):
                    problems[row.name] = "请选择结束日期" if start else "请选择开始日期"
        for name, message in forms.validate(self._definition, data).items():
            problems.setdefault(name, message)
        return problems

    def _revalidate(self) -> None:
        if self._definition is None:
            return
        problems = self._problems()
        visible = {n: m for n, m in problems.items() if self._checked_all or n in self._touched}
        rows = [replace(r, error=visible.get(r.name, "")) for r in self._model.rows()]
        self._model.update_rows(rows)
        self._error_count = len(problems)
        self.changed.emit()

    @Slot(result=bool)
    def checkAll(self) -> bool:
        """提交 pressed: show every field's error; True when the form can go (the page then confirms)."""
        self._checked_all = True
        self._revalidate()
        return self._error_count == 0

    @Slot(result=str)
    def firstErrorField(self) -> str:
        return next((r.name for r in self._model.rows() if r.error), "")

    @Slot(result=str)
    def firstAnnotatedField(self) -> str:
        """修改后重新提交: the first field a handler wrote a 批注 on (the page scrolls to it)."""
        return next((r.name for r in self._model.rows() if r.annotation), "")

    @Slot(result="QVariantMap")
    def nextStep(self) -> dict[str, Any]:
        return self._get_next_step()

    def _get_next_step(self) -> dict[str, Any]:
        """完成本操作后，流程将转到以下步骤: the first step of the process's workflow (as last synced) and, when the
        applicant may choose who handles it (选择审核人), the holders to choose from. Empty when not known."""
        workflow = self._workflow or {}
        steps = workflow.get("steps") or []
        if not steps:
            return {}
        first = steps[0]
        handlers = list(self._handlers.get(str(first.get("key")), [])) if first.get("choose") else []
        return {"name": first.get("name", ""), "choose": bool(handlers), "handlers": handlers}

    @Slot(str)
    def chooseHandler(self, user_id: str) -> None:
        """The applicant's choice of handler for the first step ("" : whoever of them takes it first)."""
        self._next_handler = user_id
        self.changed.emit()

    def _get_next_handler(self) -> str:
        return self._next_handler

    @Slot()
    def confirmSubmit(self) -> None:
        """After the confirmation dialog: store the application and its outbox operation in one transaction."""
        app = self._app()
        if app is None or self._definition is None or not self.checkAll():
            return
        data, _ = to_data(self._definition, self._model.rows())
        user = app.auth.user_id
        if user is None:
            return
        if self._resubmit_of:
            self._resubmit(app, user, data)
            return
        application_id = str(uuid.uuid4())
        code, definition = self._code, self._definition
        store = app.store

        def apply_local(session: Any) -> None:
            from kiosk.models.tables import LocalApplication

            if store is not None:
                store.delete_draft(user, code, session)  # the draft goes with the submission, or neither does
            session.add(
                LocalApplication(
                    id=application_id,
                    user_id=user,
                    process_code=code,
                    form_version=int(definition.get("version", 1)),
                    data=data,
                    status="queued",
                    created_at=datetime.now(UTC).isoformat(),
                )
            )

        self._queue(app, "application.submit", application_id, {"process_code": code, "data": data}, apply_local)

    def _resubmit(self, app: Forms, user: str, data: dict[str, Any]) -> None:
        """修改后重新提交: a workflow action on the returned application (the server decides; a refusal shows
        on the page and on the item, and the corrected form stays in the outbox's record)."""
        application_id = self._resubmit_of

        def apply_local(session: Any) -> None:
            from kiosk.models.store import mark_acting
            from kiosk.models.tables import LocalApplication

            mark_acting(session, user, application_id, "resubmit")
            row = session.get(LocalApplication, application_id)
            if row is not None and row.user_id == user:
                row.data = data

        self._queue(app, "workflow.resubmit", application_id, {"data": data}, apply_local)

    def _queue(
        self,
        app: Forms,
        op_type: str,
        application_id: str,
        payload: dict[str, Any],
        apply_local: Callable[[Any], None],
    ) -> None:
        """Queue the submission (or resubmission) with the chosen handler; the page says 已保存 once it is
        durably in the outbox."""
        self._set_state("saving")
        payload = {"application_id": application_id, **payload}
        if self._next_handler:
            payload["next_handler"] = self._next_handler
        started = app.sync.enqueue(
            op_type,
            payload,
            apply_local,
            lambda _op: self._saved(application_id),
            entity=f"application:{application_id}",
        )
        if not started:
            self._set_state("ready")

    def _saved(self, application_id: str) -> None:
        app = self._app()
        if app is not None and self._desk():
            app.hall.reloadDrafts()
        self._application_id = application_id
        self._submit_state = "pending"
        self._set_state("saved")
        self.submitted.emit(application_id)
        app = self._app()
        if app is not None:
            app.sync.settled.connect(self._follow)

    def _follow(self) -> None:
        """After each sync round: where the submission stands (待同步 / 已同步 with its 流水号 / 被拒绝)."""
        app = self._app()
        if not self._alive():
            if app is not None:
                app.sync.settled.disconnect(self._follow)  # the page is gone: nobody to tell
            return
        application_id = self._application_id
        user = app.auth.user_id if app is not None else None
        if app is None or app.store is None or user is None or not application_id:
            return
        store = app.store

        def read() -> tuple[dict[str, Any], dict[str, Any] | None]:
            state = store.op_states(user, f"application:{application_id}").get(f"application:{application_id}", {})
            mine = next((a for a in store.applications(user) if a["id"] == application_id), None)
            return state, mine

        def loaded(result: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
            if not self._alive():
                return  # the page was left while this was read
            state, mine = result
            if state:
                self._submit_state, self._submit_error = state["status"], state["error"]
            if mine is None and self._resubmitting is not None:
                mine = self._resubmitting
            if mine is not None and mine.get("serial"):
                self._serial, self._doc_no = str(mine["serial"]), mine.get("doc_no") or ""
            self.changed.emit()

        app.workers.run(read, loaded)

    # -- drafts (desk mode) -------------------------------------------------------------------------------------
    def _look_for_draft(self) -> None:
        app, code = self._app(), self._code
        user = app.auth.user_id if app is not None else None
        if app is None or app.store is None or user is None or not self._desk() or self._resubmit_of:
            return
        store = app.store

        def found(draft: dict[str, Any] | None) -> None:
            if draft is not None and self._alive() and self._state == "ready":
                self._draft = draft
                self.changed.emit()

        app.workers.run(lambda: store.draft(user, code), found, lambda exc: log.error("reading a draft: %s", exc))

    @Slot()
    def resumeDraft(self) -> None:
        """继续填写草稿: the draft's values back in the form, their errors shown as if each had been left."""
        if self._draft is None:
            return
        rows, restored = restore_draft(self._model.rows(), self._draft.get("data") or {})
        self._draft_saved_at = self._draft.get("saved_at", "")
        self._draft = None
        self._model.update_rows(rows)
        self._touched |= {r.name for r in rows if r.name in restored and _filled(r.value)}
        self._revalidate()

    @Slot()
    def discardDraft(self) -> None:
        """重新填写: the draft is deleted and the form starts empty."""
        app, code = self._app(), self._code
        user = app.auth.user_id if app is not None else None
        self._draft = None
        self.changed.emit()
        if app is not None and app.store is not None and user is not None:
            store = app.store
            app.workers.run(lambda: store.delete_draft(user, code), lambda _: app.hall.reloadDrafts())

    @Slot(result=bool)
    def saveDraft(self) -> bool:
        """存草稿 (desk mode; a kiosk never writes a draft). False when nothing could be saved."""
        app, code, definition = self._app(), self._code, self._definition
        user = app.auth.user_id if app is not None else None
        if not self._desk() or app is None or app.store is None or user is None or definition is None:
            return False
        if self._state != "ready" or self._resubmit_of:  # a returned application is corrected, not drafted
            return False
        store, values, version = app.store, draft_values(self._model.rows()), int(definition.get("version", 1))

        def saved(saved_at: str) -> None:
            app.hall.reloadDrafts()
            if self._alive():
                self._draft_saved_at = saved_at
                self.draftSaved.emit()
                self.changed.emit()

        def failed(exc: Exception) -> None:
            log.error("saving a draft: %s", exc)
            if self._alive():
                self.draftFailed.emit()

        app.workers.run(lambda: store.save_draft(user, code, version, values), saved, failed)
        return True

    # -- attachments (desk mode) ---------------------------------------------------------------------------------
    def _replace_row(self, name: str, **changes: Any) -> FieldRow | None:
        rows = self._model.rows()
        for i, row in enumerate(rows):
            if row.name == name:
                rows[i] = replace(row, **changes)
                self._model.update_rows(rows)
                return rows[i]
        return None

    def _row(self, name: str) -> FieldRow | None:
        return next((r for r in self._model.rows() if r.name == name), None)

    @Slot(str, "QVariantList")
    def addFiles(self, name: str, files: list[Any]) -> None:
        """Files chosen for an attachment field: each checked and uploaded on a worker, shown meanwhile with its
        progress; once on the server it joins the field's value. Refusals are said on the field."""
        from campus_common import forms

        app, row, definition = self._app(), self._row(name), self._definition
        if app is None or row is None or definition is None or row.widget != "attachment" or not self._desk():
            return
        limits = forms.attachment_limits(definition, name)
        paths = [local_path(f) for f in files]
        in_flight = len([u for u in row.uploads if u["state"] == "uploading"])
        room = max(0, limits.max_count - len(row.value) - in_flight)
        notice = ""
        if len(paths) > room:
            notice = f"最多上传 {limits.max_count} 个文件，未添加：" + "、".join(p.name for p in paths[room:])
            paths = paths[:room]
        uploads = [u for u in row.uploads if u["state"] == "uploading"]  # earlier refusals are cleared
        for path in paths:
            token = uuid.uuid4().hex
            uploads.append(
                {"token": token, "name": path.name, "size": 0, "progress": 0.0, "state": "uploading", "message": ""}
            )
            self._start_upload(name, token, path, limits)
        self._replace_row(name, uploads=tuple(uploads), notice=notice)
        self._revalidate()

    def _start_upload(self, name: str, token: str, path: Path, limits: Any) -> None:
        from kiosk.services.api_client import ApiClient
        from kiosk.services.attachments import upload

        app = self._app()
        assert app is not None
        client = ApiClient(app.client.base_url, session=app.client.http)
        client.access_token = app.client.access_token
        code, progress = self._code, self._progress
        progress[token] = (0, 0)

        def moved(done: int, total: int) -> None:  # on the worker: a plain dict write, read by the timer
            progress[token] = (done, total)

        self._progress_timer.start()
        app.workers.run(
            lambda: upload(client, path, code, name, limits, moved),
            lambda item: self._upload_done(name, token, item),
            lambda exc: self._upload_failed(name, token, exc),
        )

    def _show_progress(self) -> None:
        for row in self._model.rows():
            if not any(u["state"] == "uploading" for u in row.uploads):
                continue
            uploads = []
            for u in row.uploads:
                done, total = self._progress.get(u["token"], (0, 0))
                uploads.append(
                    {**u, "progress": done / total if total else 0.0, "size": total} if u["state"] == "uploading" else u
                )
            self._replace_row(row.name, uploads=tuple(uploads))
        if not self._progress:
            self._progress_timer.stop()

    def _upload_done(self, name: str, token: str, item: dict[str, Any]) -> None:
        if not self._alive():
            return
        self._progress.pop(token, None)
        row = self._row(name)
        if row is None:
            return
        value = [*row.value, item] if not any(v.get("id") == item["id"] for v in row.value) else list(row.value)
        self._replace_row(name, value=value, uploads=tuple(u for u in row.uploads if u["token"] != token))
        self._touched.add(name)
        self._revalidate()

    def _upload_failed(self, name: str, token: str, exc: Exception) -> None:
        from kiosk.services.attachments import UploadError

        if not self._alive():
            return
        self._progress.pop(token, None)
        from kiosk.services.attachments import OFFLINE_MESSAGE

        message = exc.message if isinstance(exc, UploadError) else "上传失败，请重试"
        if not isinstance(exc, UploadError):
            log.error("attachment upload failed: %r", exc)
        app = self._app()
        if message == OFFLINE_MESSAGE and app is not None:
            app.server_unreachable()
        row = self._row(name)
        if row is None:
            return
        uploads = tuple({**u, "state": "failed", "message": message} if u["token"] == token else u for u in row.uploads)
        self._replace_row(name, uploads=uploads)
        self._revalidate()

    @Slot(str, str)
    def removeAttachment(self, name: str, attachment_id: str) -> None:
        """✕ on an uploaded file: it leaves the form (the server keeps the upload, unused)."""
        row = self._row(name)
        if row is None or row.widget != "attachment":
            return
        self._replace_row(name, value=[v for v in row.value if v.get("id") != attachment_id])
        self._touched.add(name)
        self._revalidate()

    @Slot(str, str)
    def dismissUpload(self, name: str, token: str) -> None:
        """✕ on a file that was refused: its message goes."""
        row = self._row(name)
        if row is not None:
            self._replace_row(name, uploads=tuple(u for u in row.uploads if u["token"] != token), notice="")

    @Slot("qint64", result=str)
    def sizeText(self, size: int) -> str:
        from campus_common import forms

        return forms.size_text(int(size))

    def _uploading(self) -> int:
        return sum(1 for r in self._model.rows() for u in r.uploads if u["state"] == "uploading")

    # -- properties -------------------------------------------------------------------------------------------
    def _get_fields(self) -> QObject:
        return self._model

    def _get_state(self) -> str:
        return self._state

    def _get_valid(self) -> bool:
        return self._definition is not None and self._error_count == 0 and self._uploading() == 0

    def _get_uploading(self) -> int:
        return self._uploading()

    def _get_desk(self) -> bool:
        return self._desk()

    def _get_has_draft(self) -> bool:
        return self._draft is not None

    def _get_draft_saved_at(self) -> str:
        return _local_time(self._draft.get("saved_at", "") if self._draft is not None else self._draft_saved_at)

    def _get_error_count(self) -> int:
        return self._error_count

    def _get_submit_state(self) -> str:
        return self._submit_state

    def _get_submit_error(self) -> str:
        return self._submit_error

    def _get_serial(self) -> str:
        return self._serial

    def _get_doc_no(self) -> str:
        return self._doc_no

    def _get_return_note(self) -> str:
        return self._return_note

    # The application's part of the form (set in QML: `forms: Forms`); the form loads once it and the code are set.
    forms = Property(QObject, _get_forms, _set_forms, notify=changed)
    processCode = Property(str, _get_code, _set_code, notify=changed)
    resubmitOf = Property(str, _get_resubmit_of, _set_resubmit_of, notify=changed)
    returnNote = Property(str, _get_return_note, notify=changed)
    nextHandler = Property(str, _get_next_handler, notify=changed)
    submitState = Property(str, _get_submit_state, notify=changed)
    submitError = Property(str, _get_submit_error, notify=changed)
    serial = Property(str, _get_serial, notify=changed)
    docNo = Property(str, _get_doc_no, notify=changed)
    fields = Property(QObject, _get_fields, constant=True)
    state = Property(str, _get_state, notify=changed)
    valid = Property(bool, _get_valid, notify=changed)
    errorCount = Property(int, _get_error_count, notify=changed)
    uploading = Property(int, _get_uploading, notify=changed)
    desk = Property(bool, _get_desk, notify=changed)
    # A draft of this process was found when the form opened: the page asks 继续填写草稿 or 重新填写.
    hasDraft = Property(bool, _get_has_draft, notify=changed)
    # When the draft on offer, or the one just saved, was saved (local time); "" when there is none.
    draftSavedAt = Property(str, _get_draft_saved_at, notify=changed)
