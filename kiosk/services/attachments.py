"""Uploading a file for a form's attachment field (desk mode). Blocking: run it on a worker thread.

The file is checked against the field's limits with the server's own code (campus_common/forms.py `check_file`: type by
name and by its first bytes, size), hashed, declared, then sent in chunks of the size the server names; a chunk
the server says is out of place is resent from where the server stands. The result is what the form's value
holds: {"id", "name", "size", "sha256"}.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from campus_common import forms
from kiosk.services.api_client import ApiClient, ApiError

HEAD_BYTES = 16
RETRIES = 2
OFFLINE_MESSAGE = "网络未连接，附件暂时无法上传；已填写的内容都还在，联网后请重新选择文件"


class UploadError(Exception):
    """Why a file was not attached, in Chinese for the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_facts(path: Path) -> tuple[int, bytes, str]:
    """(size, first bytes, SHA-256) of the file, reading it once."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            if not head:
                head = block[:HEAD_BYTES]
            digest.update(block)
            size += len(block)
    return size, head, digest.hexdigest()


def check_local(path: Path, limits: forms.AttachmentLimits) -> tuple[int, str]:
    """Check the file before anything is sent; returns (size, sha256) or raises UploadError."""
    try:
        size = path.stat().st_size
        # Size and name first: a 2 GB video is refused without reading it.
        problem = forms.check_file(limits, path.name, size)
        if problem is None:
            size, head, sha256 = _read_facts(path)
            problem = forms.check_file(limits, path.name, size, head)
    except OSError as exc:
        raise UploadError(f"无法读取文件：{exc.strerror or exc}") from exc
    if problem is not None:
        raise UploadError(problem)
    return size, sha256


def _message(exc: ApiError) -> str:
    if exc.is_offline:
        return OFFLINE_MESSAGE
    return exc.message


def _send(client: ApiClient, attachment_id: str, offset: int, data: bytes) -> dict[str, Any]:
    """One chunk. A chunk whose answer was lost may have been stored: ask where the server stands and go on from
    there (a few times), rather than start the whole file again."""
    failures = 0
    while True:
        try:
            return client.attachment_put(attachment_id, offset, data)
        except ApiError as exc:
            if exc.code == "offset_mismatch":
                return client.attachment_state(attachment_id)
            failures += 1
            if not exc.is_offline or failures > RETRIES:
                raise
        state = client.attachment_state(attachment_id)
        if int(state["received"]) != offset:
            return state  # it was stored; only the answer was lost


def upload(
    client: ApiClient,
    path: Path,
    process_code: str,
    field: str,
    limits: forms.AttachmentLimits,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Check, declare and send the file; returns the form value's item. Raises UploadError."""
    size, sha256 = check_local(path, limits)
    try:
        state = client.attachment_create(
            {"process_code": process_code, "field": field, "name": path.name, "size": size, "sha256": sha256}
        )
        chunk = int(state["chunk_bytes"])
        offset = int(state["received"])
        with path.open("rb") as fh:
            while not state["complete"]:
                fh.seek(offset)
                data = fh.read(chunk)
                if not data:  # the file shrank while it was being sent
                    raise UploadError("文件在上传过程中被修改，请重新选择")
                state = _send(client, state["id"], offset, data)
                offset = int(state["received"])
                if on_progress is not None:
                    on_progress(offset, size)
    except ApiError as exc:
        raise UploadError(_message(exc)) from exc
    except OSError as exc:
        raise UploadError(f"无法读取文件：{exc.strerror or exc}") from exc
    return {"id": state["id"], "name": state["name"], "size": state["size"], "sha256": state["sha256"]}
