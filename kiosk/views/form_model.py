"""The form of a hall process for QML: its fields as a list model, values typed on the kiosk, and validation
with the server's own code (sync_server/core/forms.py), offline.

`FormController` is created by the form page (one per visit, destroyed with the page, so a kiosk keeps no
draft past logout). It reads the definition from the local store on a worker, fills read-only fields from the
logged-in user's profile, checks each field as it is edited (after the first attempt to submit, every field),
and submits through the outbox: the application is stored locally and queued in one durable transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Property, QObject, Qt, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.views.list_model import RowListModel

if TYPE_CHECKING:
    from kiosk.views.app_state import AppState

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
    from sync_server.core import forms  # jsonschema loads with the first form, not at start-up

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
                )
            )
    return rows


def to_data(definition: dict[str, Any], rows: list[FieldRow]) -> tuple[dict[str, Any], dict[str, str]]:
    """What is submitted: typed values converted to the schema's types; empty optional fields left out.
    Returns (data, problems the conversion itself found, e.g. letters in a number)."""
    from sync_server.core import forms  # jsonschema loads with the first form, not at start-up

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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = FieldListModel(self)
        self._code = ""
        self._definition: dict[str, Any] | None = None
        self._state = "idle"  # idle | loading | ready | missing | saving | saved
        self._checked_all = False
        self._touched: set[str] = set()
        self._error_count = 0
        self._application_id = ""
        self._submit_state = ""  # after 提交: pending | applied | rejected
        self._submit_error = ""
        self._serial = ""
        self._doc_no = ""

    @staticmethod
    def _app() -> AppState | None:
        from kiosk.views import context

        state: AppState | None = context.lookup("AppState")
        return state

    # -- loading --------------------------------------------------------------------------------------------
    def _get_code(self) -> str:
        return self._code

    def _set_code(self, code: str) -> None:
        if code == self._code:
            return
        self._code = code
        self._load()

    def _load(self) -> None:
        app = self._app()
        if app is None or app.store is None or not self._code:
            self._set_state("missing")
            return
        self._set_state("loading")
        store, code = app.store, self._code
        app.tasks.run(lambda: store.form(code), self._loaded, lambda exc: self._set_state("missing"))

    def _loaded(self, definition: dict[str, Any] | None) -> None:
        app = self._app()
        if definition is None or app is None or app.auth.current is None:
            self._set_state("missing")
            return
        self._definition = definition
        self._model.set_rows(build_rows(definition, app.auth.current.user, app.config.mode))
        self._set_state("ready")
        self._revalidate()

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
        from sync_server.core import forms

        assert self._definition is not None
        data, problems = to_data(self._definition, self._model.rows())
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

    @Slot()
    def confirmSubmit(self) -> None:
        """After the confirmation dialog: store the application and its outbox operation in one transaction."""
        app = self._app()
        if app is None or self._definition is None or not self.checkAll():
            return
        data, _ = to_data(self._definition, self._model.rows())
        application_id = str(uuid.uuid4())
        code, definition = self._code, self._definition
        user = app.sync._user()
        if user is None:
            return

        def apply_local(session: Any) -> None:
            from kiosk.models.tables import LocalApplication

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

        self._set_state("saving")
        payload = {"application_id": application_id, "process_code": code, "data": data}
        started = app.sync.enqueue(
            "application.submit",
            payload,
            apply_local,
            lambda _op: self._saved(application_id),
            entity=f"application:{application_id}",
        )
        if not started:
            self._set_state("ready")

    def _saved(self, application_id: str) -> None:
        self._application_id = application_id
        self._submit_state = "pending"
        self._set_state("saved")
        self.submitted.emit(application_id)
        app = self._app()
        if app is not None:
            app.sync.settled.connect(self._follow)

    def _follow(self) -> None:
        """After each sync round: where the submission stands (待同步 / 已同步 with its 流水号 / 被拒绝)."""
        app, application_id = self._app(), self._application_id
        user = app.sync._user() if app is not None else None
        if app is None or app.store is None or user is None or not application_id:
            return
        store = app.store

        def read() -> tuple[dict[str, Any], dict[str, Any] | None]:
            state = store.op_states(user, f"application:{application_id}").get(f"application:{application_id}", {})
            mine = next((a for a in store.applications(user) if a["id"] == application_id), None)
            return state, mine

        def loaded(result: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
            state, mine = result
            if state:
                self._submit_state, self._submit_error = state["status"], state["error"]
            if mine is not None and mine.get("serial"):
                self._serial, self._doc_no = str(mine["serial"]), mine.get("doc_no") or ""
            self.changed.emit()

        app.tasks.run(read, loaded)

    # -- properties -------------------------------------------------------------------------------------------
    def _get_fields(self) -> QObject:
        return self._model

    def _get_state(self) -> str:
        return self._state

    def _get_valid(self) -> bool:
        return self._definition is not None and self._error_count == 0

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

    processCode = Property(str, _get_code, _set_code, notify=changed)
    submitState = Property(str, _get_submit_state, notify=changed)
    submitError = Property(str, _get_submit_error, notify=changed)
    serial = Property(str, _get_serial, notify=changed)
    docNo = Property(str, _get_doc_no, notify=changed)
    fields = Property(QObject, _get_fields, constant=True)
    state = Property(str, _get_state, notify=changed)
    valid = Property(bool, _get_valid, notify=changed)
    errorCount = Property(int, _get_error_count, notify=changed)
