"""What the workflow engine (core/workflow.py) and its views (core/workflow_views.py) share: the context of one
application (Ctx) and whom a step's assignment names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.statuses import FINAL, STATUS_NAMES
from sync_server.core import workflow_defs as defs
from sync_server.core.errors import Conflict, Invalid
from sync_server.models import (
    Application,
    ApplicationEvent,
    Department,
    FormDefinition,
    Process,
    User,
    WorkflowDefinition,
    WorkflowTask,
)

URGE_INTERVAL = timedelta(hours=1)
MAX_COMMENT = 500
HANDLER_ROLES = ("staff", "approver")


# -- definitions and who may act --------------------------------------------------------------------------------
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


def department_named(session: Session, value: object) -> Department | None:
    """A department a form field names, by its full or short name (转入学院, 拟调入部门, 用人部门)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return session.scalars(
        select(Department).where((Department.name == text) | (Department.short_name == text)).order_by(Department.code)
    ).first()


def post_holders(session: Session, post_code: str, exclude: str | None) -> list[User]:
    return [
        u
        for u in session.scalars(select(User).where(User.post_code == post_code).order_by(User.user_id))
        if u.user_id != exclude
    ]


def candidates(
    session: Session, assign: dict[str, Any], data: dict[str, Any], applicant: User, exclude: str | None
) -> list[User]:
    """The people an assignment names for this application (`exclude`: the applicant, for handling steps)."""
    if assign.get("applicant"):
        return [applicant]
    if "members" in assign:
        out: dict[str, User] = {}
        for member in assign["members"]:
            for person in candidates(session, member, data, applicant, exclude):
                out.setdefault(person.user_id, person)
        return list(out.values())
    if "post" in assign:
        return post_holders(session, assign["post"], exclude)
    where = assign["department"]
    if where == "applicant":
        dept_code = applicant.department_code
    else:
        named = department_named(session, data.get(where["field"]))
        dept_code = named.code if named else None
    if dept_code is None:
        return []
    if assign.get("staff"):
        return [
            u
            for u in session.scalars(
                select(User)
                .where(User.department_code == dept_code, User.role.in_(HANDLER_ROLES))
                .order_by(User.user_id)
            )
            if u.user_id != exclude
        ]
    # The post of that department, or of the department above it when it has none (a 科 defers to its 中心).
    seen: set[str] = set()
    while dept_code is not None and dept_code not in seen:
        seen.add(dept_code)
        holders = post_holders(session, f"{dept_code}-{assign['post_type']}", exclude)
        if holders:
            return holders
        dept = session.get(Department, dept_code)
        dept_code = dept.parent_code if dept else None
    return []


def eligible(session: Session, step: dict[str, Any], data: dict[str, Any], applicant: User) -> list[User]:
    """Who may act on a step of this application; the applicant never handles their own application."""
    exclude = None if defs.is_applicant_step(step) else applicant.user_id
    return candidates(session, step["assign"], data, applicant, exclude)


def department_fields(step: dict[str, Any]) -> list[str]:
    assign = step["assign"]
    members = assign.get("members", [assign])
    return [m["department"]["field"] for m in members if isinstance(m.get("department"), dict)]


def check_departments_named(
    session: Session, definition: dict[str, Any], form: dict[str, Any], data: dict[str, Any]
) -> None:
    """A field that decides who handles a step (转入学院, 用人部门) must name a department of the school."""
    problems = {}
    for step in defs.path(definition, data):
        for name in department_fields(step):
            if name in data and department_named(session, data[name]) is None:
                problems[name] = "未找到该部门，请填写学校部门的全称，如：教务处"
    if problems:
        name = next(iter(problems))
        raise Invalid("invalid_form", f"{forms.label_of(form, name)}：{problems[name]}", fields=problems)


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


def transfer_targets(ctx: Ctx, holder: User) -> list[User]:
    """Whom `holder` may transfer their open task of the current visit to (转办), by name: a colleague of the same
    department who may handle tasks, neither the applicant nor anyone already holding an open task of this visit.
    The engine accepts exactly these and the task view lists them; one query, as views are rebuilt after every
    action (core/workflow_views.py `publish`)."""
    if holder.department_code is None:
        return []
    holding = select(WorkflowTask.id).where(
        WorkflowTask.application_id == ctx.app.id,
        WorkflowTask.visit == ctx.app.visit,
        WorkflowTask.status == "open",
        WorkflowTask.assignee_id == User.user_id,
    )
    people = ctx.session.scalars(
        select(User).where(
            User.department_code == holder.department_code,
            User.role.in_(HANDLER_ROLES),
            User.user_id.not_in((holder.user_id, ctx.app.applicant_id)),
            ~holding.exists(),
        )
    )
    return sorted(people, key=lambda u: (u.name, u.user_id))
