"""An update never drops queued operations (issue 17): a kiosk store of the previous release (schema 12) holding
operations that version queued — signed ones of a departed session and unsigned ones waiting for their user's
next login — is opened by the current code (the store migrates), and synced against a server whose database went
through a real schema upgrade with its data (Alembic 0012 → head, the user's session and op grant in it). Every
operation is applied exactly once, and a replay of them changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from alembic import command
from sqlalchemy import func, select

from kiosk.models.store import LocalStore
from kiosk.services.api_client import ApiClient
from kiosk.services.auth import AuthService
from kiosk.services.device import outbox_snapshot
from kiosk.services.sync import SyncEngine, op_signer
from sync_server.db import Database
from sync_server.migrate import alembic_config, current_revision, head_revision, upgrade
from sync_server.models import AppliedOp, Favorite
from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, store_of_release

DEVICE = "kiosk-library-1"
PREVIOUS_STORE = 12  # the kiosk store schema of the release before this one
PREVIOUS_SERVER = "0012"


def test_ops_queued_by_the_previous_release_are_applied_once_after_both_sides_upgrade(
    db_url: str, tmp_path: Path
) -> None:
    # The previous release's server, with its data: a student who signed in on the kiosk (session and op grant).
    server = LiveServer(db_url=db_url, workdir=tmp_path).start()
    try:
        activated(server, STUDENT, STUDENT_PW)
        auth = AuthService(ApiClient(server.url), mode="kiosk", device_id=DEVICE, device_name="图书馆一楼自助机")
        user = auth.login(STUDENT, NEW_PW)
        assert user.op_key
        codes = [p["code"] for p in auth.client.processes()][:6]
    finally:
        server.stop()
    command.downgrade(alembic_config(db_url), PREVIOUS_SERVER)
    db = Database(db_url)
    try:
        assert current_revision(db.engine) == PREVIOUS_SERVER
    finally:
        db.dispose()

    # What that kiosk release queued, in its own store schema: four operations signed in the session the student
    # has left (delivered without a token), two unsigned ones waiting for the student's next login.
    sign = op_signer(user.op_key, user.session_id, DEVICE)
    queued: list[dict[str, Any]] = []
    path = tmp_path / "kiosk.db"
    with store_of_release(path, PREVIOUS_STORE) as conn:
        created = datetime.now(UTC) - timedelta(hours=2)
        for seq, (code, signed) in enumerate([(c, True) for c in codes[:4]] + [(c, False) for c in codes[4:]], 1):
            op = {
                "id": f"00000000-0000-4000-8000-{seq:012d}",
                "seq": seq,
                "type": "favorite.set",
                "payload": {"process_code": code, "on": True},
                "created_at": (created + timedelta(seconds=seq)).isoformat(),
            }
            conn.execute(
                "INSERT INTO outbox (id, user_id, seq, type, payload, created_at, status, attempts, session_id, "
                "signature, entity) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
                (
                    op["id"],
                    STUDENT,
                    seq,
                    op["type"],
                    json.dumps(op["payload"]),
                    op["created_at"],
                    user.session_id if signed else None,
                    sign(op) if signed else None,
                    f"favorite:{code}",
                ),
            )
            queued.append(op)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('outbox.last_seq', ?)", (str(len(queued)),))

    # Both sides upgraded: the server's schema to head (Alembic, with the data), the kiosk's store by opening it.
    upgrade(db_url)
    db = Database(db_url)
    try:
        assert current_revision(db.engine) == head_revision() != PREVIOUS_SERVER
    finally:
        db.dispose()
    server = LiveServer(db_url=db_url, workdir=tmp_path).start()
    store = LocalStore(path)
    try:
        assert outbox_snapshot(store)[0] == len(queued)  # nothing lost in the store's migration
        client = ApiClient(server.url)
        engine = SyncEngine(client, store, DEVICE)
        departed = engine.deliver_departed(current_user=None)
        assert (departed.sent, departed.applied, departed.rejected) == (4, 4, 0)
        kiosk_auth = AuthService(client, mode="kiosk", device_id=DEVICE, device_name="图书馆一楼自助机")
        again = kiosk_auth.login(STUDENT, NEW_PW)
        client.access_token = again.access_token
        pushed = engine.push(STUDENT)
        assert (pushed.sent, pushed.applied, pushed.rejected) == (2, 2, 0)
        assert outbox_snapshot(store)[0] == 0

        # Each applied once: one idempotency record each, and the effects are there.
        ids = [str(op["id"]) for op in queued]
        db = Database(db_url)
        try:
            with db.sessions() as session:
                records = session.execute(
                    select(AppliedOp.op_id, func.count()).where(AppliedOp.op_id.in_(ids)).group_by(AppliedOp.op_id)
                ).all()
                favorites = set(session.scalars(select(Favorite.process_code).where(Favorite.user_id == STUDENT)))
        finally:
            db.dispose()
        assert sorted(records) == sorted((i, 1) for i in ids)
        assert set(codes) <= favorites

        # The answers lost and the operations sent again: duplicates, no second effect.
        replay = requests.post(
            server.url + "/api/v1/sync/push",
            json={"device_id": DEVICE, "ops": queued[4:]},
            headers={"Authorization": f"Bearer {again.access_token}"},
            timeout=10,
        )
        assert replay.status_code == 200, replay.text
        assert [r["status"] for r in replay.json()["results"]] == ["duplicate", "duplicate"]
    finally:
        store.close()
        server.stop()
