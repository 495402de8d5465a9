"""The lists of the hall: 待办 (my open tasks), 已办 (tasks I handled), 我的申请 (applications I started), each with
status, current step and waiting time, filtered by process and status, in pages.

The 待办 query reads one user's open tasks newest first straight off the index (assignee_id, status, created_at)
and joins each page row to its application, process and applicant by primary key, selecting only the columns
listed (no form data); step names come from a cache of definition versions, which never change once stored.
bench/bench_todo.py measures it. 已办 lists each application once, with the holder's latest task on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from campus_common import statuses
from sync_server.core import clock, notifications, stored_text
from sync_server.core import workflow_defs as defs
from sync_server.core import workflow_state as wf
from sync_server.models import Application, Process, User, WorkflowDefinition, WorkflowTask

BOXES = ("todo", "done", "mine")
MAX_PAGE = 100

_APP = (
    Application.id,
    Application.serial,
    Application.doc_no,
    Application.process_code,
    Application.applicant_id,
    Application.status,
    Application.created_at,
    Application.updated_at,
    Application.step_started_at,
    Application.workflow_version,
    Application.current_step,
    Process.name.label("process_name"),
    User.name.label("applicant_name"),
)
_TASK = (
    WorkflowTask.id.label("task_id"),
    WorkflowTask.step.label("task_step"),
    WorkflowTask.status.label("task_status"),
    WorkflowTask.outcome.label("task_outcome"),
    WorkflowTask.created_at.label("task_created_at"),
    WorkflowTask.due_at.label("task_due_at"),
    WorkflowTask.acted_at.label("task_acted_at"),
)


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int


class StepNames:
    """Step names of a definition version, per database: a stored version is never changed (a new definition is
    a new version), so what was read once stays true."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _names: ClassVar[dict[tuple[str, str, int], dict[str, str]]] = {}

    @classmethod
    def of(cls, session: Session, process_code: str, version: int | None) -> dict[str, str] | None:
        if version is None:
            return None
        bind = session.get_bind()
        key = (str(bind.engine.url), process_code, version)
        names = cls._names.get(key)
        if names is None:
            row = session.get(WorkflowDefinition, (process_code, version))
            if row is None:
                return None
            names = {s["key"]: s["name"] for s in defs.steps(row.definition)}
            with cls._lock:
                cls._names[key] = names
        return names


def _step_name(names: dict[str, str] | None, key: str | None, status: str) -> str:
    if key is None or key == defs.APPLY:
        return wf.step_name(None, key, status)
    return names.get(key, key) if names else key


def _seconds(since: datetime | None, now: datetime) -> int | None:
    return max(0, int((now - clock.as_utc(since)).total_seconds())) if since else None


def _item(session: Session, row: Row[Any], now: datetime, with_task: bool) -> dict[str, Any]:
    names = StepNames.of(session, row.process_code, row.workflow_version)
    final = row.status in statuses.FINAL
    out: dict[str, Any] = {
        "application_id": row.id,
        "serial": row.serial,
        "doc_no": row.doc_no,
        "process_code": row.process_code,
        "process_name": row.process_name,
        "applicant_id": row.applicant_id,
        "applicant_name": row.applicant_name,
        "status": row.status,
        "status_name": statuses.STATUS_NAMES.get(row.status, row.status),
        "current_step": row.current_step,
        "current_step_name": _step_name(names, row.current_step, row.status),
        "submitted_at": clock.iso(row.created_at),
        "updated_at": clock.iso(row.updated_at),
        "step_started_at": clock.iso(row.step_started_at),
        # How long it has been waiting where it is now (for a task of mine: since it reached me).
        "waiting_seconds": None if final else _seconds(row.step_started_at, now),
        "task": None,
    }
    if with_task:
        due = clock.as_utc(row.task_due_at) if row.task_due_at else None
        out["task"] = {
            "id": row.task_id,
            "step": row.task_step,
            "step_name": _step_name(names, row.task_step, row.status),
            "status": row.task_status,
            "outcome": row.task_outcome,
            "created_at": clock.iso(row.task_created_at),
            "due_at": clock.iso(row.task_due_at),
            "acted_at": clock.iso(row.task_acted_at),
            "overdue": bool(row.task_status == "open" and due is not None and due < now),
        }
        if row.task_status == "open":
            out["waiting_seconds"] = _seconds(row.task_created_at, now)
    return out


def _filtered(query: Any, process: str | None, status: str | None, box: str) -> Any:
    if process is not None:
        query = query.where((WorkflowTask.process_code if box != "mine" else Application.process_code) == process)
    if status is not None:
        query = query.where(Application.status == status)
    return query


def _latest_done() -> Any:
    """A done task that is its holder's last on its application: 已办 lists an application once, however often
    its holder handled it (approved, got it back, approved again). Probed per row through the application's
    index, so a page still reads the holder's done tasks newest first off (assignee_id, status, acted_at)."""
    later = aliased(WorkflowTask)
    return ~(
        select(later.id)
        .where(
            later.application_id == WorkflowTask.application_id,
            later.assignee_id == WorkflowTask.assignee_id,
            later.status == "done",
            (later.acted_at > WorkflowTask.acted_at)
            | ((later.acted_at == WorkflowTask.acted_at) & (later.id > WorkflowTask.id)),
        )
        .exists()
    )


def tasks_page(
    session: Session,
    user_id: str,
    box: str,
    *,
    process: str | None = None,
    status: str | None = None,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
) -> Page:
    now = clock.as_utc(now) if now else clock.now()
    if box == "mine":
        where = Application.applicant_id == user_id
        count = _filtered(select(func.count()).select_from(Application).where(where), process, status, box)
        rows = session.execute(
            _filtered(
                select(*_APP)
                .join(Process, Process.code == Application.process_code)
                .join(User, User.user_id == Application.applicant_id)
                .where(where),
                process,
                status,
                box,
            )
            .order_by(Application.created_at.desc(), Application.id)
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(_safe([_item(session, r, now, False) for r in rows], user_id, box), int(session.scalar(count) or 0))

    task_status = "open" if box == "todo" else "done"
    order = (
        (WorkflowTask.created_at.desc(), WorkflowTask.id.desc())
        if box == "todo"
        else (WorkflowTask.acted_at.desc(), WorkflowTask.id.desc())
    )
    where = (WorkflowTask.assignee_id == user_id) & (WorkflowTask.status == task_status)
    if box == "done":
        listed = where & _latest_done()
        # The applications the list shows, counted without the probe: an application's tasks share its process
        # and status, so the filters pick all of them or none.
        count_query = select(func.count(WorkflowTask.application_id.distinct())).select_from(WorkflowTask)
    else:
        listed = where
        count_query = select(func.count()).select_from(WorkflowTask)
    if status is not None:
        count_query = count_query.join(Application, Application.id == WorkflowTask.application_id)
    count = _filtered(count_query.where(where), process, status, box)
    rows = session.execute(
        _filtered(
            select(*_APP, *_TASK)
            .select_from(WorkflowTask)
            .join(Application, Application.id == WorkflowTask.application_id)
            .join(Process, Process.code == Application.process_code)
            .join(User, User.user_id == Application.applicant_id)
            .where(listed),
            process,
            status,
            box,
        )
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(_safe([_item(session, r, now, True) for r in rows], user_id, box), int(session.scalar(count) or 0))


def _safe(items: list[dict[str, Any]], user_id: str, box: str) -> list[dict[str, Any]]:
    """The page's items, with any stored text no client can take replaced (core/stored_text.py): names come
    from an import, not from this server's checks."""
    cleaned: list[dict[str, Any]] = stored_text.safe(items, what="task list", user_id=user_id, box=box)
    return cleaned


def counts(session: Session, user_id: str) -> dict[str, int]:
    """The badges: 待办, 已办, 我的申请 and unread notifications."""
    todo = session.scalar(
        select(func.count())
        .select_from(WorkflowTask)
        .where(WorkflowTask.assignee_id == user_id, WorkflowTask.status == "open")
    )
    # 已办 as the list shows it: applications, not tasks (one handled twice is one).
    done = session.scalar(
        select(func.count(WorkflowTask.application_id.distinct())).where(
            WorkflowTask.assignee_id == user_id, WorkflowTask.status == "done"
        )
    )
    mine = session.scalar(select(func.count()).select_from(Application).where(Application.applicant_id == user_id))
    return {
        "todo": int(todo or 0),
        "done": int(done or 0),
        "mine": int(mine or 0),
        "unread_notifications": notifications.unread_count(session, user_id),
    }
