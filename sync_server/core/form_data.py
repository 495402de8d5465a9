"""Form data as the server stores it: read-only fields filled from its own records, the applicant's part checked
with the same code the terminal used offline (campus_common/forms.py), files included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from campus_common import forms
from sync_server.core.clock import campus_today
from sync_server.core.errors import Invalid
from sync_server.models import Attachment, Department, User


def profile_values(session: Session, user: User) -> dict[str, str]:
    dept = session.get(Department, user.department_code) if user.department_code else None
    return {
        "profile.name": user.name,
        "profile.user_id": user.user_id,
        "profile.department_name": dept.name if dept else "",
        "profile.class_name": user.class_name or "",
        "profile.major": user.major or "",
        "profile.phone": user.phone or "",
        "profile.id_card": user.national_id or "",
        "profile.join_date": user.join_date or "",
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
        elif forms.locked_by_profile(hints) and profile.get(str(source)):
            out[name] = profile[str(source)]  # the school's record is final; a forged 身份证号 does not stick
        elif name in data:
            out[name] = data[name]
    out = forms.normalise(definition, out)  # trimmed, blanks as not given: exactly what the kiosk sends
    extra = set(data) - set(forms.applicant_fields(definition))
    if extra:
        raise Invalid("invalid_form", "表单中有未定义的内容", fields={"": "表单中有未定义的内容"})
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
        raise Invalid("invalid_form", f"{label}：{message}" if label else message, fields=problems)
    return stored


def _attachment_problems(
    session: Session, definition: dict[str, Any], data: dict[str, Any], user: User
) -> dict[str, str]:
    """Each file a form names must be one this applicant uploaded, completely, for this field of this process,
    with the name, size and SHA-256 the form says: a form cannot claim another person's file, a half-uploaded one,
    or a file under false metadata (the handlers read what the form names: core/attachments.py)."""
    problems: dict[str, str] = {}
    for name in forms.applicant_fields(definition):
        if forms.field_ui(definition, name).get("widget") != "attachment":
            continue
        for item in data.get(name) or []:
            # FOR SHARE: held until the application naming it commits, so the purge of unnamed uploads
            # (core/attachment_retention.py) cannot take it meanwhile.
            row = (
                session.get(Attachment, item.get("id"), with_for_update={"read": True})
                if isinstance(item, dict)
                else None
            )
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
