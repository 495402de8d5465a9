"""Attachments of hall forms (desk mode): declare an upload, send its content in chunks, read it back.
The rules (limits, who may read) are in core/attachments.py."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from sync_server.api.deps import CurrentPrincipal, ReadSessionDep, SessionDep
from sync_server.api.errors import ERROR_SCHEMA, error_response
from sync_server.core import attachments

router = APIRouter(prefix="/api/v1/attachments", tags=["attachments"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, description in (
        (403, "not allowed"),
        (404, "no such attachment (or process)"),
        (409, "out of order, already complete or not yet complete"),
        (413, "the file is larger than the field allows"),
        (422, "not a file the field accepts, or damaged in transit"),
        (429, "daily upload quota used up"),
    )
}
AttachmentId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="the id the upload was created with")]


class AttachmentCreate(BaseModel):
    process_code: str = Field(min_length=1, max_length=64)
    field: str = Field(min_length=1, max_length=64, description="the form's attachment field")
    name: str = Field(min_length=1, max_length=200, description="the file's name, with its extension")
    size: int = Field(ge=0, le=2**31 - 1, description="bytes")
    sha256: str = Field(max_length=64, description="of the whole content, lower-case hex")


class AttachmentPublic(BaseModel):
    id: str
    name: str
    size: int
    sha256: str
    content_type: str
    received: int = Field(description="bytes stored so far; the next chunk goes at this offset")
    complete: bool
    chunk_bytes: int = Field(description="the largest chunk the server takes")


@router.post("", status_code=201, response_model=AttachmentPublic, responses=_ERRORS)
def create_upload(body: AttachmentCreate, principal: CurrentPrincipal, session: SessionDep) -> dict[str, Any]:
    """Declare a file for an attachment field; checked against the field's accept / max_bytes limits."""
    declared = attachments.Declared(body.process_code, body.field, body.name, body.size, body.sha256)
    return attachments.public(attachments.create(session, principal.user, declared))


@router.put("/{attachment_id}/content", response_model=AttachmentPublic, responses=_ERRORS)
def put_chunk(
    attachment_id: AttachmentId,
    principal: CurrentPrincipal,
    session: SessionDep,
    data: Annotated[bytes, Body(media_type="application/octet-stream")],
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Any:
    """The next chunk (at most `chunk_bytes`), at `offset` = what was received so far. The last one completes
    the upload when the content's SHA-256 is the declared one; otherwise the upload starts over (422
    checksum_mismatch, received 0)."""
    row, damaged = attachments.append(session, principal.user, attachment_id, offset, data)
    if damaged is not None:
        return error_response(damaged)  # returned, not raised: the reset must be committed
    return attachments.public(row)


@router.get("/{attachment_id}", response_model=AttachmentPublic, responses=_ERRORS)
def get_attachment(attachment_id: AttachmentId, principal: CurrentPrincipal, session: ReadSessionDep) -> Any:
    """An upload's state (its uploader resumes from `received`); for its uploader, the handlers of the
    application that names it, and admins."""
    return attachments.public(attachments.readable(session, principal.user, attachment_id))


@router.get(
    "/{attachment_id}/content",
    responses={**_ERRORS, 200: {"description": "the file", "content": {"application/octet-stream": {}}}},
    response_class=Response,
)
def get_content(attachment_id: AttachmentId, principal: CurrentPrincipal, session: ReadSessionDep) -> Response:
    row, data = attachments.readable_content(session, user=principal.user, attachment_id=attachment_id)
    return Response(
        data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
