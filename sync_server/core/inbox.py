"""The lists of the hall: 待办 (my open tasks), 已办 (tasks I handled), 我的申请 (applications I started), each with
status, current step and waiting time, filtered by process and status, in pages.

The 待办 query reads one user's open tasks newest first straight off the index (assignee_id, status, created_at)
and joins each page row to its application, process and applicant by primary key; bench/bench_todo.py measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server.core import notify
from sync_server.core import workflow_state as wf
from sync_server.models import Application, Process, User, WorkflowDefinition, WorkflowTask

BOXES = ("todo", "done", "mine")
MAX_PAGE = 100


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int


class _Definitions:
    """Definitions by (process, version) for one page: a version never changes, each is read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[tuple[str, int], dict[str, Any] | None] = {}

    def get(self, app: Application) -> dict[str, Any] | None:
        if app.workflow_version is None:
            return None
        key = (app.process_code, app.workflow_version)
        if key not in self.rows:
            row = self.session.get(WorkflowDefinition, key)
            self.rows[key] = row.definition if row else None
        return self.rows[key]


def _seconds(since: datetime | None, now: datetime) -> int | None:
    return max(0, int((now - wf.as_utc(since)).total_seconds())) if since else None


def _item(
    app: Application,
    process_name: str,
    applicant_name: str,
    task: WorkflowTask | None,
    definitions: _Definitions,
    now: datetime,
) -> dict[str, Any]:
    definition = definitions.get(app)
    final = app.status in wf.FINAL
    out: dict[str, Any] = {
        "application_id": app.id,
        "serial": app.serial,
        "doc_no": app.doc_no,
        "process_code": app.process_code,
        "process_name": process_name,
        "applicant_id": app.applicant_id,
        "applicant_name": applicant_name,
        "status": app.status,
        "status_name": wf.STATUS_NAMES.get(app.status, app.status),
        "current_step": app.current_step,
        "current_step_name": wf.step_name(definition, app.current_step, app.status),
        "submitted_at": wf.iso(app.created_at),
        "updated_at": wf.iso(app.updated_at),
        "step_started_at": wf.iso(app.step_started_at),
        # How long it has been waiting where it is now (for a task of mine: since it reached me).
        "waiting_seconds": None if final else _seconds(app.step_started_at, now),
        "task": None,
    }
    if task is not None:
        due = wf.as_utc(task.due_at) if task.due_at else None
        out["task"] = {
            "id": task.id,
            "step": task.step,
            "step_name": wf.step_name(definition, task.step, app.status),
            "status": task.status,
            "outcome": task.outcome,
            "created_at": wf.iso(task.created_at),
            "due_at": wf.iso(task.due_at),
            "acted_at": wf.iso(task.acted_at),
            "overdue": bool(task.status == "open" and due is not None and due < now),
        }
        if task.status == "open":
            out["waiting_seconds"] = _seconds(task.created_at, now)
    return out


def _filtered(query: Any, process: str | None, status: str | None, box: str) -> Any:
    if process is not None:
        query = query.where((WorkflowTask.process_code if box != "mine" else Application.process_code) == process)
    if status is not None:
        query = query.where(Application.status == status)
    return query


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
    now = wf.as_utc(now or wf.clock())
    definitions = _Definitions(session)
    if box == "mine":
        where = Application.applicant_id == user_id
        count = _filtered(select(func.count()).select_from(Application).where(where), process, status, box)
        rows = session.execute(
            _filtered(
                select(Application, Process.name, User.name)
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
        items = [_item(app, pname, uname, None, definitions, now) for app, pname, uname in rows]
        return Page(items, int(session.scalar(count) or 0))

    task_status = "open" if box == "todo" else "done"
    order = (
        (WorkflowTask.created_at.desc(), WorkflowTask.id.desc())
        if box == "todo"
        else (WorkflowTask.acted_at.desc(), WorkflowTask.id.desc())
    )
    where = (WorkflowTask.assignee_id == user_id) & (WorkflowTask.status == task_status)
    count_query = select(func.count()).select_from(WorkflowTask)
    if status is not None:
        count_query = count_query.join(Application, Application.id == WorkflowTask.application_id)
    count = _filtered(count_query.where(where), process, status, box)
    rows = session.execute(
        _filtered(
            select(WorkflowTask, Application, Process.name, User.name)
            .join(Application, Application.id == WorkflowTask.application_id)
            .join(Process, Process.code == Application.process_code)
            .join(User, User.user_id == Application.applicant_id)
            .where(where),
            process,
            status,
            box,
        )
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    ).all()
    items = [_item(app, pname, uname, task, definitions, now) for task, app, pname, uname in rows]
    return Page(items, int(session.scalar(count) or 0))


def counts(session: Session, user_id: str) -> dict[str, int]:
    """The badges: 待办, 已办, 我的申请 and unread notifications."""
    by_status = dict(
        session.execute(
            select(WorkflowTask.status, func.count())
            .where(WorkflowTask.assignee_id == user_id, WorkflowTask.status.in_(("open", "done")))
            .group_by(WorkflowTask.status)
        ).all()
    )
    mine = session.scalar(select(func.count()).select_from(Application).where(Application.applicant_id == user_id))
    return {
        "todo": int(by_status.get("open", 0)),
        "done": int(by_status.get("done", 0)),
        "mine": int(mine or 0),
        "unread_notifications": notify.unread_count(session, user_id),
    }
