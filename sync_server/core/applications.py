"""Applications (办件): submitting a hall process's form. The workflow (core/workflow.py) then carries the
application to 办结.

The server is the authority on the form: it validates with the same code the terminal used offline
(campus_common/forms.py), and overrides every read-only field taken from the profile with what it knows of the user.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.audience import allows as audience_allows
from sync_server.core.change_log import lock_change_log
from sync_server.core.meta import get_meta, set_meta
from sync_server.core.sync import OpRejected, handler
from sync_server.core.workflow_state import CAMPUS_TZ, campus_today
from sync_server.models import Application, Department, FormDefinition, Process, User

SERIAL_KEY = "application.serial"
_UUID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


def profile_values(session: Session, user: User) -> dict[str, str]:
    dept = session.get(Department, user.department_code) if user.department_code else None
    return {
        "profile.name": user.name,
        "profile.user_id": user.user_id,
        "profile.department_name": dept.name if dept else "",
        "profile.class_name": user.class_name or "",
        "profile.phone": user.phone or "",
    }


def _authoritative(definition: dict[str, Any], data: dict[str, Any], profile: dict[str, str]) -> dict[str, Any]:
    """The applicant's part as the server will store it: only the applicant's fields; read-only profile fields
    from the server's own records; the filling date kept if it is a real date not in the future."""
    out: dict[str, Any] = {}
    today = campus_today(datetime.now(UTC))  # the terminal's date is the campus's, not UTC's
    for name in forms.applicant_fields(definition):
        hints = forms.field_ui(definition, name)
        source, widget = hints.get("source"), hints.get("widget")
        if source in forms.SERVER_SOURCES:
            continue
        if widget == "readonly" and source == "today":
            value = data.get(name)
            try:
                ok = isinstance(value, str) and date.fromisoformat(value) <= today
            except ValueError:
                ok = False
            out[name] = value if ok else today.isoformat()
        elif widget == "readonly" and isinstance(source, str):
            out[name] = profile.get(source, "")
        elif name in data:
            out[name] = data[name]
    out = forms.normalise(definition, out)  # trimmed, blanks as not given: exactly what the kiosk sends
    extra = set(data) - set(forms.applicant_fields(definition))
    if extra:
        raise OpRejected("invalid_form", "表单中有未定义的内容", fields={"": "表单中有未定义的内容"})
    return out


def checked_applicant_data(
    session: Session, definition: dict[str, Any], data: dict[str, Any], user: User
) -> dict[str, Any]:
    """The applicant's part as stored, validated (refused with per-field messages when it is not valid)."""
    stored = _authoritative(definition, data, profile_values(session, user))
    problems = forms.validate(definition, stored) or _attachment_problems(session, definition, stored, user)
    if problems:
        field, message = next(iter(problems.items()))
        label = forms.label_of(definition, field) if field in definition["ui"]["fields"] else ""
        raise OpRejected("invalid_form", f"{label}：{message}" if label else message, fields=problems)
    return stored


def _attachment_problems(
    session: Session, definition: dict[str, Any], data: dict[str, Any], user: User
) -> dict[str, str]:
    """Each file a form names must be one this applicant uploaded, completely, for this field of this process,
    with the name, size and SHA-256 the form says: a form cannot claim another person's file, a half-uploaded one,
    or a file under false metadata (the handlers read what the form names: core/attachments.py)."""
    from sync_server.models import Attachment

    problems: dict[str, str] = {}
    for name in forms.applicant_fields(definition):
        if forms.field_ui(definition, name).get("widget") != "attachment":
            continue
        for item in data.get(name) or []:
            row = session.get(Attachment, item.get("id")) if isinstance(item, dict) else None
            if (
                row is None
                or row.uploader_id != user.user_id
                or not row.complete
                or row.field != name
                or row.process_code != definition.get("process", row.process_code)
                or (row.name, row.size, row.sha256) != (item.get("name"), item.get("size"), item.get("sha256"))
            ):
                problems[name] = "附件不存在或未上传完成，请重新上传"
                break
    return problems


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


def summary(app: Application, process: Process) -> dict[str, Any]:
    return {
        "id": app.id,
        "serial": app.serial,
        "process_code": app.process_code,
        "process_name": process.name,
        "doc_no": app.doc_no,
        "status": app.status,
        "data": app.data,
        "created_at": app.created_at.isoformat(),
    }


@handler("application.submit")
def submit(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """Payload: application_id (chosen by the terminal), process_code, data (the applicant's part) and, when the
    first step lets the applicant choose (选择审核人), next_handler: the chosen person's 工号."""
    app_id, code, data = payload.get("application_id"), payload.get("process_code"), payload.get("data")
    if not isinstance(app_id, str) or not _UUID.match(app_id) or not isinstance(code, str):
        raise OpRejected("invalid_payload", "申请数据不完整")
    if payload.get("next_handler") is not None and not isinstance(payload["next_handler"], str):
        raise OpRejected("invalid_payload", "所选办理人不正确")
    if not isinstance(data, dict):
        raise OpRejected("invalid_form", "表单数据格式不正确", fields={"": "表单数据格式不正确"})
    process = session.get(Process, code)
    if process is None:
        raise OpRejected("process_not_found", "该服务已不存在")
    if user.role != "admin" and not audience_allows(user.role, process.audience):
        raise OpRejected("forbidden", "该服务不面向您的身份")
    form = session.get(FormDefinition, code)
    if form is None:
        raise OpRejected("form_not_found", "该服务暂不支持在线申请")
    if session.get(Application, app_id) is not None:
        raise OpRejected("duplicate_application", "该申请已提交过")
    definition = form.definition
    stored = checked_applicant_data(session, definition, data, user)

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
    from sync_server.core import workflow  # it builds on this module

    workflow.start(session, app, user, payload.get("next_handler"))  # announces the application and its tasks
    return {
        "application_id": app.id,
        "serial": app.serial,
        "doc_no": app.doc_no,
        "status": app.status,
        "current_step": app.current_step,
    }
