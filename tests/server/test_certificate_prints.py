"""Printed copies of certificates (issue 18, item 4 on the server): `certificate.print` operations through the
sync push, on SQLite and PostgreSQL — the holder only, idempotent, capped by the form's 份数 with a stable code,
two terminals racing for the last copy (one wins), a revoked certificate refused, the count in both views."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session

from campus_common import ops
from tests.helpers import LiveServer, create_pg_database
from tests.server.certificate_helpers import BASE, finish, reduced_font  # noqa: F401  (the module's font fixture)
from tests.server.workflow_helpers import JWC_A, STUDENT_2, Client


@pytest.fixture
def cert_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(tmp_path / "cert-key.pem"), "CAMPUS_SYNC_PUBLIC_URL": BASE}
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env=env).start()
    yield server
    server.stop()


def print_op(certificate_id: str, job_id: str | None = None, seq: int = 1) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": ops.CERTIFICATE_PRINT,
        "payload": {
            "certificate_id": certificate_id,
            "job_id": job_id or str(uuid.uuid4()),
            "device_id": "kiosk-a",
            "printed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "created_at": datetime.now(UTC).isoformat(),
    }


def push(client: Client, device: str, *ops_: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/sync/push", {"device_id": device, "ops": list(ops_)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_copies_are_counted_capped_raced_for_and_refused_when_revoked(cert_server: LiveServer) -> None:
    me, app_id = finish(cert_server, "jw-zaidu-zhengming")  # 份数 2
    cert = me.get(f"/api/v1/applications/{app_id}/certificate").json()
    assert (cert["copies_allowed"], cert["copies_printed"], cert["copies_left"]) == (2, 0, 2)
    cid = cert["id"]

    # Someone else cannot record a print of it (as if it did not exist), nor a staff member of the issuer.
    for other in (STUDENT_2, JWC_A):
        [r] = push(Client(cert_server, other), "kiosk-x", print_op(cid))
        assert r["status"] == "rejected" and r["error"]["code"] == "certificate_not_found"

    # The first copy; the same op again is a duplicate, the same job under another op id is counted once.
    first = print_op(cid)
    [r] = push(me, "kiosk-a", first)
    assert r["status"] == "applied" and r["result"]["copy"] == 1 and r["result"]["copies_left"] == 1
    assert push(me, "kiosk-a", first)[0]["status"] == "duplicate"
    again = print_op(cid, job_id=first["payload"]["job_id"])
    [r] = push(me, "kiosk-a", again)
    assert r["status"] == "applied" and r["result"]["copy"] == 1 and r["result"]["copies_printed"] == 1

    # Two kiosks race for the last copy, each in its own request at once: one wins, the other is refused.
    barrier = threading.Barrier(2)
    answers: dict[str, dict[str, Any]] = {}

    def race(device: str) -> None:
        op = print_op(cid)
        barrier.wait()
        answers[device] = push(me, device, op)[0]

    threads = [threading.Thread(target=race, args=(d,)) for d in ("kiosk-a", "kiosk-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = sorted(a["status"] for a in answers.values())
    assert statuses == ["applied", "rejected"], answers
    lost = next(a for a in answers.values() if a["status"] == "rejected")
    assert lost["error"]["code"] == "certificate_copies_used" and "重新申请" in lost["error"]["message"]

    # The count in both views; a further print is refused the same way.
    for view in (me.get(f"/api/v1/applications/{app_id}/certificate").json(),
                 next(c for c in me.get("/api/v1/certificates").json()["items"] if c["id"] == cid)):  # fmt: skip
        assert (view["copies_allowed"], view["copies_printed"], view["copies_left"]) == (2, 2, 0)
    [r] = push(me, "kiosk-a", print_op(cid))
    assert r["error"]["code"] == "certificate_copies_used"

    # A malformed payload is refused before the handler (the shared schema).
    bad = print_op(cid)
    bad["payload"]["certificate_id"] = "not-an-id"
    assert push(me, "kiosk-a", bad)[0]["error"]["code"] == "invalid_payload"

    # A revoked certificate is not printed (another application, issued by 保卫处: 份数 1).
    me, app_id = finish(cert_server, "bw-zanzhuzheng")
    cert = me.get(f"/api/v1/applications/{app_id}/certificate").json()
    assert cert["copies_allowed"] == 1
    officer = Client(cert_server, "100871")
    response = officer.post(f"/api/v1/certificates/{cert['id']}/revoke", {"reason": "信息有误"})
    assert response.status_code == 200, response.text
    [r] = push(me, "kiosk-a", print_op(cert["id"]))
    assert r["status"] == "rejected" and r["error"]["code"] == "certificate_revoked"
    assert me.get(f"/api/v1/applications/{app_id}/certificate").json()["copies_printed"] == 0


def test_a_claim_holds_the_last_copy_until_confirmed_released_or_expired(cert_server: LiveServer) -> None:
    """An online kiosk claims a copy before its job: the claim counts against the cap with the printed copies, so
    another kiosk (or a copy printed offline, pushed meanwhile) is refused 份数已用完; the job's op confirms the
    claim, a failed job releases it, and a claim left by a dead kiosk expires. Holder only, idempotent."""
    from sync_server.core import certificate_prints
    from sync_server.db import make_engine
    from sync_server.models import User

    me, app_id = finish(cert_server, "rs-gongzuo-zhengming")  # 份数 1
    cid = me.get(f"/api/v1/applications/{app_id}/certificate").json()["id"]
    claims = f"/api/v1/certificates/{cid}/claims"
    job_a, job_b = str(uuid.uuid4()), str(uuid.uuid4())

    def claim(who: Client, job: str) -> Any:
        return who.post(claims, {"job_id": job, "device_id": "kiosk-a", "ttl_s": 180})

    def release(who: Client, job: str) -> Any:
        return requests.delete(cert_server.url + f"{claims}/{job}", headers=who.headers, timeout=20)

    for other in (STUDENT_2, JWC_A):  # someone else's: as if it did not exist
        assert claim(Client(cert_server, other), job_a).json()["error"]["code"] == "certificate_not_found"
        assert release(Client(cert_server, other), job_a).status_code == 404
    assert claim(me, "not-a-job").status_code == 422
    first = claim(me, job_a)
    assert first.status_code == 200 and first.json()["confirmed"] is False, first.text
    assert claim(me, job_a).status_code == 200  # the same job again: its claim back
    refused = claim(me, job_b)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "certificate_copies_claimed"
    assert "份数已用完" in refused.json()["error"]["message"]
    # A copy printed offline and pushed now comes after the live claim.
    [r] = push(me, "kiosk-b", print_op(cid))
    assert r["status"] == "rejected" and r["error"]["code"] == "certificate_copies_claimed"

    # The job failed: released (twice: idempotent), and the copy is free for the other kiosk.
    assert release(me, job_a).json()["released"] is True
    assert release(me, job_a).json()["released"] is False
    assert claim(me, job_b).status_code == 200
    # A kiosk dies mid-job: at the claim's expiry (the longest any claim lives) the copy is free again.
    engine = make_engine(cert_server.db_url)
    try:
        with Session(engine) as session:
            later = datetime.now(UTC) + timedelta(seconds=certificate_prints.CLAIM_TTL_S[1] + 1)
            user = session.get(User, me.user_id)
            held = certificate_prints.claim(session, user, cid, {"job_id": job_a, "ttl_s": 60}, at=later)
            assert held["confirmed"] is False
            session.rollback()
    finally:
        engine.dispose()

    # B's job completed: its op confirms the claim; the copy is counted, nothing is left to claim.
    [r] = push(me, "kiosk-b", print_op(cid, job_id=job_b))
    assert r["status"] == "applied" and r["result"]["copies_left"] == 0, r
    assert claim(me, job_b).json()["confirmed"] is True  # asked again after the op: done already
    used = claim(me, str(uuid.uuid4()))
    assert used.status_code == 409 and used.json()["error"]["code"] == "certificate_copies_used"
    assert release(me, job_b).json()["released"] is False


@pytest.fixture
def pg_cert_server(seeded_pg: str, tmp_path: Path) -> Iterator[LiveServer]:
    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(tmp_path / "cert-key.pem"), "CAMPUS_SYNC_PUBLIC_URL": BASE}
    server = LiveServer(db_url=create_pg_database(template=seeded_pg), workdir=tmp_path, extra_env=env).start()
    yield server
    server.stop()


@pytest.mark.postgres
def test_the_conditional_update_holds_without_the_users_lock(pg_cert_server: LiveServer) -> None:
    """The push takes the user's row lock first, so one holder's pushes never overlap; the count must hold even
    without it. PostgreSQL: two transactions record the last copy; the second waits on the first's row lock,
    then re-checks `copies_printed < copies_allowed` and is refused. (SQLite has one writer at a
    time, BEGIN IMMEDIATE: nothing to overlap.)"""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from sync_server.core import certificate_prints
    from sync_server.core.errors import DomainError
    from sync_server.models import User

    me, app_id = finish(pg_cert_server, "rs-gongzuo-zhengming")  # 份数 1
    cid = me.get(f"/api/v1/applications/{app_id}/certificate").json()["id"]
    engine = create_engine(pg_cert_server.db_url)
    outcome: dict[str, str] = {}

    def second() -> None:
        with Session(engine) as session:
            try:
                certificate_prints.record(session, session.get(User, me.user_id), print_op(cid)["payload"])
                session.commit()
                outcome["second"] = "applied"
            except DomainError as exc:
                outcome["second"] = exc.code

    try:
        with Session(engine) as first:
            result = certificate_prints.record(first, first.get(User, me.user_id), print_op(cid)["payload"])
            assert result["copy"] == 1
            waiting = threading.Thread(target=second)
            waiting.start()
            waiting.join(1.5)
            assert waiting.is_alive(), "the second did not wait for the first's row lock"
            first.commit()
        waiting.join(15)
    finally:
        engine.dispose()
    assert outcome == {"second": "certificate_copies_used"}
    assert me.get(f"/api/v1/applications/{app_id}/certificate").json()["copies_printed"] == 1
