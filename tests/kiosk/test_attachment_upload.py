"""The desk client's upload of a form attachment (kiosk/services/attachments.py) against a real server: checked
locally first with the server's own rules, sent in chunks, resumed when an answer is lost, and a clear message
when the server cannot be reached."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from campus_common import forms
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.attachments import OFFLINE_MESSAGE, UploadError, upload
from sync_server.db import Database
from sync_server.models import Attachment
from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite

LIMITS = forms.AttachmentLimits(["pdf", "jpg", "jpeg", "png"], 20 * 1024 * 1024, 5)


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _client(server: LiveServer) -> ApiClient:
    client = ApiClient(server.url)
    client.access_token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    return client


def _uploads(server: LiveServer) -> int:
    db = Database(server.db_url)
    with db.session() as session:
        count = session.query(Attachment).count()
    db.dispose()
    return count


def test_a_file_is_uploaded_in_chunks_and_reported(server: LiveServer, tmp_path: Path) -> None:
    client = _client(server)
    content = b"%PDF-1.5\n" + os.urandom(1_300_000)
    path = tmp_path / "诊断证明.pdf"
    path.write_bytes(content)
    seen: list[tuple[int, int]] = []
    item = upload(client, path, "jw-xiuxue", "proofs", LIMITS, lambda done, total: seen.append((done, total)))
    assert set(item) == {"id", "name", "size", "sha256"}
    assert item["name"] == "诊断证明.pdf" and item["size"] == len(content)
    assert item["sha256"] == hashlib.sha256(content).hexdigest()
    assert [done for done, _ in seen] == [524288, 1048576, len(content)] and {t for _, t in seen} == {len(content)}
    back = requests.get(
        f"{server.url}/api/v1/attachments/{item['id']}/content", headers=bearer(client.access_token or ""), timeout=10
    )
    assert back.content == content
    # What the form's value holds is exactly what its schema wants.
    assert (
        forms.validate(
            {
                "schema": {"type": "object", "properties": {"f": {"type": "array", "items": forms.ATTACHMENT_ITEM}}},
                "ui": {
                    "sections": [{"key": "a", "title": "A", "fields": ["f"]}],
                    "fields": {"f": {"widget": "attachment"}},
                },
            },
            {"f": [item]},
        )
        == {}
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("简历.docx", b"PK\x03\x04 a word file", "只能上传 PDF、JPG 或 PNG 文件"),
        ("照片.jpg", b"%PDF-1.4 not a photo", "文件内容不是有效的 JPG 文件"),
        ("空.pdf", b"", "文件是空的"),
    ],
)
def test_a_file_the_field_refuses_never_leaves_the_desk(
    server: LiveServer, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    client = _client(server)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UploadError) as caught:
        upload(client, path, "jw-xiuxue", "proofs", LIMITS)
    assert caught.value.message == message
    assert _uploads(server) == 0


def test_too_large_is_refused_without_reading_the_file(server: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "扫描件.pdf"
    with path.open("wb") as fh:  # sparse: 30 MB declared, nothing written
        fh.truncate(30 * 1024 * 1024)
    client = _client(server)
    with pytest.raises(UploadError) as caught:
        upload(client, path, "jw-xiuxue", "proofs", LIMITS)
    assert caught.value.message == "文件超过 20MB，请压缩后再上传"
    with pytest.raises(UploadError, match="无法读取文件"):
        upload(client, tmp_path / "不存在.pdf", "jw-xiuxue", "proofs", LIMITS)
    assert _uploads(server) == 0


class LosingClient(ApiClient):
    """The second chunk reaches the server, but its answer is lost on the way back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.puts = 0

    def attachment_put(self, attachment_id: str, offset: int, data: bytes) -> dict[str, Any]:
        self.puts += 1
        result = super().attachment_put(attachment_id, offset, data)
        if self.puts == 2:
            raise ApiError("timeout", "服务器响应超时")
        return result


def test_a_lost_answer_does_not_send_a_chunk_twice(server: LiveServer, tmp_path: Path) -> None:
    client = LosingClient(server.url)
    client.access_token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    content = b"\x89PNG\r\n\x1a\n" + os.urandom(1_200_000)
    path = tmp_path / "现场照片.png"
    path.write_bytes(content)
    item = upload(client, path, "jw-xiuxue", "proofs", LIMITS)
    assert client.puts == 3  # three chunks, none sent twice: after the lost answer it asked where things stood
    back = requests.get(
        f"{server.url}/api/v1/attachments/{item['id']}/content", headers=bearer(client.access_token or ""), timeout=10
    )
    assert back.content == content


def test_offline_says_so_in_chinese(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 hello")
    with pytest.raises(UploadError) as caught:
        upload(ApiClient(f"http://127.0.0.1:{port}", timeout=2), path, "jw-xiuxue", "proofs", LIMITS)
    assert caught.value.message == OFFLINE_MESSAGE


def test_the_help_of_every_attachment_field_states_its_limits() -> None:
    """The help line people read and the limits both ends check say the same thing."""
    import json

    from sync_server.seed import SEED_DIR

    seen = 0
    for path in sorted((SEED_DIR / "forms").glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        for name, hints in definition["ui"]["fields"].items():
            if hints.get("widget") == "attachment":
                assert hints["help"] == forms.attachment_limits(definition, name).describe(), (path.name, name)
                seen += 1
    assert seen == 38
