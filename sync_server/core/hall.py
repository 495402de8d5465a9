"""The hall's catalog (办事大厅): each process with its guide (办事指南: the steps, whom to ask, 热门 rank), its form,
and the departments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from sync_server.core import workflow_state as wf
from sync_server.core.errors import NotFound
from sync_server.models import Application, Department, FormDefinition, Process, WorkflowDefinition

STEP_LABELS = {
    "receive": "{dept}接收",
    "handle": "{dept}办理",
    "review": "{dept}审核",
    "dept_review": "学院（部门）审核",
    "leader": "分管领导审批",
    "confirm": "申请人确认",
}
_WHEN_WORDS = {">": "超过", ">=": "不少于", "<": "低于", "<=": "不超过", "==": "为", "!=": "不为", "in": "为"}
POPULAR_WINDOW = timedelta(days=30)
POPULAR_COUNT = 8


@dataclass
class ProcessGuide:
    """A process as the hall shows it: with its department, the steps of its guide and its 热门 rank."""

    process: Process
    department: Department
    steps: list[str]
    popular_rank: int | None

    @property
    def english(self) -> dict[str, Any]:
        """The process in English (empty when the seed gave none), its guide's steps translated one by one."""
        english = dict(self.process.english or {})
        if not english:
            return {}
        terms: dict[str, str] = english.pop("terms", {})
        steps = [_step_in_english(step, terms) for step in self.steps]
        return {**english, "steps": steps, "step_names": terms}  # step_names: for the confirmation's next step


def _step_in_english(step: str, terms: dict[str, str]) -> str:
    """教务处办理 → Handled by Academic Affairs; a conditional step keeps its condition's figures: 分管校领导审批
    （申请金额超过 10000 时） → Approved by the school leader in charge (above 10000)."""
    name, _, condition = step.partition("（")
    figures = " ".join(w for w in condition.rstrip("）").split() if any(c.isdigit() for c in w))
    english = terms.get(name, name)
    return f"{english} (above {figures})" if figures else english


def _condition(when: dict[str, Any], definition: dict[str, Any] | None) -> str:
    label = when["field"]
    if definition and when["field"] in definition.get("ui", {}).get("fields", {}):
        label = forms.label_of(definition, when["field"])
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


def _current_workflows(session: Session) -> dict[str, dict[str, Any]]:
    """Each process's current workflow definition (the highest version)."""
    out: dict[str, dict[str, Any]] = {}
    for row in session.scalars(select(WorkflowDefinition).order_by(WorkflowDefinition.version)):
        out[row.process_code] = row.definition
    return out


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


def guides(session: Session, *, audience: str | None = None, category: str | None = None) -> list[ProcessGuide]:
    """The catalog in its order, of one audience (学生 | 教工 | 校外人员) and category, or all."""
    rows = session.execute(
        select(Process, Department).join(Department).order_by(Process.sort_order, Process.code)
    ).all()
    definitions = {f.process_code: f.definition for f in session.scalars(select(FormDefinition))}
    workflows = _current_workflows(session)
    popular = popular_ranks(session)
    return [
        ProcessGuide(p, d, outline(definitions.get(p.code), d, workflows.get(p.code)), popular.get(p.code))
        for p, d in rows
        if (audience is None or audience in p.audience) and (category is None or p.category == category)
    ]


def guide(session: Session, *, code: str) -> ProcessGuide:
    row = session.execute(select(Process, Department).join(Department).where(Process.code == code)).first()
    if row is None:
        raise NotFound("process_not_found", "No such process.")
    process, dept = row
    form = session.get(FormDefinition, code)
    latest = wf.latest_definition(session, code)
    steps = outline(form.definition if form else None, dept, latest.definition if latest else None)
    return ProcessGuide(process, dept, steps, popular_ranks(session).get(code))


def form_definition(session: Session, *, code: str) -> dict[str, Any]:
    """The process's form (JSON Schema 2020-12 + UI hints; see campus_common/forms.py)."""
    row = session.get(FormDefinition, code)
    if row is None:
        raise NotFound("form_not_found", "该服务暂不支持在线申请")
    return row.definition


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))
