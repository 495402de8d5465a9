"""Sync guarantee 7: what a user queued on a kiosk is delivered after they logged out or timed out, although
the kiosk keeps no token. Each operation is signed at enqueue time with the session's operation key (memory
only); the server checks the signature against the session the operations were made in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from kiosk.models.store import LocalStore
from kiosk.models.tables import LocalFavorite
from kiosk.services.api_client import ApiClient
from kiosk.services.auth import AuthService, UserSession
from kiosk.services.sync import SyncEngine, op_signer
from sync_server.db import Database
from sync_server.models import AppliedOp, AuthSession, ChangeLog, Favorite
from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated

DEVICE = "kiosk-east-1"


def _kiosk(server: LiveServer, tmp_path: Path) -> tuple[AuthService, SyncEngine, LocalStore]:
    client = ApiClient(server.url)
    auth = AuthService(client, mode="kiosk", device_id=DEVICE, device_name="东区 1 号机")
    store = LocalStore(tmp_path / "kiosk.db")
    return auth, SyncEngine(client, store, DEVICE), store


def _favorite(store: LocalStore, user: UserSession, code: str, on: bool = True) -> dict[str, Any]:
    assert user.op_key
    uid = user.user["user_id"]

    def local(session: Any) -> None:
        if on:
            session.merge(LocalFavorite(user_id=uid, process_code=code))

    return store.enqueue(
        uid,
        "favorite.set",
        {"process_code": code, "on": on},
        local,
        entity=f"favorite:{code}",
        session_id=user.session_id,
        signer=op_signer(user.op_key, user.session_id, DEVICE),
    )


def _server_favorites(server: LiveServer, user_id: str) -> list[str]:
    db = Database(server.db_url)
    with db.sessions() as session:
        codes = sorted(session.scalars(select(Favorite.process_code).where(Favorite.user_id == user_id)))
    db.dispose()
    return codes


def test_queued_while_offline_delivered_after_logout_without_a_token(live_server: LiveServer, tmp_path: Path) -> None:
    activated(live_server, STUDENT, STUDENT_PW)
    auth, engine, store = _kiosk(live_server, tmp_path)
    user = auth.login(STUDENT, NEW_PW)
    assert user.op_key and len(user.op_key) >= 43
    first = _favorite(store, user, "jw-xiuxue")
    second = _favorite(store, user, "jw-chengjidan")
    third = _favorite(store, user, "jw-xiuxue", on=False)

    # The student leaves; the kiosk forgets every token and key, and wipes their rows.
    auth.revoke_on_server(user.access_token)
    auth.forget_locally()
    store.wipe_personal()
    assert auth.client.access_token is None
    raw = (tmp_path / "kiosk.db").read_bytes()
    assert user.op_key.encode() not in raw and user.access_token.encode() not in raw

    report = engine.deliver_departed(current_user=None)
    assert (report.sent, report.applied, report.rejected) == (3, 3, 0)
    assert _server_favorites(live_server, STUDENT) == ["jw-chengjidan"]
    # Delivered operations' payloads are personal: gone from the kiosk.
    assert store.outbox_counts() == {"pending": 0, "applied": 0, "rejected": 0, "parked": 0}

    # Exactly once, in order: each operation's effect is in the change log once, in the order queued.
    db = Database(live_server.db_url)
    with db.sessions() as session:
        tagged = session.scalars(
            select(ChangeLog.op_id)
            .where(ChangeLog.op_id.in_([first["id"], second["id"], third["id"]]))
            .order_by(ChangeLog.seq)
        ).all()
    db.dispose()
    assert tagged == [first["id"], second["id"], third["id"]]

    # A replay (say, of a copy of the kiosk's disk taken before delivery) changes nothing.
    replay = requests.post(
        live_server.url + "/api/v1/sync/push",
        json={"device_id": DEVICE, "session_id": user.session_id, "ops": [first]},
        timeout=10,
    )
    assert replay.status_code == 200 and replay.json()["results"][0]["status"] == "rejected"  # unsigned copy
    signed = dict(first, signature=op_signer(user.op_key, user.session_id, DEVICE)(first))
    replay = requests.post(
        live_server.url + "/api/v1/sync/push",
        json={"device_id": DEVICE, "session_id": user.session_id, "ops": [signed]},
        timeout=10,
    )
    assert replay.json()["results"][0]["status"] == "duplicate"
    assert _server_favorites(live_server, STUDENT) == ["jw-chengjidan"]
    store.close()


def test_forged_or_tampered_operations_are_refused(live_server: LiveServer, tmp_path: Path) -> None:
    activated(live_server, STUDENT, STUDENT_PW)
    auth, engine, store = _kiosk(live_server, tmp_path)
    user = auth.login(STUDENT, NEW_PW)
    genuine = _favorite(store, user, "jw-xiuxue")
    auth.forget_locally()

    sign = op_signer(user.op_key or "", user.session_id, DEVICE)
    tampered = dict(genuine, payload={"process_code": "jw-chengjidan", "on": True}, signature=sign(genuine))
    wrong_key = op_signer("not-the-key", user.session_id, DEVICE)
    forged = dict(genuine, id="0f0f0f0f-0000-4000-8000-000000000001", seq=99)
    forged["signature"] = wrong_key(forged)
    answer = requests.post(
        live_server.url + "/api/v1/sync/push",
        json={"device_id": DEVICE, "session_id": user.session_id, "ops": [tampered, forged]},
        timeout=10,
    ).json()["results"]
    assert [r["error"]["code"] for r in answer] == ["bad_signature", "bad_signature"]

    # Another terminal cannot use this session's grant, nor can anyone name a session that does not exist.
    for device, session_id in ((DEVICE + "-other", user.session_id), (DEVICE, "f" * 32)):
        response = requests.post(
            live_server.url + "/api/v1/sync/push",
            json={"device_id": device, "session_id": session_id, "ops": [dict(genuine, signature=sign(genuine))]},
            timeout=10,
        )
        assert response.status_code == 401 and response.json()["error"]["code"] == "op_grant_invalid"

    db = Database(live_server.db_url)
    with db.sessions() as session:  # refused operations leave no idempotency record to squat on
        assert session.scalar(select(AppliedOp).where(AppliedOp.op_id == forged["id"])) is None
        assert session.get(AppliedOp, genuine["id"]) is None
    db.dispose()
    # The genuine one still goes through.
    assert engine.deliver_departed(None).applied == 1
    assert _server_favorites(live_server, STUDENT) == ["jw-xiuxue"]
    store.close()


def test_a_revoked_or_stale_grant_settles_the_queue_as_rejected(live_server: LiveServer, tmp_path: Path) -> None:
    """A session the user revoked in 我的登录设备 (the kiosk may be in the wrong hands) or one older than the
    grant's life delivers nothing; its operations are settled, so nothing waits forever behind them."""
    activated(live_server, STUDENT, STUDENT_PW)
    auth, engine, store = _kiosk(live_server, tmp_path)
    revoked_user = auth.login(STUDENT, NEW_PW)
    _favorite(store, revoked_user, "jw-xiuxue")
    auth.forget_locally()
    stale_user = auth.login(STUDENT, NEW_PW)
    _favorite(store, stale_user, "jw-chengjidan")
    auth.forget_locally()

    db = Database(live_server.db_url)
    with db.transaction() as session:
        row = session.get(AuthSession, revoked_user.session_id)
        assert row is not None
        row.revoked_at, row.revoke_reason = row.created_at, "revoked_by_user"
        stale = session.get(AuthSession, stale_user.session_id)
        assert stale is not None
        stale.created_at = stale.created_at - timedelta(days=15)
    db.dispose()

    report = engine.deliver_departed(None)
    assert (report.applied, report.rejected) == (0, 2)
    assert _server_favorites(live_server, STUDENT) == []
    assert store.outbox_counts()["pending"] == 0
    store.close()


def test_the_logged_in_user_is_not_delivered_as_departed(live_server: LiveServer, tmp_path: Path) -> None:
    activated(live_server, STUDENT, STUDENT_PW)
    auth, engine, store = _kiosk(live_server, tmp_path)
    user = auth.login(STUDENT, NEW_PW)
    _favorite(store, user, "jw-xiuxue")
    assert store.departed_sessions(STUDENT) == []
    assert engine.deliver_departed(STUDENT).sent == 0
    assert engine.push(STUDENT).applied == 1  # with the token, as usual
    store.close()
