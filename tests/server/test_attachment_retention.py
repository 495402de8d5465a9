"""Uploads no submitted form names are deleted after the retention period (sync_server/core/attachment_retention.py):
by `campus-sync-server purge-attachments` and by the server itself when it starts, on SQLite and PostgreSQL. A
named upload and a recent one are kept; a dry run deletes nothing."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, text, update

from sync_server.core.attachment_retention import PURGE_LOCK, PurgeSchedule, purge_unreferenced
from sync_server.core.op_grant import GRANT_TTL
from sync_server.db import Database
from sync_server.models import Attachment, AttachmentChunk
from tests.helpers import LiveServer, create_pg_database, run_server_cli
from tests.server.workflow_helpers import STUDENT, Client

XIUXUE = "jw-xiuxue"  # 休学审批申请: its `proofs` field takes files


def declare(client: Client, content: bytes, name: str = "诊断证明.pdf") -> dict[str, Any]:
    body = {
        "process_code": XIUXUE,
        "field": "proofs",
        "name": name,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    created = client.post("/api/v1/attachments", body)
    assert created.status_code == 201, created.text
    state: dict[str, Any] = created.json()
    return state


def send(client: Client, attachment_id: str, offset: int, chunk: bytes) -> dict[str, Any]:
    answer = requests.put(
        f"{client.server.url}/api/v1/attachments/{attachment_id}/content",
        params={"offset": offset},
        data=chunk,
        headers={**client.headers, "Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    state: dict[str, Any] = answer.json()
    return state


def upload(client: Client, size: int = 3000) -> dict[str, Any]:
    content = (b"%PDF-1.4\n" + os.urandom(size))[:size]
    state = declare(client, content)
    done = send(client, state["id"], 0, content)
    assert done["complete"] is True
    return {k: done[k] for k in ("id", "name", "size", "sha256")}


def partial_upload(client: Client) -> str:
    content = (b"%PDF-1.4\n" + os.urandom(3000))[:3000]
    state = declare(client, content, name="未传完.pdf")
    assert send(client, state["id"], 0, content[:1000])["complete"] is False
    return str(state["id"])


def application_data(proofs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "phone": "13800138000",
        "id_card": "410105200403150311",
        "suspend_reason": "因病",
        "suspend_period": {"start": "2026-09-01", "end": "2027-07-01"},
        "explanation": "需住院治疗",
        "parent_name": "王大明",
        "parent_phone": "13900139000",
        "parent_informed": "是",
        "proofs": proofs,
        "signature": "data:image/png;base64,iVBORw0KGgo=",
    }


def age(db: Database, ids: list[str], hours: float) -> None:
    """Make uploads look `hours` old: started and (when complete) finished then."""
    then = datetime.now(UTC) - timedelta(hours=hours)
    with db.transaction() as session:
        session.execute(update(Attachment).where(Attachment.id.in_(ids)).values(created_at=then))
        session.execute(
            update(Attachment)
            .where(Attachment.id.in_(ids), Attachment.completed_at.is_not(None))
            .values(completed_at=then)
        )


def stored(db: Database) -> tuple[set[str], set[str]]:
    """The upload ids in the database, and those with content stored."""
    with db.session() as session:
        rows = set(session.scalars(select(Attachment.id)))
        with_content = set(
            session.scalars(
                select(AttachmentChunk.attachment_id).group_by(AttachmentChunk.attachment_id).having(func.count() > 0)
            )
        )
    return rows, with_content


def purge(db_url: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = run_server_cli("purge-attachments", *args, db_url=db_url, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_old_uploads_no_form_names_are_deleted_named_and_recent_ones_kept(live_server: LiveServer) -> None:
    student = Client(live_server, STUDENT)
    named, unnamed, recent = upload(student), upload(student), upload(student)
    abandoned = partial_upload(student)
    submitted = student.submit(XIUXUE, application_data([named]))
    db = Database(live_server.db_url)
    try:
        age(db, [named["id"], unnamed["id"], abandoned], hours=337)
        everything = {named["id"], unnamed["id"], recent["id"], abandoned}
        assert stored(db) == (everything, everything)

        out = purge(live_server.db_url, "--dry-run")
        assert "将删除 2 个超过 336 小时" in out and "1 个同样久的附件被申请引用" in out and "试运行" in out, out
        assert stored(db) == (everything, everything)

        out = purge(live_server.db_url)
        assert out.startswith("已删除 2 个超过 336 小时、未被任何申请引用的附件（3.9KB）"), out  # 3000 + 1000 bytes
        kept = {named["id"], recent["id"]}
        assert stored(db) == (kept, kept)

        # --older-than instead of the setting; one upload a transaction, the named one is passed over, not looped on.
        age(db, [recent["id"]], hours=2)
        assert "将删除 1 个超过 1 小时" in purge(live_server.db_url, "--older-than", "1", "--dry-run")
        report = purge_unreferenced(db.sessions, older_than=timedelta(hours=1), batch=1, dry_run=True)
        assert (report.deleted, report.kept, report.busy) == (1, 1, False)
        assert stored(db) == (kept, kept)
    finally:
        db.dispose()

    # The named file is still there for whoever may read it.
    content = student.get(f"/api/v1/attachments/{named['id']}/content")
    assert content.status_code == 200 and hashlib.sha256(content.content).hexdigest() == named["sha256"]
    gone = student.get(f"/api/v1/attachments/{unnamed['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "attachment_not_found"
    assert student.application(submitted)["data"]["proofs"] == [named]


def test_the_retention_setting_and_the_servers_own_purge_when_it_starts(live_server: LiveServer) -> None:
    """The server's own purge keeps uploads at least as long as an offline desk submission naming them may still
    be delivered (GRANT_TTL, 14 days, also the default), whatever the setting; so does the CLI without
    --older-than."""
    student = Client(live_server, STUDENT)
    old, late = upload(student), upload(student)
    db = Database(live_server.db_url)
    try:
        age(db, [old["id"], late["id"]], hours=100)
        shorter = purge(live_server.db_url, env={"CAMPUS_SYNC_ATTACHMENT_RETENTION_HOURS": "72"})
        assert shorter.startswith("已删除 0 个超过 336 小时"), shorter
        assert stored(db) == ({old["id"], late["id"]}, {old["id"], late["id"]})

        age(db, [old["id"]], hours=GRANT_TTL / timedelta(hours=1) + 1)
        live_server.restart()  # the default: GRANT_TTL
        deadline = time.monotonic() + 20
        while old["id"] in stored(db)[0] and time.monotonic() < deadline:
            time.sleep(0.2)
        # The 100-hour-old one is past the setting but within a grant's life: a late submission may still name it.
        assert stored(db) == ({late["id"]}, {late["id"]})
    finally:
        db.dispose()


@pytest.mark.postgres
def test_one_process_purges_at_a_time_on_postgresql(seeded_pg: str) -> None:
    db = Database(create_pg_database(template=seeded_pg))
    try:
        with db.transaction() as other:  # another worker, purging
            other.execute(text(f"SELECT pg_advisory_xact_lock({PURGE_LOCK})"))
            assert purge_unreferenced(db.sessions, older_than=timedelta(hours=1)).busy
        assert not purge_unreferenced(db.sessions, older_than=timedelta(hours=1)).busy
    finally:
        db.dispose()


def test_the_servers_purge_never_keeps_uploads_shorter_than_a_grant_lives(seeded_sqlite: Any) -> None:
    db = Database(f"sqlite:///{seeded_sqlite}")
    try:
        assert PurgeSchedule(db.sessions, timedelta(hours=72)).retention == GRANT_TTL
        assert PurgeSchedule(db.sessions, GRANT_TTL * 2).retention == GRANT_TTL * 2
    finally:
        db.dispose()
