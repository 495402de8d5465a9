from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from campus_common.audience import AUDIENCES
from sync_server.api.deps import ReadSessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import hall
from sync_server.core.errors import Invalid
from sync_server.schemas import DepartmentPublic, ProcessList, ProcessPublic

router = APIRouter(prefix="/api/v1", tags=["hall"])


def _public(guide: hall.ProcessGuide) -> ProcessPublic:
    process, dept = guide.process, guide.department
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
        popular_rank=guide.popular_rank,
        contact_phone=dept.phone,
        contact_office=dept.office,
        steps=guide.steps,
        en=guide.english,
    )


@router.get("/hall/processes", response_model=ProcessList)
def list_processes(
    session: ReadSessionDep,
    audience: Annotated[str | None, Query(description="学生 | 教工 | 校外人员", max_length=8)] = None,
    category: Annotated[str | None, Query(max_length=16)] = None,
) -> ProcessList:
    if audience is not None and audience not in AUDIENCES:
        raise Invalid("invalid_audience", f"audience must be one of {', '.join(AUDIENCES)}.")
    items = [_public(g) for g in hall.guides(session, audience=audience, category=category)]
    return ProcessList(processes=items, count=len(items))


@router.get("/hall/processes/{code}", response_model=ProcessPublic, responses=NOT_FOUND)
def get_process(session: ReadSessionDep, code: Annotated[str, Path(max_length=64)]) -> ProcessPublic:
    return _public(hall.guide(session, code=code))


@router.get("/hall/processes/{code}/form", responses=NOT_FOUND)
def get_form(session: ReadSessionDep, code: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    """The process's form definition (JSON Schema 2020-12 + UI hints; see campus_common/forms.py).
    Terminals get the same through /sync/pull as public "form" changes."""
    return hall.form_definition(session, code=code)


@router.get("/departments", response_model=list[DepartmentPublic])
def list_departments(session: ReadSessionDep) -> list[DepartmentPublic]:
    return [DepartmentPublic.model_validate(d) for d in hall.departments(session)]
