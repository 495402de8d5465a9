"""Attachments over a real server: a file declared for a form's attachment field, sent in chunks under the body
limit, resumed after an interruption, checked against the field's limits and its declared hash, and read back
only by its uploader, whoever holds or held a task on the application that names it, and admins — on SQLite
and PostgreSQL.
Also the attachment part of the form contract (campus_common/forms.py)."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from campus_common import forms
from sync_server.core.attachments import CHUNK_BYTES
from sync_server.migrate import upgrade
from sync_server.models import Base
from tests.helpers import ADMIN, ADMIN_PW, LIU, LIU_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer
from tests.server.workflow_helpers import example, password, positive, submit

OTHER_STUDENT, OTHER_STUDENT_PW = "2022010102", "220520"
JWC, JWC_PW = "100512", "180267"  # 教务处办事员: 教务处审核 of 休学审批申请
COLLEGE, COLLEGE_PW = "101822", "250452"  # 信息工程学院's counsellor: no part in 休学
SECRETARY = "101645"  # 信息工程学院's 教学秘书: its 学院意见 (dept_review) step
JWC_HEAD = "102315"  # 教务处负责人: none of 休学's steps is his, until a clerk transfers one to him
RSC, RSC_PW = "100638", "270138"  # 人事处: nothing to do with it

XIUXUE = "jw-xiuxue"  # 休学审批申请: students; proofs (PDF/JPG/PNG, 20 MB, 5 files)


def pdf(size: int) -> bytes:
    return (b"%PDF-1.4\n" + os.urandom(size))[:size]


def declare(server: LiveServer, token: str, content: bytes, **override: Any) -> requests.Response:
    body = {
        "process_code": XIUXUE,
        "field": "proofs",
        "name": "诊断证明.pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        **override,
    }
    return requests.post(server.url + "/api/v1/attachments", json=body, headers=bearer(token), timeout=10)


def put(server: LiveServer, token: str, attachment_id: str, offset: int, chunk: bytes) -> requests.Response:
    return requests.put(
        f"{server.url}/api/v1/attachments/{attachment_id}/content",
        params={"offset": offset},
        data=chunk,
        headers={**bearer(token), "Content-Type": "application/octet-stream"},
        timeout=30,
    )


def upload(server: LiveServer, token: str, content: bytes, **override: Any) -> dict[str, Any]:
    created = declare(server, token, content, **override)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    for offset in range(0, len(content), body["chunk_bytes"]):
        answer = put(server, token, body["id"], offset, content[offset : offset + body["chunk_bytes"]])
        assert answer.status_code == 200, answer.text
        body = answer.json()
    assert body["complete"] is True
    return body


def error(response: requests.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def test_a_file_goes_up_in_chunks_and_comes_back(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    content = pdf(2 * CHUNK_BYTES + 12345)  # three chunks; more than the 1 MiB body limit in all
    created = declare(live_server, token, content)
    assert created.status_code == 201, created.text
    state = created.json()
    assert len(state["id"]) == 32 and state["received"] == 0 and state["complete"] is False
    assert state["content_type"] == "application/pdf" and state["chunk_bytes"] == CHUNK_BYTES

    first = put(live_server, token, state["id"], 0, content[:CHUNK_BYTES])
    assert first.status_code == 200 and first.json()["received"] == CHUNK_BYTES
    # The connection broke: the client asks where it stands, and a chunk sent at the wrong place is refused.
    where = requests.get(f"{live_server.url}/api/v1/attachments/{state['id']}", headers=bearer(token), timeout=10)
    assert where.json()["received"] == CHUNK_BYTES and where.json()["complete"] is False
    early = requests.get(
        f"{live_server.url}/api/v1/attachments/{state['id']}/content", headers=bearer(token), timeout=10
    )
    assert early.status_code == 409 and error(early) == "upload_incomplete"
    again = put(live_server, token, state["id"], 0, content[:CHUNK_BYTES])
    assert again.status_code == 409 and error(again) == "offset_mismatch"
    assert again.json()["error"]["received"] == CHUNK_BYTES
    for offset in range(CHUNK_BYTES, len(content), CHUNK_BYTES):
        answer = put(live_server, token, state["id"], offset, content[offset : offset + CHUNK_BYTES])
        assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["complete"] is True and done["received"] == len(content)
    assert {k: done[k] for k in ("id", "name", "size", "sha256")} == {
        "id": state["id"],
        "name": "诊断证明.pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    late = put(live_server, token, state["id"], len(content), b"x")
    assert late.status_code == 409 and error(late) == "upload_complete"

    back = requests.get(
        f"{live_server.url}/api/v1/attachments/{state['id']}/content", headers=bearer(token), timeout=10
    )
    assert back.status_code == 200 and back.content == content
    assert back.headers["content-type"] == "application/pdf"
    assert (
        back.headers["content-disposition"] == "attachment; filename*=UTF-8''%E8%AF%8A%E6%96%AD%E8%AF%81%E6%98%8E.pdf"
    )
    assert back.headers["x-content-type-options"] == "nosniff"


def test_what_the_field_does_not_accept_is_refused_with_a_stable_code(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    small = pdf(1000)
    cases: list[tuple[dict[str, Any], int, str, str]] = [
        ({"name": "病历.exe"}, 422, "invalid_file", "只能上传 PDF、JPG 或 PNG 文件"),
        ({"name": "没有扩展名"}, 422, "invalid_file", "只能上传 PDF、JPG 或 PNG 文件"),
        ({"name": "../../etc/passwd.pdf"}, 422, "invalid_file", "文件名不正确"),
        ({"name": "长" * 118 + ".pdf"}, 422, "invalid_file", "文件名过长（最多 120 个字），请改短后再上传"),
        ({"size": 20 * 1024 * 1024 + 1}, 413, "file_too_large", "文件超过 20MB，请压缩后再上传"),
        ({"size": 0}, 422, "invalid_file", "文件是空的"),
        ({"size": -1}, 422, "validation_error", ""),
        ({"sha256": "F" * 64}, 422, "invalid_checksum", "文件校验值格式不正确"),
        ({"field": "explanation"}, 422, "not_an_attachment_field", "该表单项不能上传附件"),
        ({"field": "no_such_field"}, 422, "not_an_attachment_field", "该表单项不能上传附件"),
        ({"process_code": "no-such-process"}, 404, "process_not_found", "该服务已不存在"),
        ({"process_code": "rs-ruzhi", "field": "documents"}, 403, "forbidden", "该服务不面向您的身份"),
    ]
    for override, status, code, message in cases:
        answer = declare(live_server, token, small, **override)
        assert (answer.status_code, error(answer)) == (status, code), (override, answer.text)
        if message:
            assert answer.json()["error"]["message"] == message, override
    not_json = requests.post(
        live_server.url + "/api/v1/attachments", data=b"\x00\x01", headers=bearer(token), timeout=10
    )
    assert not_json.status_code == 422 and error(not_json) == "validation_error"
    anonymous = requests.post(live_server.url + "/api/v1/attachments", json={}, timeout=10)
    assert anonymous.status_code == 401 and error(anonymous) == "unauthorized"

    # The content must be what the name says: a renamed file is refused at its first chunk.
    fake = b"MZ\x90\x00" + os.urandom(996)
    state = declare(live_server, token, fake, name="扫描件.pdf").json()
    renamed = put(live_server, token, state["id"], 0, fake)
    assert renamed.status_code == 422 and error(renamed) == "invalid_file"
    assert renamed.json()["error"]["message"] == "文件内容不是有效的 PDF 文件"
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(100)
    assert upload(live_server, token, png, name="照片.PNG")["complete"]

    # More than was declared, an empty chunk, a chunk over the body limit, a chunk for someone else's upload.
    state = declare(live_server, token, small).json()
    over = put(live_server, token, state["id"], 0, small + b"more")
    assert over.status_code == 422 and error(over) == "chunk_too_large"
    empty = put(live_server, token, state["id"], 0, b"")
    assert empty.status_code == 422 and error(empty) == "validation_error"  # no body at all
    huge = put(live_server, token, state["id"], 0, b"%PDF-" + bytes(1024 * 1024))
    assert huge.status_code == 413 and error(huge) == "payload_too_large"
    other = activated(live_server, OTHER_STUDENT, OTHER_STUDENT_PW)["access_token"]
    foreign = put(live_server, other, state["id"], 0, small)
    assert foreign.status_code == 404 and error(foreign) == "attachment_not_found"
    bad_id = put(live_server, token, "not-an-id", 0, small)
    assert bad_id.status_code == 422 and error(bad_id) == "validation_error"
    unknown = put(live_server, token, uuid.uuid4().hex, 0, small)
    assert unknown.status_code == 404 and error(unknown) == "attachment_not_found"

    # Damaged in transit: the whole file does not have the declared hash; the upload starts over.
    damaged = small[:-1] + bytes([small[-1] ^ 1])
    broken = put(live_server, token, state["id"], 0, damaged)
    assert broken.status_code == 422 and error(broken) == "checksum_mismatch"
    where = requests.get(f"{live_server.url}/api/v1/attachments/{state['id']}", headers=bearer(token), timeout=10)
    assert where.json()["received"] == 0 and where.json()["complete"] is False
    assert put(live_server, token, state["id"], 0, small).json()["complete"] is True


def test_a_daily_quota_per_person(live_server: LiveServer) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    big = {"size": 20 * 1024 * 1024, "sha256": "0" * 64}
    answers = [declare(live_server, token, b"", **big) for _ in range(26)]
    assert [a.status_code for a in answers] == [201] * 25 + [429]
    assert error(answers[-1]) == "upload_quota_exceeded"
    other = activated(live_server, OTHER_STUDENT, OTHER_STUDENT_PW)["access_token"]
    assert declare(live_server, other, b"", **big).status_code == 201  # one person's quota, not everyone's


def test_who_may_read_an_attachment(live_server: LiveServer) -> None:
    student = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    content = pdf(5000)
    item = upload(live_server, student, content)
    attachment = {k: item[k] for k in ("id", "name", "size", "sha256")}
    tokens = {
        who: activated(live_server, who, pw)["access_token"]
        for who, pw in (
            (OTHER_STUDENT, OTHER_STUDENT_PW),
            (JWC, JWC_PW),
            (COLLEGE, COLLEGE_PW),
            (RSC, RSC_PW),
            (LIU, LIU_PW),
            (ADMIN, ADMIN_PW),
        )
    }

    def status(token: str) -> int:
        url = f"{live_server.url}/api/v1/attachments/{item['id']}/content"
        answer = requests.get(url, headers=bearer(token), timeout=10)
        if answer.status_code == 200:
            assert answer.content == content
        else:
            assert error(answer) == "forbidden"
        meta = requests.get(f"{live_server.url}/api/v1/attachments/{item['id']}", headers=bearer(token), timeout=10)
        assert meta.status_code == answer.status_code
        return answer.status_code

    def who_reads() -> set[str]:
        return {who for who, token in tokens.items() if status(token) == 200}

    assert status(student) == 200
    assert who_reads() == {ADMIN}  # not yet part of any application: its uploader and admins only

    # Another student names it in an application of their own: refused (it is not their file), and its
    # handlers get nothing.
    form = requests.get(live_server.url + f"/api/v1/hall/processes/{XIUXUE}/form", timeout=10).json()
    data = {
        "phone": "13800138000",
        "id_card": "410105200403150311",
        "suspend_reason": "因病",
        "suspend_period": {"start": "2026-09-01", "end": "2027-07-01"},
        "explanation": "需住院治疗",
        "parent_name": "王大明",
        "parent_phone": "13900139000",
        "parent_informed": "是",
        "proofs": [attachment],
        "signature": "data:image/png;base64,iVBORw0KGgo=",
    }
    assert set(data) <= set(forms.applicant_fields(form)), set(data) - set(forms.applicant_fields(form))
    borrowed = submit(live_server, tokens[OTHER_STUDENT], XIUXUE, data)
    assert borrowed["status"] == "rejected", borrowed
    assert borrowed["error"]["fields"] == {"proofs": "附件不存在或未上传完成，请重新上传"}
    assert who_reads() == {ADMIN}
    # Its owner cannot claim it under another name or size either.
    renamed = submit(live_server, student, XIUXUE, {**data, "proofs": [{**attachment, "name": "other.pdf"}]})
    assert renamed["status"] == "rejected" and "proofs" in renamed["error"]["fields"], renamed

    mine = submit(live_server, student, XIUXUE, data)
    assert mine["status"] == "applied", mine
    app_id = mine["result"]["application_id"]
    # Its first step, 学院意见, is with the college's 教学秘书 alone: the counsellor of that college and the 教务处
    # clerks, approvers of the departments concerned but given no task, read nothing.
    tokens[SECRETARY] = activated(live_server, SECRETARY, password(SECRETARY))["access_token"]
    tokens[JWC_HEAD] = activated(live_server, JWC_HEAD, password(JWC_HEAD))["access_token"]
    assert who_reads() == {ADMIN, SECRETARY}

    def act(who: str, action: str, **body: Any) -> None:
        answer = requests.post(
            f"{live_server.url}/api/v1/applications/{app_id}/actions",
            json={"action": action, **body},
            headers=bearer(tokens[who]),
            timeout=20,
        )
        assert answer.status_code == 200, answer.text

    act(SECRETARY, "approve", data=example(XIUXUE, SECRETARY, "dept_review", where=positive(XIUXUE, "dept_review")))
    # 教务处审核: both clerks hold it now (one of them is JWC); their head holds nothing yet. The secretary, whose
    # task is done, still reads it.
    assert who_reads() == {ADMIN, SECRETARY, JWC}
    act(JWC, "transfer", transfer_to=JWC_HEAD)
    assert who_reads() == {ADMIN, SECRETARY, JWC, JWC_HEAD}  # the one it was transferred to, and who transferred it

    missing = requests.get(f"{live_server.url}/api/v1/attachments/{uuid.uuid4().hex}", headers=bearer(student))
    assert missing.status_code == 404 and error(missing) == "attachment_not_found"


# -- the form contract ---------------------------------------------------------------------------------------
LIMITS = forms.AttachmentLimits(["pdf", "jpg", "jpeg", "png"], 20 * 1024 * 1024, 5)


@pytest.mark.parametrize(
    ("name", "size", "head", "message"),
    [
        ("a.pdf", 10, b"%PDF-1.7", None),
        ("照片.JPEG", 10, b"\xff\xd8\xff\xe0", None),
        ("a.pdf", 10, None, None),  # the head is not known yet (the server checks it with the first chunk)
        ("a.png", 10, b"%PDF-1.7", "文件内容不是有效的 PNG 文件"),
        ("a.jpg", 10, b"\x89PNG\r\n\x1a\n", "文件内容不是有效的 JPG 文件"),
        ("a.docx", 10, None, "只能上传 PDF、JPG 或 PNG 文件"),
        ("a.pdf", 0, None, "文件是空的"),
        ("a.pdf", 20 * 1024 * 1024 + 1, None, "文件超过 20MB，请压缩后再上传"),
        ("dir/a.pdf", 10, None, "文件名不正确"),
        (" ", 10, None, "文件名不正确"),
    ],
)
def test_check_file(name: str, size: int, head: bytes | None, message: str | None) -> None:
    assert forms.check_file(LIMITS, name, size, head) == message


def test_limits_describe_themselves_as_the_help_does() -> None:
    assert LIMITS.describe() == "PDF、JPG 或 PNG 文件，每个不超过 20MB，最多 5 个"
    assert forms.AttachmentLimits(["png"], 1536, 1).describe() == "PNG 文件，每个不超过 1.5KB，最多 1 个"
    assert forms.size_text(1_234_567) == "1.2MB" and forms.size_text(900) == "900B"


def test_definitions_must_state_consistent_limits() -> None:
    def definition(hints: dict[str, Any], prop: dict[str, Any] | None = None) -> dict[str, Any]:
        item = {**forms.ATTACHMENT_ITEM}
        item["properties"] = {**item["properties"], "size": {"type": "integer", "minimum": 1, "maximum": 1000}}
        return {
            "schema": {
                "type": "object",
                "properties": {
                    "note": {"type": "string", "maxLength": 10},
                    "files": prop or {"type": "array", "items": item, "maxItems": 2},
                },
                "additionalProperties": False,
            },
            "ui": {
                "sections": [{"key": "a", "title": "A", "fields": ["note", "files"]}],
                "fields": {
                    "note": {"widget": "text", "label": "备注"},
                    "files": {"widget": "attachment", "label": "附件", **hints},
                },
            },
        }

    good = {"accept": ["pdf"], "max_bytes": 1000, "max_count": 2}
    assert forms.definition_problems(definition(good)) == []
    assert forms.definition_problems(definition({**good, "max_bytes": 999})) == [
        "files: max_bytes must be items.properties.size.maximum"
    ]
    assert forms.definition_problems(definition({**good, "max_count": 3})) == ["files: max_count must be maxItems"]
    assert forms.definition_problems(definition({**good, "accept": ["exe"]})) == [
        "files: accept must list extensions of ['jpeg', 'jpg', 'pdf', 'png']"
    ]
    old_items = {
        "type": "array",
        "maxItems": 2,
        "items": {
            "type": "object",
            "properties": {k: v for k, v in forms.ATTACHMENT_ITEM["properties"].items() if k != "id"},
            "required": ["name", "size", "sha256"],
            "additionalProperties": False,
        },
    }
    assert "files: attachment items must be {id, name, size, sha256}" in forms.definition_problems(
        definition(good, old_items)
    )


def test_the_migration_makes_the_attachment_tables_of_the_models(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    ours = [d for d in diff if "attachment" in repr(d)]
    assert ours == []
