from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from sync_server.api.deps import SessionDep
from sync_server.core.errors import NOT_FOUND, ApiError
from sync_server.models import Department, Process
from sync_server.schemas import DepartmentPublic, ProcessList, ProcessPublic

router = APIRouter(prefix="/api/v1", tags=["hall"])

AUDIENCES = ("学生", "教工", "校外人员")


def _public(process: Process, dept: Department) -> ProcessPublic:
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
        popular_rank=process.popular_rank,
    )


@router.get("/hall/processes", response_model=ProcessList)
def list_processes(
    session: SessionDep,
    audience: Annotated[str | None, Query(description="学生 | 教工 | 校外人员", max_length=8)] = None,
    category: Annotated[str | None, Query(max_length=16)] = None,
) -> ProcessList:
    if audience is not None and audience not in AUDIENCES:
        raise ApiError(422, "invalid_audience", f"audience must be one of {', '.join(AUDIENCES)}.")
    rows = session.execute(
        select(Process, Department).join(Department).order_by(Process.sort_order, Process.code)
    ).all()
    items = [
        _public(p, d)
        for p, d in rows
        if (audience is None or audience in p.audience) and (category is None or p.category == category)
    ]
    return ProcessList(processes=items, count=len(items))


@router.get("/hall/processes/{code}", response_model=ProcessPublic, responses=NOT_FOUND)
def get_process(session: SessionDep, code: Annotated[str, Path(max_length=64)]) -> ProcessPublic:
    row = session.execute(select(Process, Department).join(Department).where(Process.code == code)).first()
    if row is None:
        raise ApiError(404, "process_not_found", "No such process.")
    return _public(*row)


@router.get("/departments", response_model=list[DepartmentPublic])
def list_departments(session: SessionDep) -> list[DepartmentPublic]:
    rows = session.scalars(select(Department).order_by(Department.code)).all()
    return [DepartmentPublic.model_validate(d) for d in rows]
