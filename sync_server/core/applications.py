"""Applications (办件): submitting a hall process's form (the `application.submit` operation), numbered with the
campus-wide 流水号 and the process's document number. The workflow (core/workflow.py) then carries the application
to 办结; the form data is stored as core/form_data.py makes it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.audience import allows as audience_allows
from sync_server.core import form_data, workflow
from sync_server.core.change_log import lock_change_log
from sync_server.core.clock import CAMPUS_TZ
from sync_server.core.errors import Conflict, Forbidden, Invalid, NotFound
from sync_server.core.meta import get_meta, set_meta
from sync_server.models import Application, FormDefinition, Process, User

SERIAL_KEY = "application.serial"
_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def _next_serial(session: Session) -> int:
    serial = int(get_meta(session, SERIAL_KEY) or "0") + 1
    set_meta(session, SERIAL_KEY, str(serial))
    return serial


def _doc_no(session: Session, process_code: str, moment: datetime) -> str:
    """Per-process document number, the manual's 202208-003: year-month and a running number in that month."""
    prefix = moment.astimezone(CAMPUS_TZ).strftime("%Y%m")  # the campus's month, not UTC's
    count = session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.process_code == process_code, Application.doc_no.like(prefix + "-%"))
    )
    return f"{prefix}-{(count or 0) + 1:03d}"


def submit(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """Payload: application_id (chosen by the terminal), process_code, data (the applicant's part) and, when the
    first step lets the applicant choose (选择审核人), next_handler: the chosen person's 工号."""
    app_id, code, data = payload.get("application_id"), payload.get("process_code"), payload.get("data")
    if not isinstance(app_id, str) or not _UUID.match(app_id) or not isinstance(code, str):
        raise Invalid("invalid_payload", "申请数据不完整")
    if payload.get("next_handler") is not None and not isinstance(payload["next_handler"], str):
        raise Invalid("invalid_payload", "所选办理人不正确")
    if not isinstance(data, dict):
        raise Invalid("invalid_form", "表单数据格式不正确", fields={"": "表单数据格式不正确"})
    process = session.get(Process, code)
    if process is None:
        raise NotFound("process_not_found", "该服务已不存在")
    if user.role != "admin" and not audience_allows(user.role, process.audience):
        raise Forbidden("forbidden", "该服务不面向您的身份")
    form = session.get(FormDefinition, code)
    if form is None:
        raise NotFound("form_not_found", "该服务暂不支持在线申请")
    if session.get(Application, app_id) is not None:
        raise Conflict("duplicate_application", "该申请已提交过")
    definition = form.definition
    stored = form_data.checked_applicant_data(session, definition, data, user)

    lock_change_log(session)  # serial and document numbers are handed out in commit order, campus-wide
    moment = datetime.now(UTC)
    app = Application(
        id=app_id,
        serial=_next_serial(session),
        process_code=code,
        applicant_id=user.user_id,
        form_version=form.version,
        data=stored,
        status="submitted",
        created_at=moment,
        updated_at=moment,
    )
    for name in forms.applicant_fields(definition):
        source = forms.field_ui(definition, name).get("source")
        if source == "server.doc_no":
            app.doc_no = _doc_no(session, code, moment)
            stored[name] = app.doc_no
        elif source == "server.serial":
            stored[name] = str(app.serial)
    app.data = stored
    session.add(app)
    session.flush()
    workflow.start(session, app, user, payload.get("next_handler"))  # announces the application and its tasks
    return {
        "application_id": app.id,
        "serial": app.serial,
        "doc_no": app.doc_no,
        "status": app.status,
        "current_step": app.current_step,
    }
