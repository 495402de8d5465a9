from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.audience import AUDIENCES
from sync_server.api.deps import ReadSessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import workflow_state as wf
from sync_server.core.errors import Invalid, NotFound
from sync_server.models import Application, Department, FormDefinition, Process, WorkflowDefinition
from sync_server.schemas import DepartmentPublic, ProcessList, ProcessPublic

router = APIRouter(prefix="/api/v1", tags=["hall"])


STEP_LABELS = {
    "receive": "{dept}接收",
    "handle": "{dept}办理",
    "review": "{dept}审核",
    "dept_review": "学院（部门）审核",
    "leader": "分管领导审批",
    "confirm": "申请人确认",
}
_WHEN_WORDS = {">": "超过", ">=": "不少于", "<": "低于", "<=": "不超过", "==": "为", "!=": "不为", "in": "为"}


def _condition(when: dict[str, Any], form: dict[str, Any] | None) -> str:
    label = when["field"]
    if form and when["field"] in form.get("ui", {}).get("fields", {}):
        label = forms.label_of(form, when["field"])
    value = "、".join(map(str, when["value"])) if isinstance(when["value"], list) else when["value"]
    return f"（{label}{_WHEN_WORDS.get(when['op'], when['op'])} {value} 时）"


def outline(
    definition: dict[str, Any] | None, dept: Department, workflow_def: dict[str, Any] | None = None
) -> list[str]:
    """The steps a guide shows, the manual's diagram: 申请人填写, the workflow's steps (a conditional one says
    when), 办结. Without a workflow definition: the steps that own a section of the form, or the department's
    handling post."""
    steps = ["申请人填写"]
    if workflow_def is not None:
        for step in workflow_def["steps"]:
            steps.append(step["name"] + (_condition(step["when"], definition) if step.get("when") else ""))
        return [*steps, "办结"]
    keys = [s["step"] for s in (definition or {}).get("ui", {}).get("sections", []) if s.get("step")]
    for key in keys or ["handle"]:
        label = STEP_LABELS.get(key, key).format(dept=dept.short_name)
        if label not in steps:
            steps.append(label)
    return [*steps, "办结"]


def current_workflows(session: Session) -> dict[str, dict[str, Any]]:
    """Each process's current workflow definition (the highest version)."""
    out: dict[str, dict[str, Any]] = {}
    for row in session.scalars(select(WorkflowDefinition).order_by(WorkflowDefinition.version)):
        out[row.process_code] = row.definition
    return out


POPULAR_WINDOW = timedelta(days=30)
POPULAR_COUNT = 8


def popular_ranks(session: Session) -> dict[str, int]:
    """热门服务: the processes with the most submissions in the last 30 days, ranked 1…8 (ties: catalog order)."""
    since = datetime.now(UTC) - POPULAR_WINDOW
    counts = session.execute(
        select(Application.process_code, func.count())
        .where(Application.created_at >= since)
        .group_by(Application.process_code)
    ).all()
    order = {code: n for n, code in enumerate(session.scalars(select(Process.code).order_by(Process.sort_order)))}
    ranked = sorted(counts, key=lambda row: (-row[1], order.get(row[0], 0)))[:POPULAR_COUNT]
    return {code: rank for rank, (code, _count) in enumerate(ranked, start=1)}


def _public(
    process: Process,
    dept: Department,
    definition: dict[str, Any] | None = None,
    popular: int | None = None,
    workflow_def: dict[str, Any] | None = None,
) -> ProcessPublic:
    return ProcessPublic(
        code=process.code,
        name=process.name,
        department=dept.short_name,
        department_name=dept.name,
        audience=list(process.audience),
        category=process.category,
        description=process.description,
        materials=list(process.materials),
        expected_days=process.expected_days,
        recommended=process.recommended,
        popular_rank=popular,
        contact_phone=dept.phone,
        contact_office=dept.office,
        steps=outline(definition, dept, workflow_def),
    )


@router.get("/hall/processes", response_model=ProcessList)
def list_processes(
    session: ReadSessionDep,
    audience: Annotated[str | None, Query(description="学生 | 教工 | 校外人员", max_length=8)] = None,
    category: Annotated[str | None, Query(max_length=16)] = None,
) -> ProcessList:
    if audience is not None and audience not in AUDIENCES:
        raise Invalid("invalid_audience", f"audience must be one of {', '.join(AUDIENCES)}.")
    rows = session.execute(
        select(Process, Department).join(Department).order_by(Process.sort_order, Process.code)
    ).all()
    definitions = {f.process_code: f.definition for f in session.scalars(select(FormDefinition))}
    workflows = current_workflows(session)
    popular = popular_ranks(session)
    items = [
        _public(p, d, definitions.get(p.code), popular.get(p.code), workflows.get(p.code))
        for p, d in rows
        if (audience is None or audience in p.audience) and (category is None or p.category == category)
    ]
    return ProcessList(processes=items, count=len(items))


@router.get("/hall/processes/{code}", response_model=ProcessPublic, responses=NOT_FOUND)
def get_process(session: ReadSessionDep, code: Annotated[str, Path(max_length=64)]) -> ProcessPublic:
    row = session.execute(select(Process, Department).join(Department).where(Process.code == code)).first()
    if row is None:
        raise NotFound("process_not_found", "No such process.")
    form = session.get(FormDefinition, code)
    latest = wf.latest_definition(session, code)
    return _public(
        *row,
        form.definition if form else None,
        popular_ranks(session).get(code),
        latest.definition if latest else None,
    )


@router.get("/hall/processes/{code}/form", responses=NOT_FOUND)
def get_form(session: ReadSessionDep, code: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """The process's form definition (JSON Schema 2020-12 + UI hints; see campus_common/forms.py).
    Terminals get the same through /sync/pull as public "form" changes."""
    row = session.get(FormDefinition, code)
    if row is None:
        raise NotFound("form_not_found", "该服务暂不支持在线申请")
    return row.definition


@router.get("/departments", response_model=list[DepartmentPublic])
def list_departments(session: ReadSessionDep) -> list[DepartmentPublic]:
    rows = session.scalars(select(Department).order_by(Department.code)).all()
    return [DepartmentPublic.model_validate(d) for d in rows]
