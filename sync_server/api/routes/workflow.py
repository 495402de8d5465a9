"""Workflow and approvals over HTTP: actions on applications, the 待办/已办/我的申请 lists, notifications.
Terminals do the same offline through the sync push (operations `workflow.<action>`, `notification.read`).

Each route checks the token and does its database work in one call, in a session of its own (deps.principal_in),
so no pooled connection is held while the request waits for a thread; an action commits before it answers."""

from __future__ import annotations

import os
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from campus_common import op_payloads, ops, statuses
from sync_server.api.deps import DatabaseDep, get_optional_principal_read, principal_in
from sync_server.api.errors import error_responses
from sync_server.core import inbox, notifications, workflow, workflow_views
from sync_server.core.errors import Invalid
from sync_server.schemas import (
    ActionRequest,
    ActionResult,
    MarkedRead,
    MarkRead,
    NextStep,
    NotificationPage,
    NotificationPublic,
    TaskCounts,
    TaskItem,
    TaskPage,
)

router = APIRouter(prefix="/api/v1", tags=["workflow"])
_ERRORS = error_responses(401, 403, 404, 409, 422, 429)
# As many list reads of a worker at once as there are CPUs; the others wait here, holding neither a connection
# nor the interpreter: 40 threads interleaving their 2 ms of Python make each take up to 40 times as long
# (bench/README.md, 待办). A read that runs, runs at full speed.
LIST_READS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))
AppId = Annotated[str, Path(min_length=32, max_length=36, pattern=r"^[0-9a-fA-F-]{32,36}$")]
ProcessCode = Annotated[str, Path(max_length=64)]


@router.post("/applications/{app_id}/actions", response_model=ActionResult, responses=_ERRORS)
def act(app_id: AppId, body: ActionRequest, request: Request, db: DatabaseDep) -> dict[str, Any]:
    """Approve (办理/同意; 确认 at the applicant's confirmation), return (退回, `to`: applicant or previous),
    reject (不予办理), transfer (转办), withdraw (撤回), terminate (终止), urge (催办, once an hour), comment (备注,
    or 批注 with `field`), resubmit (after a return or withdrawal). Only whoever the step names may act:
    403 `forbidden`; a task someone else took first: 409 `task_already_handled`."""
    # The `workflow.<action>` operation's payload, checked against its schema (the form data's strings, numbers
    # and depth). One body serves every action, so a field this action does not take is left out, not refused.
    schema = op_payloads.PAYLOADS[ops.workflow_op(body.action)]
    payload = {k: v for k, v in body.model_dump(exclude_none=True).items() if k in schema.schema["properties"]}
    payload["application_id"] = app_id
    problem = schema.problem(payload)
    with db.sessions.begin() as session:  # committed here, before the answer: a 200 is durable
        principal = principal_in(session, request)  # who asks first: a stranger gets 401, not the 422 below
        if problem is not None:
            raise Invalid("invalid_payload", problem.message, fields={problem.path: problem.reason})
        return workflow.perform(session, principal.user, body.action, payload)


@router.get("/applications/{app_id}", responses=_ERRORS)
def get_application(app_id: AppId, request: Request, db: DatabaseDep) -> dict[str, Any]:
    """The application with its form data, progress (steps), audit trail (events), current assignees, the
    actions open to the caller and the caller's own tasks on it (`my_tasks`). For its applicant and those who
    had a task on it."""
    with db.read_sessions() as session:
        principal = principal_in(session, request, touch=False)
        return workflow_views.view_for(session, principal.user, app_id)


@router.get("/applications/{app_id}/handlers", response_model=NextStep | None, responses=_ERRORS)
def next_handlers(app_id: AppId, request: Request, db: DatabaseDep) -> dict[str, Any] | None:
    """For the holder of an open task: the step an approval leads to and whom it may be given to (null: 办结)."""
    with db.read_sessions() as session:
        principal = principal_in(session, request, touch=False)
        return workflow.handlers_after(session, principal.user, app_id)


@router.get("/hall/processes/{code}/handlers", response_model=NextStep, responses=_ERRORS)
def first_handlers(code: ProcessCode, request: Request, db: DatabaseDep) -> dict[str, Any]:
    """选择审核人: the first step of the process and who may handle it for the caller as applicant."""
    with db.read_sessions() as session:
        principal = principal_in(session, request, touch=False)
        return workflow_views.first_step_handlers(session, principal.user, code)


@router.get("/hall/processes/{code}/workflow", responses=_ERRORS)
def get_workflow(code: ProcessCode, request: Request, db: DatabaseDep) -> dict[str, Any]:
    """The process's current workflow definition (sync_server/core/workflow_defs.py), as terminals get it through
    /sync/pull (public "workflow" change). Open to anyone; who holds a post is not public: only with a valid
    token does each step assigned to a post carry its holders as `candidates` (what signed-in terminals get as
    the "workflow_handlers" change). A token that is there must be valid (401)."""
    with db.read_sessions() as session:
        principal = get_optional_principal_read(request, session)
        return workflow_views.workflow_for(session, process_code=code, signed_in=principal is not None)


@router.get("/me/tasks", response_model=TaskPage, responses=_ERRORS)
def my_tasks(
    request: Request,
    response: Response,
    db: DatabaseDep,
    box: Annotated[
        str, Query(pattern="^(todo|done|mine)$", description="todo 待办 | done 已办 | mine 我的申请")
    ] = "todo",
    process: Annotated[str | None, Query(max_length=64, description="a process code")] = None,
    status: Annotated[str | None, Query(max_length=16, description="an application status")] = None,
    limit: Annotated[int, Query(ge=1, le=inbox.MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> TaskPage:
    """待办 (todo), 已办 (done) or 我的申请 (mine), newest first. `Server-Timing: db;dur=…` says how long the
    list took to read and build on the server (bench/bench_todo.py)."""
    if status is not None and status not in statuses.STATUS_NAMES:
        raise Invalid("invalid_status", f"status must be one of {', '.join(statuses.STATUS_NAMES)}.")
    with LIST_READS, db.read_sessions() as session:
        principal = principal_in(session, request, touch=False)
        started = time.perf_counter()
        page = inbox.tasks_page(
            session, principal.user.user_id, box, process=process, status=status, limit=limit, offset=offset
        )
        response.headers["Server-Timing"] = f"db;dur={(time.perf_counter() - started) * 1000:.2f}"
    return TaskPage(
        box=box,
        items=[TaskItem.model_validate(i) for i in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
    )


@router.get("/me/tasks/counts", response_model=TaskCounts, responses=_ERRORS)
def my_counts(request: Request, db: DatabaseDep) -> TaskCounts:
    """The 待办 badge of the home page and the others."""
    with LIST_READS, db.read_sessions() as session:
        principal = principal_in(session, request, touch=False)
        return TaskCounts(**inbox.counts(session, principal.user.user_id))


@router.get("/me/notifications", response_model=NotificationPage, responses=_ERRORS)
def my_notifications(
    request: Request,
    db: DatabaseDep,
    unread: Annotated[bool, Query(description="only unread ones")] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NotificationPage:
    with db.read_sessions() as session:
        user_id = principal_in(session, request, touch=False).user.user_id
        page = notifications.page(session, user_id=user_id, unread_only=unread, limit=limit, offset=offset)
    return NotificationPage(
        items=[NotificationPublic.model_validate(item) for item in page.items], total=page.total, unread=page.unread
    )


@router.post("/me/notifications/read", response_model=MarkedRead, responses=_ERRORS)
def mark_read(body: MarkRead, request: Request, db: DatabaseDep) -> MarkedRead:
    """Mark notifications read: `ids`, or `all`. Terminals queue the same as a `notification.read` operation."""
    if not body.all and body.ids is None:
        raise Invalid("invalid_payload", "请指定要标记为已读的通知")
    with db.sessions.begin() as session:
        user_id = principal_in(session, request).user.user_id
        updated, unread = notifications.mark_read_now(session, user_id=user_id, ids=None if body.all else body.ids)
    return MarkedRead(updated=updated, unread=unread)
