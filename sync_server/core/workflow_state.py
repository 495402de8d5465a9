"""An application as its workflow sees it (Ctx): the definition it runs on, its form, tasks and history, read by the
engine (core/workflow.py) and its views (core/workflow_views.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common.statuses import FINAL, STATUS_NAMES
from sync_server.core import workflow_defs as defs
from sync_server.core.errors import Conflict
from sync_server.models import (
    Application,
    ApplicationEvent,
    FormDefinition,
    Process,
    User,
    WorkflowDefinition,
    WorkflowTask,
)


def latest_definition(session: Session, process_code: str) -> WorkflowDefinition | None:
    return session.scalars(
        select(WorkflowDefinition)
        .where(WorkflowDefinition.process_code == process_code)
        .order_by(WorkflowDefinition.version.desc())
        .limit(1)
    ).first()


def definition_for(session: Session, app: Application) -> dict[str, Any] | None:
    if app.workflow_version is None:
        return None
    row = session.get(WorkflowDefinition, (app.process_code, app.workflow_version))
    return row.definition if row else None


# -- the context of one action ----------------------------------------------------------------------------------
@dataclass
class Ctx:
    session: Session
    app: Application
    process: Process
    applicant: User
    definition: dict[str, Any]
    form: dict[str, Any]
    now: datetime
    cancelled_now: set[int] = field(default_factory=set)
    _users: dict[str, User | None] = field(default_factory=dict)

    def user(self, user_id: str | None) -> User | None:
        if user_id is None:
            return None
        if user_id not in self._users:
            self._users[user_id] = self.session.get(User, user_id)
        return self._users[user_id]

    def name_of(self, user_id: str | None) -> str:
        person = self.user(user_id)
        return person.name if person else (user_id or "")

    def step(self, key: str | None) -> dict[str, Any] | None:
        return defs.step_of(self.definition, key)

    def step_name(self, key: str | None) -> str:
        return step_name(self.definition, key, self.app.status)

    def tasks(self) -> list[WorkflowTask]:
        return list(
            self.session.scalars(
                select(WorkflowTask).where(WorkflowTask.application_id == self.app.id).order_by(WorkflowTask.id)
            )
        )

    def visit_tasks(self) -> list[WorkflowTask]:
        return [t for t in self.tasks() if t.visit == self.app.visit]


def step_name(definition: dict[str, Any] | None, key: str | None, status: str | None = None) -> str:
    if key == defs.APPLY:
        return "申请人修改" if status == "returned" else "申请人填写"
    if key is None:
        return STATUS_NAMES.get(status or "", "") if status in FINAL else ""
    step = defs.step_of(definition, key) if definition else None
    return str(step["name"]) if step else key


NO_FORM: dict[str, Any] = {"schema": {"properties": {}}, "ui": {"sections": [], "fields": {}}}


def context(session: Session, app: Application, now: datetime, *, to_act: bool = True) -> Ctx:
    """What an action or a view needs of an application. Only for viewing, an application from before workflows
    (the demo's past 办结 ones) gets an empty definition: 申请人填写 → 办结."""
    process = session.get(Process, app.process_code)
    applicant = session.get(User, app.applicant_id)
    definition = definition_for(session, app)
    form_row = session.get(FormDefinition, app.process_code)
    if process is None or applicant is None:
        raise Conflict("workflow_not_found", "该申请没有可执行的办理流程")
    if definition is None or form_row is None:
        if to_act:
            raise Conflict("workflow_not_found", "该申请没有可执行的办理流程")
        definition = {"process": app.process_code, "version": 0, "steps": []}
    return Ctx(session, app, process, applicant, definition, form_row.definition if form_row else NO_FORM, now)


def related(ctx: Ctx, user: User) -> bool:
    if user.user_id == ctx.app.applicant_id:
        return True
    return any(t.assignee_id == user.user_id for t in ctx.tasks())


def previous_step(ctx: Ctx) -> tuple[str, list[User]] | None:
    """The step before the current one in this round, and who approved it there (None: the applicant).
    退回 to the previous step goes there (core/workflow.py); a task view offers it (core/workflow_views.py)."""
    round_start = ctx.session.scalar(
        select(func.max(ApplicationEvent.visit)).where(
            ApplicationEvent.application_id == ctx.app.id, ApplicationEvent.action.in_(("submit", "resubmit"))
        )
    )
    approved = [
        t
        for t in ctx.tasks()
        if t.outcome == "approved"
        and (round_start is None or t.visit >= round_start)
        and t.visit < ctx.app.visit
        and t.step != ctx.app.current_step
    ]
    if not approved:
        return None
    last_visit = max(t.visit for t in approved)
    people = [ctx.user(t.assignee_id) for t in approved if t.visit == last_visit]
    return approved[-1].step, [p for p in people if p is not None]
