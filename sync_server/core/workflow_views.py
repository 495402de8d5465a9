"""What clients see of the workflow: an application with its progress and audit trail, a task, a definition,
and `publish`, which re-announces an application and its tasks to everyone concerned after an action."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.statuses import ACTION_NAMES, FINAL, STATUS_NAMES, WAITING_FOR_OTHERS
from sync_server.core import clock, notifications, stored_text
from sync_server.core import workflow_defs as defs
from sync_server.core.change_log import MEMBERS_SCOPE, append_change, user_scope
from sync_server.core.clock import iso
from sync_server.core.errors import Forbidden, NotFound
from sync_server.core.meta import get_meta, set_meta
from sync_server.core.workflow_assignment import department_fields, eligible, post_holders, transfer_targets
from sync_server.core.workflow_state import Ctx, context, latest_definition, previous_step, related, step_name
from sync_server.models import (
    Application,
    ApplicationEvent,
    Department,
    Post,
    Process,
    User,
    WorkflowDefinition,
    WorkflowTask,
)


# -- views ---------------------------------------------------------------------------------------------
def _summary(app: Application, process: Process) -> dict[str, Any]:
    return {
        "id": app.id,
        "serial": app.serial,
        "process_code": app.process_code,
        "process_name": process.name,
        "doc_no": app.doc_no,
        "status": app.status,
        "data": app.data,
        "created_at": iso(app.created_at),
    }


def progress(ctx: Ctx) -> list[dict[str, Any]]:
    """The steps as the manual's diagram shows them (申请人填写 → … → 办结), each done, current or pending."""
    app = ctx.app
    path = defs.path(ctx.definition, app.data)
    keys = [s["key"] for s in path]
    out = [{"key": defs.APPLY, "name": "申请人填写", "state": "current" if app.current_step == defs.APPLY else "done"}]
    if app.status == "completed":
        here = len(keys)
    elif app.current_step is not None and app.current_step in keys:
        here = keys.index(app.current_step)
    elif app.status in FINAL:
        ended = ctx.session.scalar(
            select(ApplicationEvent.step)
            .where(ApplicationEvent.application_id == app.id, ApplicationEvent.action.in_(("reject", "terminate")))
            .order_by(ApplicationEvent.id.desc())
            .limit(1)
        )
        here = keys.index(ended) if ended in keys else 0
    else:
        here = 0 if app.current_step == defs.APPLY else len(keys)
    for n, step in enumerate(path):
        if app.current_step == defs.APPLY:
            state = "pending"
        elif n < here:
            state = "done"
        elif n == here and app.status not in FINAL:
            state = "current"
        elif n == here:
            state = "stopped"
        else:
            state = "pending"
        out.append({"key": step["key"], "name": step["name"], "state": state})
    out.append({"key": "done", "name": "办结", "state": "done" if app.status == "completed" else "pending"})
    return out


def _event_view(ctx: Ctx, row: ApplicationEvent) -> dict[str, Any]:
    return {
        "id": row.id,
        "action": row.action,
        "action_name": ACTION_NAMES.get(row.action, row.action),
        "step": row.step,
        "step_name": step_name(ctx.definition, row.step) if row.step else "",
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "comment": row.comment,
        "field": row.field,
        "field_label": (
            forms.label_of(ctx.form, row.field) if row.field and row.field in ctx.form["ui"]["fields"] else None
        ),
        "data": row.data,
        "at": iso(row.created_at),
    }


def applicant_actions(app: Application) -> list[str]:
    out = []
    if app.status == "submitted":
        out.append("withdraw")
    if app.status in WAITING_FOR_OTHERS:
        out.append("urge")
    if app.status in ("returned", "withdrawn"):
        out.append("resubmit")
    if app.status not in FINAL:
        out.append("terminate")
    out.append("comment")
    return out


def task_actions(ctx: Ctx, task: WorkflowTask) -> list[str]:
    if task.status != "open":
        return ["comment"]
    if task.step == defs.APPLY:
        return ["resubmit", "terminate", "comment"]
    step = ctx.step(task.step)
    if step is not None and defs.is_applicant_step(step):
        return ["approve", "return", "comment"]
    return ["approve", "return", "reject", "transfer", "comment"]


def application_view(ctx: Ctx) -> dict[str, Any]:
    """The application as its applicant's terminal keeps it ("application" change; GET /applications/{id})."""
    app = ctx.app
    tasks = ctx.tasks()
    current = [t for t in tasks if t.visit == app.visit and t.status == "open"]
    events = ctx.session.scalars(
        select(ApplicationEvent).where(ApplicationEvent.application_id == app.id).order_by(ApplicationEvent.id)
    ).all()
    last_urge = max((e.created_at for e in events if e.action == "urge"), default=None)
    return {
        **_summary(app, ctx.process),
        "status_name": STATUS_NAMES.get(app.status, app.status),
        "applicant": {"user_id": app.applicant_id, "name": ctx.applicant.name},
        "updated_at": iso(app.updated_at),
        "completed_at": iso(app.completed_at),
        "current_step": app.current_step,
        "current_step_name": ctx.step_name(app.current_step),
        "step_started_at": iso(app.step_started_at),
        "assignees": [{"user_id": t.assignee_id, "name": ctx.name_of(t.assignee_id)} for t in current],
        "due_at": iso(min((t.due_at for t in current if t.due_at), default=None)),
        "last_urged_at": iso(last_urge),
        "workflow_version": app.workflow_version,
        "steps": progress(ctx),
        "events": [_event_view(ctx, e) for e in events],
        "actions": applicant_actions(app),
    }


def next_handlers(ctx: Ctx, after: str) -> dict[str, Any] | None:
    """The step an approval leads to and, when it may be chosen, whom (选择审核人); None: 办结."""
    step = defs.next_step(ctx.definition, ctx.app.data, after)
    if step is None:
        return None
    people = eligible(ctx.session, step, ctx.app.data, ctx.applicant) if step.get("choose") else []
    return {
        "key": step["key"],
        "name": step["name"],
        "choose": bool(step.get("choose")),
        "handlers": handler_views(ctx.session, people),
    }


def handler_views(session: Session, people: list[User]) -> list[dict[str, Any]]:
    """People as 选择审核人 and 转办 list them, with their department's short name and their post; one query for
    all their names, not two a person (task views are rebuilt after every action)."""
    if not people:
        return []
    names = {
        row.user_id: (row.department, row.post)
        for row in session.execute(
            select(User.user_id, Department.short_name.label("department"), Post.name.label("post"))
            .outerjoin(Department, Department.code == User.department_code)
            .outerjoin(Post, Post.code == User.post_code)
            .where(User.user_id.in_({u.user_id for u in people}))
        )
    }
    return [
        {"user_id": u.user_id, "name": u.name, "department": names[u.user_id][0], "post": names[u.user_id][1]}
        for u in people
    ]


def return_targets(ctx: Ctx, step: dict[str, Any]) -> list[dict[str, Any]]:
    """Where 退回 at `step` may send the application, as the engine decides it (core/workflow.py `_return`): the
    applicant, and the previous step of this round with who handled it there, when there is one. At the
    applicant's confirmation only the previous step: the applicant sends it back to whoever handled it."""
    applicant = {"to": "applicant", "name": "申请人"}
    previous = previous_step(ctx)
    if previous is None:
        return [applicant]  # also at a confirmation: with no step before it, the return goes to the applicant
    key, people = previous
    there = {"to": "previous", "key": key, "name": ctx.step_name(key), "people": [p.name for p in people]}
    return [there] if defs.is_applicant_step(step) else [applicant, there]


def task_view(ctx: Ctx, task: WorkflowTask, app_view: dict[str, Any]) -> dict[str, Any]:
    """A task as its holder's terminal keeps it ("task" change): 待办 while open, 已办 once done."""
    step = ctx.step(task.step)
    kind = (
        "apply"
        if task.step == defs.APPLY
        else "confirm"
        if step is not None and defs.is_applicant_step(step)
        else "countersign"
        if step is not None and defs.is_countersign(step)
        else "handle"
    )
    actions = task_actions(ctx, task)
    view: dict[str, Any] = {
        "id": task.id,
        "application_id": task.application_id,
        "process_code": task.process_code,
        "step": task.step,
        "step_name": step_name(ctx.definition, task.step, ctx.app.status),
        "kind": kind,
        "section": step.get("section") if step else None,
        # Which value of the section is a no (不予办理): the client preselects the one yes and refuses a no with 通过.
        "decision": step.get("decision") if step else None,
        "box": "todo" if task.status == "open" else "done",
        "status": task.status,
        "outcome": task.outcome,
        "comment": task.comment,
        "data": task.data,
        "transferred_from": task.transferred_from,
        "created_at": iso(task.created_at),
        "due_at": iso(task.due_at),
        "acted_at": iso(task.acted_at),
        "actions": actions,
        "next": next_handlers(ctx, task.step) if task.status == "open" and step is not None else None,
        "transfer_candidates": [],
        "return_targets": [],
        "application": app_view,
    }
    holder = ctx.user(task.assignee_id) if "transfer" in actions else None
    if holder is not None:
        view["transfer_candidates"] = handler_views(ctx.session, transfer_targets(ctx, holder))
    if "return" in actions and step is not None:
        view["return_targets"] = return_targets(ctx, step)
    if view["next"] is None and task.status == "open" and step is not None:
        view["next"] = {"key": "done", "name": "办结", "choose": False, "handlers": []}
    return view


def publish(ctx: Ctx) -> None:
    """Re-announce the application to its applicant and each of its tasks to its holder; what the people with no
    open task on it left were asked to do on it (新的待办, 催办, 已退回) is marked read, the bell's count with it."""
    tasks = ctx.tasks()
    holding = {t.assignee_id for t in tasks if t.status == "open"}
    concerned = {t.assignee_id for t in tasks} | {ctx.app.applicant_id}
    notifications.mark_handled(ctx.session, concerned - holding, ctx.app.id, ctx.now)
    app_view = application_view(ctx)
    append_change(ctx.session, user_scope(ctx.app.applicant_id), "application", ctx.app.id, "upsert", app_view)
    for task in tasks:
        if task.status == "cancelled":
            if task.id in ctx.cancelled_now:
                append_change(ctx.session, user_scope(task.assignee_id), "task", str(task.id), "delete", None)
            continue
        append_change(
            ctx.session, user_scope(task.assignee_id), "task", str(task.id), "upsert", task_view(ctx, task, app_view)
        )


def announce_application(session: Session, app: Application) -> None:
    """Announce an application to its applicant's terminals ("application" change), as an action would: for one
    that no action announced (the demo's past 办结 ones), or 我的申请 on a terminal would not list it while the
    server's list does."""
    ctx = context(session, app, clock.now(), to_act=False)
    append_change(session, user_scope(app.applicant_id), "application", app.id, "upsert", application_view(ctx))


def view_for(session: Session, user: User, app_id: str) -> dict[str, Any]:
    """GET /applications/{id}: the applicant's view, plus the caller's own tasks on it."""
    app = session.get(Application, app_id)
    if app is None:
        raise NotFound("application_not_found", "没有这个申请")
    ctx = context(session, app, clock.now(), to_act=False)
    if not related(ctx, user) and user.role != "admin":
        raise Forbidden("forbidden", "无权查看该申请")
    view = application_view(ctx)
    mine = [t for t in ctx.tasks() if t.assignee_id == user.user_id and t.status != "cancelled"]
    view["my_tasks"] = [{k: v for k, v in task_view(ctx, t, {}).items() if k != "application"} for t in mine]
    if user.user_id != app.applicant_id:
        view["actions"] = [a for a in view["actions"] if a == "comment"] if related(ctx, user) else []
    # Form data, comments and a step's section are what users wrote: one bad character stored there must not
    # make the application unreadable (core/stored_text.py).
    return stored_text.safe(view, what="application", application_id=app.id, user_id=user.user_id)


def first_step_handlers(session: Session, user: User, process_code: str) -> dict[str, Any]:
    """GET /hall/processes/{code}/handlers: whom an applicant may choose for the first step (选择审核人)."""
    if session.get(Process, process_code) is None:
        raise NotFound("process_not_found", "该服务已不存在")
    row = latest_definition(session, process_code)
    if row is None:
        raise NotFound("workflow_not_found", "该服务暂未配置办理流程")
    step = defs.steps(row.definition)[0]
    # Who handles a step that a form field decides (用人部门) is known only once the form is filled.
    depends_on = department_fields(step)
    people = [] if depends_on else eligible(session, step, {}, user)
    view = {
        "key": step["key"],
        "name": step["name"],
        "choose": bool(step.get("choose")),
        "depends_on": depends_on,
        "handlers": handler_views(session, people),
    }
    return stored_text.safe(view, what="first step handlers", process_code=process_code)


def public_definition(row: WorkflowDefinition) -> dict[str, Any]:
    """A definition as everyone gets it (public "workflow" change; GET /hall/processes/{code}/workflow): as stored,
    naming posts, never the people who hold them: those are for signed-in users (`workflow_handlers`)."""
    return dict(row.definition)


def workflow_for(session: Session, *, process_code: str, signed_in: bool) -> dict[str, Any]:
    """GET /hall/processes/{code}/workflow: the process's current definition as everyone gets it; for a signed-in
    user each step assigned to a post also carries its holders as `candidates`."""
    row = latest_definition(session, process_code)
    if row is None:
        raise NotFound("workflow_not_found", "该服务暂未配置办理流程")
    view = public_definition(row)
    if signed_in:
        holders = workflow_handlers(session, row)["steps"]
        view["steps"] = [
            {**step, "candidates": holders[step["key"]]} if step["key"] in holders else step for step in view["steps"]
        ]
    return stored_text.safe(view, what="workflow definition", process_code=process_code)


def workflow_handlers(session: Session, row: WorkflowDefinition) -> dict[str, Any]:
    """Who holds the post each step of a definition is assigned to, by step key (steps assigned otherwise depend on
    the applicant and are not listed): the kiosk offers them as 选择审核人 offline. For signed-in users only
    ("workflow_handlers" change in the members' scope)."""
    steps = {
        step["key"]: handler_views(session, post_holders(session, step["assign"]["post"], None))
        for step in defs.steps(row.definition)
        if "post" in step["assign"]
    }
    return {"process_code": row.process_code, "version": row.version, "steps": steps}


def _announce(session: Session, scope: str, entity: str, entity_id: str, view: dict[str, Any]) -> bool:
    """Append an upsert of `view` unless the last one announced for it was the same; whether it did."""
    digest = hashlib.sha256(json.dumps(view, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    key = f"{entity}.announced:{entity_id}"
    if get_meta(session, key) == digest:
        return False
    set_meta(session, key, digest)
    append_change(session, scope, entity, entity_id, "upsert", view)
    return True


def announce_definitions(session: Session) -> int:
    """Announce each process's current definition (a public "workflow" change) and the holders of the posts it
    names (a "workflow_handlers" change for signed-in users) when either changed since it was last announced
    (after seeding, after a user import); returns how many changes were appended."""
    count = 0
    for code in list(session.scalars(select(WorkflowDefinition.process_code).distinct())):
        row = latest_definition(session, code)
        if row is None:
            continue
        count += _announce(session, "public", "workflow", code, public_definition(row))
        handlers = workflow_handlers(session, row)
        # A process with no step assigned to a post has nobody to list, unless a list was announced before.
        if handlers["steps"] or get_meta(session, f"workflow_handlers.announced:{code}") is not None:
            count += _announce(session, MEMBERS_SCOPE, "workflow_handlers", code, handlers)
    return count
