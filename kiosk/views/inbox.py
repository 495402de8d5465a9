"""办件 for QML: 待办 (my tasks), 已办 (handled by me), 我的申请 (started by me), the notification centre, and the
workflow actions, all from the local store (synced), so they work offline. An action is an outbox operation
(`workflow.<action>`); the server decides, and a refusal shows on the item with the server's reason.

The store is read on a worker; nothing here waits on the network or the disk on the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum, auto
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QmlUncreatable, QQmlEngine

from campus_common import statuses
from kiosk.services.form_fields import annotations
from kiosk.views.context import singleton_for
from kiosk.views.list_model import RowListModel
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.catalog import Catalog
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

BOXES = ("todo", "done", "mine")
# Statuses a list can be filtered by, in the order the filter shows them: the server's, and the kiosk's own
# for an application still in its outbox.
STATUS_NAMES = {statuses.QUEUED: statuses.QUEUED_NAME, **statuses.STATUS_NAMES}


def waiting_text(since: str | None, now: datetime | None = None) -> str:
    """How long an item has waited, as a person says it: 刚刚, 12 分钟, 3 小时, 2 天."""
    if not since:
        return ""
    try:
        started = datetime.fromisoformat(since)
    except ValueError:
        return ""
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    seconds = max(0.0, ((now or datetime.now(UTC)) - started).total_seconds())
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时"
    return f"{int(seconds // 86400)} 天"


def _overdue(due_at: str | None, now: datetime) -> bool:
    if not due_at:
        return False
    try:
        due = datetime.fromisoformat(due_at)
    except ValueError:
        return False
    return (due if due.tzinfo else due.replace(tzinfo=UTC)) < now


@dataclass(frozen=True)
class WorkItem:
    """One row of 待办 / 已办 / 我的申请."""

    application_id: str
    task_id: str
    process_code: str
    name: str
    applicant: str
    serial: str
    status: str
    status_name: str
    step_name: str
    waiting: str
    overdue: bool
    pending_action: str
    sync_state: str
    sync_error: str
    created_at: str


class WorkItemRole(IntEnum):
    ApplicationId = auto()
    TaskId = auto()
    ProcessCode = auto()
    Name = auto()
    Applicant = auto()
    Serial = auto()
    Status = auto()
    StatusName = auto()
    StepName = auto()
    Waiting = auto()
    Overdue = auto()
    PendingAction = auto()
    SyncState = auto()
    SyncError = auto()
    CreatedAt = auto()


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


@QmlElement
@QmlUncreatable("WorkItemListModel comes from Inbox.items")
class WorkItemListModel(RowListModel):
    ROLES = WorkItemRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(r): _snake(r.name) for r in WorkItemRole}


@dataclass(frozen=True)
class NotificationRow:
    id: str
    kind: str
    title: str
    body: str
    application_id: str
    read: bool
    when: str
    name: str = ""


class NotificationRole(IntEnum):
    Id = auto()
    Kind = auto()
    Title = auto()
    Body = auto()
    ApplicationId = auto()
    Read = auto()
    When = auto()


@QmlElement
@QmlUncreatable("NotificationListModel comes from Inbox.notifications")
class NotificationListModel(RowListModel):
    ROLES = NotificationRole
    ROLE_ATTRS: ClassVar[dict[int, str]] = {int(r): _snake(r.name) for r in NotificationRole}
    DISPLAY_ATTR = "title"


def item_from_task(task: dict[str, Any], names: dict[str, str], now: datetime) -> WorkItem:
    app = task.get("application") or {}
    status = str(app.get("status", ""))
    return WorkItem(
        application_id=str(task.get("application_id", "")),
        task_id=str(task.get("id", "")),
        process_code=str(task.get("process_code", "")),
        name=names.get(str(task.get("process_code", "")), str(app.get("process_name", ""))),
        applicant=str((app.get("applicant") or {}).get("name", "")),
        serial=str(app.get("serial") or "待分配"),
        status=status,
        status_name=str(app.get("status_name") or STATUS_NAMES.get(status, status)),
        step_name=str(task.get("step_name", "")),
        waiting=waiting_text(task.get("created_at") if task.get("box") == "todo" else None, now),
        overdue=task.get("box") == "todo" and _overdue(task.get("due_at"), now),
        pending_action=str(task.get("pending_action", "")),
        sync_state="",
        sync_error="",
        created_at=str(task.get("created_at", "")),
    )


def item_from_application(app: dict[str, Any], names: dict[str, str], now: datetime) -> WorkItem:
    status = str(app.get("status", ""))
    waiting_since = app.get("step_started_at") if status not in ("completed", "rejected", "terminated") else None
    return WorkItem(
        application_id=str(app.get("id", "")),
        task_id="",
        process_code=str(app.get("process_code", "")),
        name=names.get(str(app.get("process_code", "")), str(app.get("process_name", ""))),
        applicant=str((app.get("applicant") or {}).get("name", "")),
        serial=str(app.get("serial") or "待分配"),
        status=status,
        status_name=str(app.get("status_name") or STATUS_NAMES.get(status, status)),
        step_name=str(app.get("current_step_name") or ""),
        waiting=waiting_text(waiting_since, now),
        overdue=_overdue(app.get("due_at"), now),
        pending_action="",
        sync_state="",
        sync_error="",
        created_at=str(app.get("created_at", "")),
    )


def _display(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_display(v) for v in value)
    if isinstance(value, dict):
        if "start" in value:
            return f"{value.get('start', '')} 至 {value.get('end', '')}"
        return str(value.get("name") or "")
    if value is None:
        return ""
    return str(value)


def form_sections(
    form: dict[str, Any], data: dict[str, Any], notes: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The form as the progress page shows it: each section (the applicant's and each step's) with its
    fields' labels, values and this round's 批注; sections of steps not reached yet are left out."""
    notes = notes or {}
    out = []
    for section in form.get("ui", {}).get("sections", []):
        rows = []
        for name in section.get("fields", []):
            hints = form["ui"]["fields"].get(name, {})
            if hints.get("widget") == "signature":
                value = "已签名" if data.get(name) else ""
            else:
                value = _display(data.get(name))
            rows.append({"name": name, "label": hints.get("label", name), "value": value, "note": notes.get(name, "")})
        if section.get("step") and not any(r["value"] for r in rows):
            continue
        out.append({"title": section.get("title", ""), "step": section.get("step") or "", "rows": rows})
    return out


def step_inputs(form: dict[str, Any], section_key: str | None) -> list[dict[str, Any]]:
    """What the holder of a step fills in (its section's editable fields): widget, options, placeholder."""
    if not section_key:
        return []
    from campus_common import forms

    out = []
    for name in forms.step_fields(form, section_key):
        hints = form["ui"]["fields"].get(name, {})
        if hints.get("widget") == "readonly":
            continue  # 接收人, 接收时间: filled from the actor's records by the server
        prop = form["schema"]["properties"].get(name, {})
        out.append(
            {
                "name": name,
                "label": hints.get("label", name),
                "widget": hints.get("widget", "text"),
                "options": list(prop.get("enum") or []),
                "placeholder": hints.get("placeholder", ""),
                "required": forms.is_required(form, name),
            }
        )
    return out


@QmlElement
@QmlSingleton
class Inbox(QObject):
    """待办 / 已办 / 我的申请 with filters, the counters of 首页 and the bell, the notification centre, and the
    actions on an application."""

    changed = Signal()
    countsChanged = Signal()
    # The box's rows were read again or another box was chosen (not a filter): the filters' choices change.
    revisionChanged = Signal()
    # A notification that arrived since the last look (desk mode shows it in the system tray).
    notified = Signal(str, str)
    # An action of this user the server refused (someone else handled the task first …): the process's name and
    # the server's reason, said once, even when the item itself is gone from the boxes.
    refused = Signal(str, str)

    def __init__(
        self, state: AppState, auth: AuthService, catalog: Catalog, session: Session, sync: Sync, workers: WorkerPool
    ) -> None:
        super().__init__(state)
        self._auth, self._catalog, self._sync = auth, catalog, sync
        self._items = WorkItemListModel(self)
        self._notifications = NotificationListModel(self)
        self._box = "todo"
        self._process_filter = ""
        self._status_filter = ""
        self._data: dict[str, list[dict[str, Any]]] = {box: [] for box in BOXES}
        self._counts = {"todo": 0, "done": 0, "mine": 0, "unread": 0}
        self._states: dict[str, dict[str, str]] = {}
        self._seen_notifications: set[str] | None = None
        self._reader = LatestPersonalRead(state, auth, workers)
        self._revision = 0
        self._forms: dict[str, dict[str, Any]] = {}
        session.signedIn.connect(self.reload)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self.reload)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Inbox", engine)

    # -- reading ------------------------------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the user's boxes, counts and notifications from the local store (on a worker)."""

        def read(store: LocalStore, user: str) -> dict[str, Any]:
            todo, done, mine = store.tasks(user, "todo"), store.tasks(user, "done"), store.applications(user)
            codes = {str(x.get("process_code", "")) for x in todo + done + mine}
            return {
                "todo": todo,
                "done": done,
                "mine": mine,
                "forms": {code: store.form(code) for code in codes if code},
                "counts": store.inbox_counts(user),
                "notifications": store.notifications(user),
                "states": store.op_states(user, "application:"),
            }

        def loaded(result: dict[str, Any]) -> None:
            self._announce_refusals(self._states, result["states"])  # before the boxes forget a taken task
            for box in BOXES:
                self._data[box] = result[box]
            self._counts = result["counts"]
            self._states = result["states"]
            self._forms = {code: form for code, form in result["forms"].items() if form}
            self._set_notifications(result["notifications"])
            self._publish()
            self._bump()
            self.countsChanged.emit()

        self._reader.run(read, loaded)

    def _announce_refusals(self, before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> None:
        names = self._names()
        known = {str(x.get("application_id") or x.get("id")): x for box in BOXES for x in self._data[box]}
        for entity, state in after.items():
            if state.get("status") != "rejected" or before.get(entity, {}).get("status") != "pending":
                continue
            item = known.get(entity.removeprefix("application:"), {})
            code = str(item.get("process_code", ""))
            self.refused.emit(names.get(code, ""), state.get("error", ""))

    def _bump(self) -> None:
        self._revision += 1
        self.revisionChanged.emit()

    def _set_notifications(self, notes: list[dict[str, Any]]) -> None:
        rows = [
            NotificationRow(
                id=str(n.get("id", "")),
                kind=str(n.get("kind", "")),
                title=str(n.get("title", "")),
                body=str(n.get("body", "")),
                application_id=str(n.get("application_id") or ""),
                read=bool(n.get("read")),
                when=waiting_text(n.get("created_at")),
            )
            for n in notes
        ]
        self._notifications.set_rows(rows)
        ids = {r.id for r in rows}
        if self._seen_notifications is not None:
            for row in rows:
                if row.id not in self._seen_notifications and not row.read:
                    self.notified.emit(row.title, row.body)
        self._seen_notifications = ids

    def _names(self) -> dict[str, str]:
        return {code: str(raw.get("name", "")) for code, raw in self._catalog.raw_processes().items()}

    def _publish(self) -> None:
        now = datetime.now(UTC)
        names = self._names()
        if self._box == "mine":
            items = [item_from_application(a, names, now) for a in self._data["mine"]]
        else:
            items = [item_from_task(t, names, now) for t in self._data[self._box]]
        decorated = []
        for item in items:
            if self._process_filter and item.process_code != self._process_filter:
                continue
            if self._status_filter and item.status != self._status_filter:
                continue
            state = self._states.get(f"application:{item.application_id}", {})
            decorated.append(
                WorkItem(
                    **{
                        **item.__dict__,
                        "sync_state": state.get("status", ""),
                        "sync_error": state.get("error", ""),
                    }
                )
            )
        self._items.set_rows(decorated)
        self.changed.emit()

    def _forget(self, _reason: str = "") -> None:
        self._reader.forget()
        self._data = {box: [] for box in BOXES}
        self._counts = {"todo": 0, "done": 0, "mine": 0, "unread": 0}
        self._states = {}
        self._seen_notifications = None
        self._notifications.set_rows([])
        self._publish()
        self._bump()
        self.countsChanged.emit()

    @Slot(str)
    def setBox(self, box: str) -> None:
        if box in BOXES and box != self._box:
            self._box = box
            self._process_filter = self._status_filter = ""
            self._publish()
            self._bump()

    @Slot(str, str)
    def setFilter(self, process_code: str, status: str) -> None:
        self._process_filter, self._status_filter = process_code, status
        self._publish()

    @Slot(result="QVariantList")
    def processChoices(self) -> list[dict[str, str]]:
        """The processes that occur in the current box, for its filter."""
        names = self._names()
        source = self._data[self._box]
        codes = sorted({str(x.get("process_code", "")) for x in source})
        return [{"code": c, "name": names.get(c, c)} for c in codes if c]

    @Slot(result="QVariantList")
    def statusChoices(self) -> list[dict[str, str]]:
        present = {str((x.get("application") or x).get("status", "")) for x in self._data[self._box]}
        return [{"code": c, "name": n} for c, n in STATUS_NAMES.items() if c in present]

    @Slot(str, result="QVariantMap")
    def detail(self, application_id: str) -> dict[str, Any]:
        """What the progress page shows: the application as the server last described it (steps, events,
        actions, form data) and the user's own task on it, if any. Read from memory: the boxes were loaded."""
        task = next(
            (t for box in ("todo", "done") for t in self._data[box] if t.get("application_id") == application_id),
            None,
        )
        own = next((a for a in self._data["mine"] if a.get("id") == application_id), None)
        app = own or (task or {}).get("application") or {}
        state = self._states.get(f"application:{application_id}", {})
        form = self._forms.get(str(app.get("process_code", "")))
        open_task = task if task and task.get("box") == "todo" else None
        handling = open_task is not None and open_task.get("kind") not in ("apply", "confirm")
        notes = annotations(list(app.get("events") or []))
        actions = set((open_task or {}).get("actions") or []) | (set(app.get("actions") or []) if own else set())
        return {
            "application": app,
            "name": self._names().get(str(app.get("process_code", "")), str(app.get("process_name", ""))),
            "task": task or {},
            "open": open_task is not None,
            "mine": own is not None,
            "sections": form_sections(form, app.get("data") or {}, notes) if form else [],
            # 退回 to the applicant or to the step before (the server says which exist); 转办 to a colleague.
            "returnTargets": list((open_task or {}).get("return_targets") or [{"to": "applicant", "name": "申请人"}]),
            "transferCandidates": list((open_task or {}).get("transfer_candidates") or []) if handling else [],
            # A holder of a handling step may write a 批注 on a field; the applicant corrects and resubmits.
            "canAnnotate": handling and "comment" in actions,
            "canComment": "comment" in actions,
            "canResubmit": own is not None and "resubmit" in actions,
            "stepFields": step_inputs(form, open_task.get("section")) if form and open_task else [],
            "syncState": state.get("status", ""),
            "syncError": state.get("error", ""),
        }

    @Slot(str, "QVariantMap", result="QVariantMap")
    def checkStep(self, application_id: str, values: dict[str, Any]) -> dict[str, str]:
        """The step section's values checked with the form's own rules (offline; the server checks again):
        {field: Chinese message}, empty when they may be sent."""
        detail = self.detail(application_id)
        task, app = detail["task"], detail["application"]
        form = self._forms.get(str(app.get("process_code", "")))
        section = task.get("section")
        if not form or not section:
            return {}
        from campus_common import forms

        editable = {f["name"] for f in detail["stepFields"]}
        data = forms.normalise(form, {k: v for k, v in values.items() if k in editable and v not in ("", None)})
        problems = forms.validate(form, data, step=section)
        return {k: v for k, v in problems.items() if k in editable or k == ""}

    # -- writing ------------------------------------------------------------------------------------------------
    @Slot(str, str, "QVariantMap", result=bool)
    def act(self, application_id: str, action: str, args: dict[str, Any]) -> bool:
        """Queue a workflow action (approve, return, reject, transfer, withdraw, terminate, urge, comment,
        resubmit) with its arguments (task_id, comment, data, next_handler, to, transfer_to, field)."""
        user = self._auth.user_id
        if user is None:
            return False
        payload = {"application_id": application_id, **{k: v for k, v in args.items() if v not in (None, "")}}
        if "task_id" in payload:
            try:
                payload["task_id"] = int(payload["task_id"])
            except (TypeError, ValueError):
                return False

        def apply_local(session: Any) -> None:
            from kiosk.models.store import mark_acting

            mark_acting(session, user, application_id, action)

        def saved(_op: dict[str, Any]) -> None:
            self._states[f"application:{application_id}"] = {"status": "pending", "error": ""}
            self.reload()

        return self._sync.enqueue(
            f"workflow.{action}", payload, apply_local, saved, entity=f"application:{application_id}"
        )

    @Slot(str)
    def markRead(self, notification_id: str) -> None:
        self._mark([notification_id])

    @Slot()
    def markAllRead(self) -> None:
        self._mark(None)

    def _mark(self, ids: list[str] | None) -> None:
        user = self._auth.user_id
        if user is None:
            return
        payload: dict[str, Any] = {"all": True} if ids is None else {"ids": [int(i) for i in ids if i.isdigit()]}

        def apply_local(session: Any) -> None:
            from kiosk.models.store import mark_read

            mark_read(session, user, ids)

        self._sync.enqueue("notification.read", payload, apply_local, lambda _op: self.reload())

    # -- properties ---------------------------------------------------------------------------------------------
    def _get_items(self) -> QObject:
        return self._items

    def _get_notifications(self) -> QObject:
        return self._notifications

    def _get_revision(self) -> int:
        return self._revision

    def _get_box(self) -> str:
        return self._box

    def _todo(self) -> int:
        return int(self._counts.get("todo", 0))

    def _done(self) -> int:
        return int(self._counts.get("done", 0))

    def _mine(self) -> int:
        return int(self._counts.get("mine", 0))

    def _unread(self) -> int:
        return int(self._counts.get("unread", 0))

    items = Property(WorkItemListModel, _get_items, constant=True)
    notifications = Property(NotificationListModel, _get_notifications, constant=True)
    box = Property(str, _get_box, notify=changed)
    revision = Property(int, _get_revision, notify=revisionChanged)
    todoCount = Property(int, _todo, notify=countsChanged)
    doneCount = Property(int, _done, notify=countsChanged)
    mineCount = Property(int, _mine, notify=countsChanged)
    unreadCount = Property(int, _unread, notify=countsChanged)
