"""The workflow engine: carries an application (办件) from submission to 办结 along its process's definition
(core/workflow_defs.py), deciding every action on the server.

Each action locks the application's row first (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
serialises writers anyway), then checks the actor against the tasks as they are now: of two approvers acting at
once, the second finds the task taken and is refused with `task_already_handled`. The same code serves the REST
endpoint (`POST /api/v1/applications/{id}/actions`, refusals as HTTP errors) and the sync push (outbox operations
`workflow.<action>`, refusals as per-operation rejections with the same code).

After every action the application is re-announced to its applicant ("application" change) and every task of it
to its holder ("task" change; a task someone else took is deleted from its holder's list), so terminals stay
current offline; every action writes an audit event and notifies whom it concerns (core/notifications.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.statuses import FINAL, FINAL_PHRASES, WAITING_FOR_OTHERS
from sync_server.core import certificates, clock, form_data, notifications
from sync_server.core import workflow_defs as defs
from sync_server.core.clock import CAMPUS_TZ, as_utc, campus_today
from sync_server.core.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from sync_server.core.workflow_assignment import check_departments_named, eligible, transfer_targets
from sync_server.core.workflow_state import Ctx, context, latest_definition, previous_step, related
from sync_server.core.workflow_views import next_handlers, publish
from sync_server.models import Application, ApplicationEvent, FormDefinition, User, WorkflowTask

URGE_INTERVAL = timedelta(hours=1)
MAX_COMMENT = 500


def _forbidden() -> Forbidden:
    return Forbidden("forbidden", "您不是该申请当前步骤的办理人，无权执行此操作")


def _lock(session: Session, app_id: object) -> Application:
    if not isinstance(app_id, str) or not re.fullmatch(r"[0-9a-fA-F-]{32,36}", app_id):
        raise Invalid("invalid_payload", "申请编号不正确")
    app = session.execute(
        select(Application).where(Application.id == app_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if app is None:
        raise NotFound("application_not_found", "没有这个申请")
    return app


# -- entering steps ---------------------------------------------------------------------------------------------
def _event(ctx: Ctx, actor: User | None, action: str, step: str | None, **extra: Any) -> None:
    ctx.session.add(
        ApplicationEvent(
            application_id=ctx.app.id,
            visit=ctx.app.visit,
            step=step,
            action=action,
            actor_id=actor.user_id if actor else None,
            actor_name=actor.name if actor else "系统",
            comment=extra.get("comment"),
            field=extra.get("field"),
            data=extra.get("data"),
            created_at=ctx.now,
        )
    )


def _local(moment: datetime) -> str:
    return as_utc(moment).astimezone(CAMPUS_TZ).strftime("%Y-%m-%d %H:%M")


def _about(ctx: Ctx) -> str:
    return f"{ctx.applicant.name}的{ctx.process.name}（流水号 {ctx.app.serial}）"


def _notify(ctx: Ctx, user_id: str, kind: str, title: str, body: str) -> None:
    notifications.notify(ctx.session, user_id, kind, title, body, ctx.app.id, ctx.now)


def _normalise_id(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 32:
        raise Invalid("invalid_payload", f"{what}不正确")
    return value.strip().upper()


def _enter(
    ctx: Ctx,
    step: dict[str, Any],
    status: str,
    chosen: str | None = None,
    people: list[User] | None = None,
    returned_by: User | None = None,
    reason: str | None = None,
) -> list[WorkflowTask]:
    """Start a visit of `step`: tasks for whoever may act (only the chosen one, when the previous actor chose)."""
    if people is None:
        people = eligible(ctx.session, step, ctx.app.data, ctx.applicant)
        if chosen is not None:
            if not step.get("choose"):
                raise Invalid("invalid_handler", f"“{step['name']}”不能选择办理人")
            people = [u for u in people if u.user_id == chosen]
            if not people:
                raise Invalid("invalid_handler", f"所选人员不能办理“{step['name']}”，请重新选择")
    if not people:
        raise Conflict("no_handler", f"“{step['name']}”暂无办理人，请联系管理员")
    app = ctx.app
    app.visit += 1
    app.current_step = step["key"]
    app.status = status
    app.step_started_at = ctx.now
    app.updated_at = ctx.now
    due = ctx.now + timedelta(hours=step["due_hours"]) if step.get("due_hours") else None
    tasks = []
    for person in people:
        task = WorkflowTask(
            application_id=app.id,
            process_code=app.process_code,
            step=step["key"],
            visit=app.visit,
            assignee_id=person.user_id,
            status="open",
            created_at=ctx.now,
            due_at=due,
        )
        ctx.session.add(task)
        tasks.append(task)
        deadline = f"办理期限：{_local(due)}。" if due else ""
        if returned_by is not None:
            _notify(
                ctx,
                person.user_id,
                "returned",
                f"退回：{ctx.process.name}",
                f"{returned_by.name}将{_about(ctx)}退回到“{step['name']}”，请重新办理。"
                + (f"原因：{reason}。" if reason else "")
                + deadline,
            )
        elif defs.is_applicant_step(step):
            _notify(
                ctx,
                person.user_id,
                "task",
                f"待确认：{ctx.process.name}",
                f"您的{ctx.process.name}（流水号 {app.serial}）已到“{step['name']}”，请确认。{deadline}",
            )
        else:
            _notify(
                ctx,
                person.user_id,
                "task",
                f"新的待办：{ctx.process.name}",
                f"{_about(ctx)}已到“{step['name']}”，请及时办理。{deadline}",
            )
    ctx.session.flush()
    return tasks


def _back_to_applicant(ctx: Ctx, status: str) -> None:
    """The application goes back to its applicant (退回 to the applicant, 撤回): a task to revise and resubmit."""
    app = ctx.app
    app.visit += 1
    app.current_step = defs.APPLY
    app.status = status
    app.step_started_at = ctx.now
    app.updated_at = ctx.now
    ctx.session.add(
        WorkflowTask(
            application_id=app.id,
            process_code=app.process_code,
            step=defs.APPLY,
            visit=app.visit,
            assignee_id=app.applicant_id,
            status="open",
            created_at=ctx.now,
        )
    )
    ctx.session.flush()


def _finish(ctx: Ctx, status: str) -> None:
    app = ctx.app
    app.status = status
    app.current_step = None
    app.completed_at = ctx.now
    app.step_started_at = ctx.now
    app.updated_at = ctx.now


def _advance(ctx: Ctx, after: str, chosen: str | None) -> None:
    step = defs.next_step(ctx.definition, ctx.app.data, after)
    if step is None:
        if chosen is not None:
            raise Invalid("invalid_handler", "这是最后一步，办理后即办结，无需选择办理人")
        _finish(ctx, "completed")
        _event(ctx, None, "complete", None)
        # A 证明 process's document is made and signed now, once (core/certificates.py); when the school's records
        # lack what it needs, this raises and the approval is refused with the reason, the application stays open.
        certificates.issue(ctx.session, ctx.app, ctx.applicant, ctx.now)
        _notify(
            ctx,
            ctx.app.applicant_id,
            "completed",
            f"办结：{ctx.process.name}",
            f"您的{ctx.process.name}（流水号 {ctx.app.serial}）已办结。",
        )
        return
    _enter(ctx, step, "confirming" if defs.is_applicant_step(step) else "in_progress", chosen)


def _close_others(ctx: Ctx, keep: WorkflowTask | None, outcome: str) -> None:
    for task in ctx.visit_tasks():
        if task.status == "open" and task is not keep:
            task.status, task.outcome, task.acted_at = "cancelled", outcome, ctx.now
            ctx.cancelled_now.add(task.id)


# -- checks shared by the actions -------------------------------------------------------------------------------
def _my_open_task(ctx: Ctx, user: User, task_id: object) -> WorkflowTask:
    """The actor's open task at the current step, or the reason they may not act."""
    if task_id is not None and (not isinstance(task_id, int) or isinstance(task_id, bool)):
        raise Invalid("invalid_payload", "待办编号不正确")
    mine = [t for t in ctx.tasks() if t.assignee_id == user.user_id]
    open_now = [t for t in mine if t.status == "open" and t.visit == ctx.app.visit]
    if task_id is not None:
        open_now = [t for t in open_now if t.id == task_id]
    if open_now:
        return open_now[0]
    if not mine:
        raise _forbidden()
    wanted = next((t for t in mine if t.id == task_id), None) if task_id is not None else None
    last = wanted or mine[-1]
    step = ctx.step(last.step)
    if last.status == "cancelled" and last.outcome == "taken" and step is not None and defs.is_countersign(step):
        raise Conflict("task_already_handled", "会签已完成，无需再办理")
    if last.status == "cancelled" and last.outcome == "taken":
        taken_by = next(
            (t for t in ctx.tasks() if t.visit == last.visit and t.status == "done" and t.outcome != "transferred"),
            None,
        )
        who = f"已由{ctx.name_of(taken_by.assignee_id)}" if taken_by else "已由他人"
        raise Conflict("task_already_handled", f"该待办{who}处理，无需再办理")
    if last.status == "done":
        raise Conflict("task_already_handled", "您已处理过该待办，无需再办理")
    reasons = {
        "withdrawn": "申请人已撤回申请",
        "returned": "会签人已退回申请",
        "terminated": "申请人已终止申请",
        "rejected": "会签未通过",
    }
    if last.outcome in reasons:
        raise Conflict("task_cancelled", f"该待办已失效：{reasons[last.outcome or '']}")
    if ctx.app.status in FINAL:
        raise Conflict("application_closed", f"该申请{FINAL_PHRASES[ctx.app.status]}，不能再办理")
    raise Conflict("task_cancelled", "该待办已失效：申请已转到其他步骤")


def _comment(payload: dict[str, Any], required: str | None = None) -> str | None:
    value = payload.get("comment")
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid("comment_required", required, fields={"comment": required})
        return None
    if not isinstance(value, str):
        raise Invalid("invalid_payload", "意见的格式不正确")
    if len(value.strip()) > MAX_COMMENT:
        raise Invalid("comment_too_long", f"意见最多 {MAX_COMMENT} 个字", fields={"comment": "意见过长"})
    return value.strip()


def _section_values(ctx: Ctx, step: dict[str, Any], data: object, actor: User) -> dict[str, Any]:
    """The section a step fills, as the server stores it: only its fields; read-only ones (接收人, 审核日期)
    from the actor's records and the campus date; validated with the form's own rules."""
    fields = defs.section_fields(ctx.form, step)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("invalid_form", "表单数据格式不正确", fields={"": "表单数据格式不正确"})
    if not fields:
        if data:
            raise Invalid("invalid_form", "该步骤没有需要填写的内容", fields={"": "该步骤没有需要填写的内容"})
        return {}
    if set(data) - set(fields):
        raise Invalid("invalid_form", "表单中有未定义的内容", fields={"": "表单中有未定义的内容"})
    profile = form_data.profile_values(ctx.session, actor)
    out: dict[str, Any] = {}
    for name in fields:
        hints = forms.field_ui(ctx.form, name)
        source = hints.get("source")
        if hints.get("widget") == "readonly" and source == "today":
            out[name] = campus_today(ctx.now).isoformat()
        elif hints.get("widget") == "readonly" and isinstance(source, str):
            out[name] = profile.get(source, "")
        elif name in data:
            out[name] = data[name]
    out = forms.normalise(ctx.form, out)
    problems = forms.validate(ctx.form, out, step=step["section"])
    if problems:
        name, message = next(iter(problems.items()))
        label = forms.label_of(ctx.form, name) if name in ctx.form["ui"]["fields"] else ""
        raise Invalid("invalid_form", f"{label}：{message}" if label else message, fields=problems)
    return out


def _check_decision(ctx: Ctx, step: dict[str, Any], values: dict[str, Any], approving: bool) -> None:
    decision = step.get("decision")
    if not decision or decision["field"] not in values:
        return
    name, value = decision["field"], values[decision["field"]]
    label = forms.label_of(ctx.form, name)
    if approving and value in decision["negative"]:
        message = f"{label}为“{value}”时，请选择不予办理或退回"
        raise Invalid("decision_conflict", message, fields={name: message})
    if not approving and value not in decision["negative"]:
        message = f"不予办理时{label}应为“{'”或“'.join(decision['negative'])}”"
        raise Invalid("decision_conflict", message, fields={name: message})


def _mark_acting(ctx: Ctx) -> None:
    """A handler acted: the applicant can no longer withdraw."""
    if ctx.app.status == "submitted":
        ctx.app.status = "in_progress"
    ctx.app.updated_at = ctx.now


# -- the actions ---------------------------------------------------------------------------------------------------
def _approve(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    task = _my_open_task(ctx, user, payload.get("task_id"))
    step = ctx.step(task.step)
    if step is None:  # the applicant's own task: they resubmit, not approve
        raise Invalid("invalid_action", "请修改后重新提交，或终止申请")
    comment = _comment(payload)
    chosen = _normalise_id(payload.get("next_handler"), "办理人")
    values = _section_values(ctx, step, payload.get("data"), user)
    _check_decision(ctx, step, values, approving=True)
    task.status, task.outcome, task.acted_at, task.comment, task.data = "done", "approved", ctx.now, comment, values
    applicant_step = defs.is_applicant_step(step)
    _event(ctx, user, "confirm" if applicant_step else "approve", step["key"], comment=comment, data=values or None)
    if not applicant_step:
        _mark_acting(ctx)
    if defs.is_countersign(step):
        visit = ctx.visit_tasks()
        approvals = sum(1 for t in visit if t.outcome == "approved")
        still_open = sum(1 for t in visit if t.status == "open")
        mode = step["countersign"]
        done = still_open == 0 if mode["mode"] == "all" else approvals >= mode["k"]
        if not done:
            if chosen is not None:
                raise Invalid("invalid_handler", "会签尚未完成，不能选择下一步办理人")
            ctx.app.data = {**ctx.app.data, **values}
            return {"step_complete": False}
    _close_others(ctx, task, "taken")
    ctx.app.data = {**ctx.app.data, **values}
    _advance(ctx, step["key"], chosen)
    return {"step_complete": True}


def _return(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    task = _my_open_task(ctx, user, payload.get("task_id"))
    step = ctx.step(task.step)
    if step is None:
        raise Invalid("invalid_action", "请修改后重新提交，或终止申请")
    comment = _comment(payload, "请填写退回原因")
    to = payload.get("to", "applicant")
    if to not in ("applicant", "previous"):
        raise Invalid("invalid_payload", "退回目标只能是申请人或上一步")
    if defs.is_applicant_step(step):
        to = "previous"  # the applicant confirming sends it back to whoever handled it (e.g. 未修好)
    previous = previous_step(ctx) if to == "previous" else None
    task.status, task.outcome, task.acted_at, task.comment = "done", "returned", ctx.now, comment
    _close_others(ctx, task, "returned" if defs.is_countersign(step) else "taken")
    if previous is None:
        _event(ctx, user, "return", step["key"], comment=comment, data={"to": "applicant"})
        _back_to_applicant(ctx, "returned")
        _notify(
            ctx,
            ctx.app.applicant_id,
            "returned",
            f"退回：{ctx.process.name}",
            f"您的{ctx.process.name}（流水号 {ctx.app.serial}）被{user.name}退回，请修改后重新提交。原因：{comment}",
        )
        return {"returned_to": defs.APPLY}
    key, people = previous
    target = ctx.step(key)
    assert target is not None
    _event(ctx, user, "return", step["key"], comment=comment, data={"to": key})
    status = "confirming" if defs.is_applicant_step(target) else "in_progress"
    _enter(ctx, target, status, people=people or None, returned_by=user, reason=comment)
    return {"returned_to": key}


def _reject(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    task = _my_open_task(ctx, user, payload.get("task_id"))
    step = ctx.step(task.step)
    if step is None:
        raise Invalid("invalid_action", "请修改后重新提交，或终止申请")
    if defs.is_applicant_step(step):
        raise Invalid("invalid_action", "确认时不能选择不予办理；如有问题请退回上一步")
    comment = _comment(payload, "请填写不予办理的理由")
    values = _section_values(ctx, step, payload.get("data"), user) if payload.get("data") else {}
    _check_decision(ctx, step, values, approving=False)
    task.status, task.outcome, task.acted_at, task.comment, task.data = "done", "rejected", ctx.now, comment, values
    _mark_acting(ctx)
    _event(ctx, user, "reject", step["key"], comment=comment, data=values or None)
    if defs.is_countersign(step) and step["countersign"]["mode"] == "any":
        visit = ctx.visit_tasks()
        approvals = sum(1 for t in visit if t.outcome == "approved")
        still_open = sum(1 for t in visit if t.status == "open")
        if approvals + still_open >= step["countersign"]["k"]:
            return {"step_complete": False}  # a no vote; the others can still carry it
    _close_others(ctx, task, "rejected" if defs.is_countersign(step) else "taken")
    ctx.app.data = {**ctx.app.data, **values}
    _finish(ctx, "rejected")
    _notify(
        ctx,
        ctx.app.applicant_id,
        "rejected",
        f"不予办理：{ctx.process.name}",
        f"您的{ctx.process.name}（流水号 {ctx.app.serial}）不予办理。理由：{comment}",
    )
    return {"step_complete": True}


def _transfer(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    task = _my_open_task(ctx, user, payload.get("task_id"))
    step = ctx.step(task.step)
    if step is None or defs.is_applicant_step(step):
        raise Invalid("invalid_action", "申请人自己的步骤不能转办")
    target_id = _normalise_id(payload.get("transfer_to"), "转办对象")
    if target_id is None:
        raise Invalid("invalid_transfer", "请选择转办给谁", fields={"transfer_to": "请选择转办给谁"})
    target = next((u for u in transfer_targets(ctx, user) if u.user_id == target_id), None)
    if target is None:
        raise Invalid("invalid_transfer", "只能转办给本部门尚未参与该步骤的其他教职工")
    comment = _comment(payload)
    task.status, task.outcome, task.acted_at, task.comment = "done", "transferred", ctx.now, comment
    ctx.session.add(
        WorkflowTask(
            application_id=ctx.app.id,
            process_code=ctx.app.process_code,
            step=task.step,
            visit=task.visit,
            assignee_id=target.user_id,
            status="open",
            transferred_from=user.user_id,
            created_at=ctx.now,
            due_at=task.due_at,
        )
    )
    _mark_acting(ctx)
    _event(ctx, user, "transfer", step["key"], comment=comment, data={"to": target.user_id, "to_name": target.name})
    _notify(
        ctx,
        target.user_id,
        "task",
        f"转办：{ctx.process.name}",
        f"{user.name}将{_about(ctx)}的“{step['name']}”转给您办理。" + (f"说明：{comment}" if comment else ""),
    )
    ctx.session.flush()
    return {"transferred_to": target.user_id}


def _applicant_only(ctx: Ctx, user: User) -> None:
    if user.user_id != ctx.app.applicant_id:
        raise Forbidden("forbidden", "只有申请人本人可以执行此操作")


def _withdraw(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    _applicant_only(ctx, user)
    if ctx.app.status != "submitted":
        reason = "已有办理人处理，不能撤回" if ctx.app.status not in FINAL else f"该申请{FINAL_PHRASES[ctx.app.status]}"
        if ctx.app.status in ("returned", "withdrawn"):
            reason = "申请已在您这里，可直接修改后重新提交"
        raise Conflict("cannot_withdraw", reason)
    comment = _comment(payload)
    step = ctx.app.current_step
    _close_others(ctx, None, "withdrawn")
    _event(ctx, user, "withdraw", step, comment=comment)
    _back_to_applicant(ctx, "withdrawn")
    return {}


def _terminate(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    _applicant_only(ctx, user)
    if ctx.app.status in FINAL:
        raise Conflict("application_closed", f"该申请{FINAL_PHRASES[ctx.app.status]}")
    comment = _comment(payload)
    step = ctx.app.current_step
    for task in ctx.visit_tasks():
        if task.status == "open" and task.assignee_id == user.user_id and task.step == defs.APPLY:
            task.status, task.outcome, task.acted_at = "done", "terminated", ctx.now
    _close_others(ctx, None, "terminated")
    _event(ctx, user, "terminate", step, comment=comment)
    _finish(ctx, "terminated")
    return {}


def _urge(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    _applicant_only(ctx, user)
    if ctx.app.status not in WAITING_FOR_OTHERS:
        raise Conflict("cannot_urge", "当前没有等待他人办理的步骤，无需催办")
    last = ctx.session.scalar(
        select(func.max(ApplicationEvent.created_at)).where(
            ApplicationEvent.application_id == ctx.app.id, ApplicationEvent.action == "urge"
        )
    )
    if last is not None and ctx.now - as_utc(last) < URGE_INTERVAL:
        wait = URGE_INTERVAL - (ctx.now - as_utc(last))
        seconds = int(wait.total_seconds()) + 1
        minutes = (seconds + 59) // 60
        raise TooMany("urge_too_soon", f"每小时只能催办一次，请 {minutes} 分钟后再试", retry_after=seconds)
    comment = _comment(payload)
    holders = [t.assignee_id for t in ctx.visit_tasks() if t.status == "open"]
    _event(ctx, user, "urge", ctx.app.current_step, comment=comment, data={"to": holders})
    waited = ctx.now - as_utc(ctx.app.step_started_at or ctx.now)
    hours = int(waited.total_seconds() // 3600)
    for holder in holders:
        _notify(
            ctx,
            holder,
            "urged",
            f"催办：{ctx.process.name}",
            f"{_about(ctx)}已在“{ctx.step_name(ctx.app.current_step)}”等待{hours} 小时，申请人催办。"
            + (f"留言：{comment}" if comment else ""),
        )
    return {"urged": holders}


def _comment_action(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    if not related(ctx, user):
        raise Forbidden("forbidden", "只有申请人和办理人可以备注或批注")
    comment = _comment(payload, "请填写备注内容")
    name = payload.get("field")
    if name is not None and (not isinstance(name, str) or name not in ctx.form["schema"]["properties"]):
        raise Invalid("invalid_field", "批注的字段不存在", fields={"field": "批注的字段不存在"})
    _event(ctx, user, "annotate" if name else "comment", ctx.app.current_step, comment=comment, field=name)
    ctx.app.updated_at = ctx.now
    return {}


def _resubmit(ctx: Ctx, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    _applicant_only(ctx, user)
    if ctx.app.status not in ("returned", "withdrawn"):
        raise Conflict("cannot_resubmit", "该申请不在待修改状态，不能重新提交")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise Invalid("invalid_form", "表单数据格式不正确", fields={"": "表单数据格式不正确"})
    chosen = _normalise_id(payload.get("next_handler"), "办理人")
    stored = form_data.checked_applicant_data(ctx.session, ctx.form, data, user)
    # Server-filled numbers stay; what the steps filled before is cleared: they fill it again this round.
    for name in forms.applicant_fields(ctx.form):
        if forms.field_ui(ctx.form, name).get("source") in forms.SERVER_SOURCES and name in ctx.app.data:
            stored[name] = ctx.app.data[name]
    check_departments_named(ctx.session, ctx.definition, ctx.form, stored)
    for task in ctx.visit_tasks():
        if task.status == "open" and task.step == defs.APPLY:
            task.status, task.outcome, task.acted_at = "done", "resubmitted", ctx.now
    ctx.app.data = stored
    first = defs.steps(ctx.definition)[0]
    _enter(ctx, first, "submitted", chosen)
    _event(ctx, user, "resubmit", defs.APPLY, comment=_comment(payload))
    return {}


PERFORMERS: dict[str, Callable[[Ctx, User, dict[str, Any]], dict[str, Any]]] = {
    "approve": _approve,
    "return": _return,
    "reject": _reject,
    "transfer": _transfer,
    "withdraw": _withdraw,
    "terminate": _terminate,
    "urge": _urge,
    "comment": _comment_action,
    "resubmit": _resubmit,
}


def perform(session: Session, user: User, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one action on an application for `user`; raises a DomainError with the reason it may not."""
    if action not in PERFORMERS:
        raise Invalid("unknown_action", f"未知的操作：{action}")
    now = clock.now()
    app = _lock(session, payload.get("application_id"))
    ctx = context(session, app, now, to_act=False)
    if not related(ctx, user):
        raise _forbidden()
    if app.workflow_version is None:  # from before workflows (the demo's past applications): nothing to do
        raise Conflict("workflow_not_found", "该申请没有可执行的办理流程")
    result = PERFORMERS[action](ctx, user, payload)
    session.flush()
    publish(ctx)
    return {
        "application_id": app.id,
        "status": app.status,
        "current_step": app.current_step,
        "current_step_name": ctx.step_name(app.current_step),
        **result,
    }


def start(session: Session, app: Application, applicant: User, next_handler: object) -> None:
    """Put a just-submitted application on the first step of its process's current workflow."""
    row = latest_definition(session, app.process_code)
    form_row = session.get(FormDefinition, app.process_code)
    if row is None or form_row is None:
        raise Conflict("workflow_not_found", "该服务暂未配置办理流程")
    chosen = _normalise_id(next_handler, "办理人")
    app.workflow_version = row.version
    ctx = context(session, app, clock.now())
    check_departments_named(session, ctx.definition, ctx.form, app.data)
    _enter(ctx, defs.steps(ctx.definition)[0], "submitted", chosen)
    _event(ctx, applicant, "submit", defs.APPLY)
    session.flush()
    publish(ctx)


def handlers_after(session: Session, user: User, app_id: str) -> dict[str, Any] | None:
    """GET /applications/{id}/handlers: for a holder of an open task, whom the next step may go to."""
    app = session.get(Application, app_id)
    if app is None:
        raise NotFound("application_not_found", "没有这个申请")
    ctx = context(session, app, clock.now())
    task = _my_open_task(ctx, user, None)
    return next_handlers(ctx, task.step)
