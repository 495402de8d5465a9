"""Whom a workflow step names (core/workflow_defs.py, "Assignments"): post holders, a department's post or staff,
the applicant; and whom a task may be transferred to (转办)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from campus_common import forms
from sync_server.core import workflow_defs as defs
from sync_server.core.errors import Invalid
from sync_server.core.workflow_state import Ctx
from sync_server.models import Department, User, WorkflowTask

HANDLER_ROLES = ("staff", "approver")


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
