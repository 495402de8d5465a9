"""办件's lists without Qt: one read of the user's 待办 / 已办 / 我的申请 from the local store, their rows as the
lists show them (waiting time, overdue, 待分配), the filters' choices, and the user's actions the server refused
between two reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from campus_common import statuses
from kiosk.services import worklist
from kiosk.services.work_item import WorkItem

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore

BOXES = ("todo", "done", "mine")
# Statuses a list can be filtered by, in the order the filter shows them: the server's, and the kiosk's own
# for an application still in its outbox.
FILTER_STATUSES = {statuses.QUEUED: statuses.QUEUED_NAME, **statuses.STATUS_NAMES}
PENDING = {"status": "pending", "error": ""}


def application_entity(application_id: str) -> str:
    """The outbox entity whose state (待同步 / 已同步 / 被拒绝) an application's rows and page show."""
    return f"application:{application_id}"


@dataclass(frozen=True)
class InboxSnapshot:
    """One read of the user's 办件 from the local store. The lists, the counters, the bell and the progress
    page all show the newest one, so none of them reads the store itself."""

    todo: list[dict[str, Any]] = field(default_factory=list)  # open tasks, the longest waiting first
    done: list[dict[str, Any]] = field(default_factory=list)  # one task per application handled, latest first
    mine: list[dict[str, Any]] = field(default_factory=list)  # the user's applications, newest first
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # the boxes' processes' forms, by code
    counts: dict[str, int] = field(default_factory=lambda: {"todo": 0, "done": 0, "mine": 0, "unread": 0})
    notifications: list[dict[str, Any]] = field(default_factory=list)
    states: dict[str, dict[str, str]] = field(default_factory=dict)  # outbox state by application entity

    def box(self, name: str) -> list[dict[str, Any]]:
        return {"todo": self.todo, "done": self.done, "mine": self.mine}[name]

    def state_of(self, application_id: str) -> dict[str, str]:
        return self.states.get(application_entity(application_id), {})

    def with_pending(self, application_id: str) -> InboxSnapshot:
        """This read, with an action on the application just queued: a refusal in the next read is news."""
        return replace(self, states={**self.states, application_entity(application_id): dict(PENDING)})


def read_inbox(store: LocalStore, user_id: str) -> InboxSnapshot:
    """Everything 办件 shows of the user, from the local store. Blocking: run it on a worker."""
    todo, done, mine = store.tasks(user_id, "todo"), store.tasks(user_id, "done"), store.applications(user_id)
    codes = {str(x.get("process_code", "")) for x in todo + done + mine} - {""}
    forms = {code: form for code in codes if (form := store.form(code))}
    return InboxSnapshot(
        todo=todo,
        done=done,
        mine=mine,
        forms=forms,
        counts=store.inbox_counts(user_id),
        notifications=store.notifications(user_id),
        states=store.op_states(user_id, "application:"),
    )


def waiting_text(since: str | None, now: datetime | None = None) -> str:
    """How long an item has waited, as a person says it: 刚刚, 12 分钟, 3 小时, 2 天."""
    started = _moment(since)
    if started is None:
        return ""
    seconds = max(0.0, ((now or datetime.now(UTC)) - started).total_seconds())
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时"
    return f"{int(seconds // 86400)} 天"


def is_overdue(due_at: str | None, now: datetime) -> bool:
    due = _moment(due_at)
    return due is not None and due < now


def _moment(iso: str | None) -> datetime | None:
    """A time the server sent; one without a zone is UTC."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def outcome(status: str) -> str:
    """How an application ended: "completed" (办结), "stopped" (不予办理, 已终止), or "" while it is open."""
    if not statuses.is_final(status):
        return ""
    return "completed" if status == "completed" else "stopped"


def item_from_task(
    task: dict[str, Any], names: dict[str, str], now: datetime, form: dict[str, Any] | None = None
) -> WorkItem:
    app = task.get("application") or {}
    data = app.get("data") or {}
    status = str(app.get("status", ""))
    code = str(task.get("process_code", ""))
    waits = task.get("box") == "todo"  # a handled task no longer waits on anyone
    return WorkItem(
        application_id=str(task.get("application_id", "")),
        task_id=str(task.get("id", "")),
        process_code=code,
        name=names.get(code, str(app.get("process_name", ""))),
        applicant=str((app.get("applicant") or {}).get("name", "")),
        serial=str(app.get("serial") or "待分配"),
        status=status,
        status_name=str(app.get("status_name") or FILTER_STATUSES.get(status, status)),
        outcome=outcome(status),
        # An open task is at its own step; a handled one shows where the application is now, as the server says.
        step_name=str(task.get("step_name", "") if waits else app.get("current_step_name") or ""),
        waiting=waiting_text(task.get("created_at") if waits else None, now),
        overdue=waits and is_overdue(task.get("due_at"), now),
        pending_action=str(task.get("pending_action", "")),
        sync_state="",
        sync_error="",
        created_at=str(task.get("created_at", "")),
        applicant_id=str((app.get("applicant") or {}).get("user_id", "")),
        applicant_group=worklist.applicant_group(data),
        summary=worklist.summary(form, data),
        submitted_at=worklist.clock_text(str(app.get("created_at") or ""), now),
        submitted_at_iso=str(app.get("created_at") or ""),
        due_at=str(task.get("due_at") or "") if waits else "",
        due_text=worklist.clock_text(str(task.get("due_at") or ""), now) if waits else "",
        quick=waits and not worklist.needs_input(task, form),
    )


def item_from_application(app: dict[str, Any], names: dict[str, str], now: datetime) -> WorkItem:
    status = str(app.get("status", ""))
    code = str(app.get("process_code", ""))
    return WorkItem(
        application_id=str(app.get("id", "")),
        task_id="",
        process_code=code,
        name=names.get(code, str(app.get("process_name", ""))),
        applicant=str((app.get("applicant") or {}).get("name", "")),
        serial=str(app.get("serial") or "待分配"),
        status=status,
        status_name=str(app.get("status_name") or FILTER_STATUSES.get(status, status)),
        outcome=outcome(status),
        step_name=str(app.get("current_step_name") or ""),
        waiting=waiting_text(None if statuses.is_final(status) else app.get("step_started_at"), now),
        overdue=is_overdue(app.get("due_at"), now),
        pending_action="",
        sync_state="",
        sync_error="",
        created_at=str(app.get("created_at", "")),
    )


def box_items(
    snapshot: InboxSnapshot,
    box: str,
    names: dict[str, str],
    now: datetime,
    *,
    process_code: str = "",
    status: str = "",
) -> list[WorkItem]:
    """The rows of one box, filtered by process and status (empty: any), each with its outbox state."""
    if box == "mine":
        items = [item_from_application(a, names, now) for a in snapshot.mine]
    else:
        items = [
            item_from_task(t, names, now, snapshot.forms.get(str(t.get("process_code", "")))) for t in snapshot.box(box)
        ]
    out = []
    for item in items:
        if (process_code and item.process_code != process_code) or (status and item.status != status):
            continue
        state = snapshot.state_of(item.application_id)
        out.append(replace(item, sync_state=state.get("status", ""), sync_error=state.get("error", "")))
    return out


def process_choices(snapshot: InboxSnapshot, box: str, names: dict[str, str]) -> list[dict[str, str]]:
    """The processes that occur in the box, for its filter, by code."""
    codes = sorted({str(x.get("process_code", "")) for x in snapshot.box(box)} - {""})
    return [{"code": c, "name": names.get(c, c)} for c in codes]


def status_choices(snapshot: InboxSnapshot, box: str) -> list[dict[str, str]]:
    """The statuses that occur in the box, for its filter, in the filter's order."""
    present = {str((x.get("application") or x).get("status", "")) for x in snapshot.box(box)}
    return [{"code": c, "name": n} for c, n in FILTER_STATUSES.items() if c in present]


@dataclass(frozen=True)
class Refusal:
    process_name: str  # "" when the catalog does not know the process
    reason: str  # the server's, in Chinese


class RefusalWatch:
    """The user's actions the server refused, each said once, named after its process. The process is taken
    when the action is queued: a read may already have dropped the task (someone else took it first) by the
    time the refusal itself is read."""

    def __init__(self) -> None:
        self._processes: dict[str, str] = {}  # application entity → process code, while its action is on its way

    def queued(self, application_id: str, process_code: str) -> None:
        self._processes[application_entity(application_id)] = process_code

    def news(self, before: InboxSnapshot, after: InboxSnapshot, names: dict[str, str]) -> list[Refusal]:
        """The refusals between two reads: an application whose operation was pending and is now rejected. A
        refusal known before (an earlier session's) is not news."""
        known = {str(x.get("application_id") or x.get("id")): x for box in BOXES for x in before.box(box)}
        out = []
        for entity, state in after.states.items():
            status = state.get("status")
            if status == "rejected" and before.states.get(entity, {}).get("status") == "pending":
                item = known.get(entity.removeprefix(application_entity("")), {})
                code = self._processes.get(entity) or str(item.get("process_code", ""))
                out.append(Refusal(names.get(code, ""), state.get("error", "")))
            if status != "pending":
                self._processes.pop(entity, None)
        return out

    def forget(self) -> None:
        """The user left."""
        self._processes.clear()
