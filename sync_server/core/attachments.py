"""Attachments: files uploaded for the attachment fields of hall forms (desk mode), in chunks.

An upload is declared first (`create`: the form's field, the file's name, size and SHA-256), checked against the
field's limits with the same code the desk client used (campus_common/forms.py `check_file`), then filled chunk by chunk
in order (`append`); the last chunk completes it when the whole content has the declared hash. A chunk is a
request of its own, under the server's body limit, and an interrupted upload goes on from `received`.

Who may read one (`may_read`): its uploader; an admin; and, for an application of the uploader's that names it in
an attachment field, its applicant and everyone who holds or held a task on it (any task: open, done, transferred
or cancelled), nobody else of their department. Anyone else is refused as forbidden.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from campus_common import forms
from campus_common.audience import allows as audience_allows
from sync_server.core.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge, TooMany
from sync_server.models import (
    Application,
    Attachment,
    AttachmentChunk,
    FormDefinition,
    Process,
    User,
    WorkflowTask,
)

# A chunk stays well under the default 1 MiB request body limit (CAMPUS_SYNC_MAX_BODY_BYTES).
CHUNK_BYTES = 512 * 1024
# What one person may upload in a day: a form takes at most 10 files of 20 MB; this is several full forms, and
# keeps one account from filling the database.
DAILY_QUOTA_BYTES = 500 * 1024 * 1024
_SHA256 = re.compile(forms.ATTACHMENT_ITEM["properties"]["sha256"]["pattern"])


def not_found() -> NotFound:
    return NotFound("attachment_not_found", "附件不存在")


@dataclass(frozen=True)
class Declared:
    process_code: str
    field: str
    name: str
    size: int
    sha256: str


def public(row: Attachment) -> dict[str, Any]:
    """What the client learns of an upload; {id, name, size, sha256} is what a form's value holds."""
    return {
        "id": row.id,
        "name": row.name,
        "size": row.size,
        "sha256": row.sha256,
        "content_type": row.content_type,
        "received": row.received,
        "complete": row.complete,
        "chunk_bytes": CHUNK_BYTES,
    }


def create(session: Session, user: User, declared: Declared) -> Attachment:
    process = session.get(Process, declared.process_code)
    if process is None:
        raise NotFound("process_not_found", "该服务已不存在")
    if user.role != "admin" and not audience_allows(user.role, process.audience):
        raise Forbidden("forbidden", "该服务不面向您的身份")
    form = session.get(FormDefinition, declared.process_code)
    definition = form.definition if form is not None else None
    if (
        definition is None
        or declared.field not in forms.applicant_fields(definition)
        or forms.field_ui(definition, declared.field).get("widget") != "attachment"
    ):
        raise Invalid("not_an_attachment_field", "该表单项不能上传附件")
    if not _SHA256.fullmatch(declared.sha256):
        raise Invalid("invalid_checksum", "文件校验值格式不正确")
    limits = forms.attachment_limits(definition, declared.field)
    problem = forms.check_file(limits, declared.name, declared.size)
    if problem is not None:
        if declared.size > limits.max_bytes:
            raise TooLarge("file_too_large", problem)
        raise Invalid("invalid_file", problem)
    since = datetime.now(UTC) - timedelta(days=1)
    used = session.scalar(
        select(func.coalesce(func.sum(Attachment.size), 0)).where(
            Attachment.uploader_id == user.user_id, Attachment.created_at >= since
        )
    )
    if int(used or 0) + declared.size > DAILY_QUOTA_BYTES:
        raise TooMany("upload_quota_exceeded", "今天上传的附件已达上限，请明天再试")
    row = Attachment(
        id=uuid.uuid4().hex,
        uploader_id=user.user_id,
        process_code=declared.process_code,
        field=declared.field,
        name=declared.name,
        content_type=forms.ATTACHMENT_TYPES[forms.extension(declared.name)][0],
        size=declared.size,
        sha256=declared.sha256,
        received=0,
        complete=False,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def _locked(session: Session, attachment_id: str, user: User) -> Attachment:
    # FOR UPDATE: two chunks of one upload sent at once are stored one after the other (PostgreSQL; SQLite's
    # BEGIN IMMEDIATE serialises them anyway), so the second sees the first's `received`.
    row = session.scalars(select(Attachment).where(Attachment.id == attachment_id).with_for_update()).first()
    if row is None or row.uploader_id != user.user_id:
        raise not_found()  # only its uploader adds to an upload; to anyone else it does not exist
    return row


def append(
    session: Session, user: User, attachment_id: str, offset: int, data: bytes
) -> tuple[Attachment, Invalid | None]:
    """Store one chunk at `offset` (which must be what has been received so far). Returns the upload and, when the
    last chunk made a file whose hash is not the declared one, the refusal to answer with: the upload is then reset
    to nothing received, a change the caller must commit (so the refusal is returned, not raised)."""
    row = _locked(session, attachment_id, user)
    if row.complete:
        raise Conflict("upload_complete", "该附件已上传完成")
    if offset != row.received:
        raise Conflict("offset_mismatch", "上传位置不一致，请从已收到的位置继续", received=row.received)
    if not data:
        raise Invalid("empty_chunk", "上传的数据为空")
    if len(data) > CHUNK_BYTES or offset + len(data) > row.size:
        raise Invalid("chunk_too_large", "上传的数据超出了声明的文件大小")
    if offset == 0:
        ext = forms.extension(row.name)
        if not data.startswith(forms.ATTACHMENT_TYPES[ext][1]):
            raise Invalid("invalid_file", f"文件内容不是有效的 {forms.type_names([ext])} 文件")
    session.add(AttachmentChunk(attachment_id=row.id, offset=offset, data=data))
    row.received = offset + len(data)
    session.flush()
    if row.received < row.size:
        return row, None
    digest = hashlib.sha256()
    for chunk in _chunks(session, row.id):
        digest.update(chunk)
    if digest.hexdigest() != row.sha256:
        # Start over: what arrived is not the file that was declared.
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id == row.id))
        row.received = 0
        session.flush()
        return row, Invalid("checksum_mismatch", "文件在上传中损坏，请重新上传", received=0)
    row.complete = True
    row.completed_at = datetime.now(UTC)
    session.flush()
    return row, None


def _chunks(session: Session, attachment_id: str) -> list[bytes]:
    return list(
        session.scalars(
            select(AttachmentChunk.data)
            .where(AttachmentChunk.attachment_id == attachment_id)
            .order_by(AttachmentChunk.offset)
        )
    )


def _names(data: dict[str, Any], definition: dict[str, Any], attachment_id: str) -> bool:
    for name in forms.applicant_fields(definition):
        if forms.field_ui(definition, name).get("widget") != "attachment":
            continue
        value = data.get(name)
        if isinstance(value, list) and any(isinstance(i, dict) and i.get("id") == attachment_id for i in value):
            return True
    return False


def may_read(session: Session, user: User, row: Attachment) -> bool:
    if user.user_id == row.uploader_id or user.role == "admin":
        return True
    # Only the uploader's own applications count: naming someone else's attachment id in a form gives its
    # handlers nothing.
    applications = session.execute(
        select(Application.id, Application.applicant_id, Application.data).where(
            Application.applicant_id == row.uploader_id, Application.process_code == row.process_code
        )
    ).all()
    form = session.get(FormDefinition, row.process_code)
    if form is None:
        return False
    naming = [a for a in applications if isinstance(a.data, dict) and _names(a.data, form.definition, row.id)]
    if any(a.applicant_id == user.user_id for a in naming):
        return True
    if not naming:
        return False
    # Any task of theirs on it, whatever became of it: whoever handled, transferred or was passed over keeps
    # reading what they were given to decide on.
    held = session.scalar(
        select(WorkflowTask.id)
        .where(WorkflowTask.application_id.in_([a.id for a in naming]), WorkflowTask.assignee_id == user.user_id)
        .limit(1)
    )
    return held is not None


def readable(session: Session, user: User, attachment_id: str) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise not_found()
    if not may_read(session, user, row):
        raise Forbidden("forbidden", "没有权限查看该附件")
    return row


def readable_content(session: Session, *, user: User, attachment_id: str) -> tuple[Attachment, bytes]:
    """An upload `user` may read (`readable`) and its whole content, once it is complete."""
    row = readable(session, user, attachment_id)
    if not row.complete:
        raise Conflict("upload_incomplete", "该附件尚未上传完成")
    return row, b"".join(_chunks(session, row.id))
