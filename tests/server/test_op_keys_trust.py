"""Keys die with trust: a changed or reset password ends the operation keys of the user's other sessions, so what
was signed with them is no longer delivered after logout (push_granted answers op_grant_invalid); a plain
logout keeps its key — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import requests
from sqlalchemy import select

from campus_common import op_signing
from sync_server.db import Database
from sync_server.models import Favorite
from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    login,
    run_server_cli,
)

OTHER_PW = "Campus2026again"


def _signed_in(server: LiveServer, password: str, device: str, kind: str = "kiosk") -> dict[str, Any]:
    response = login(server, STUDENT, password, device_id=device, device_name=device, kind=kind)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["op_key"]
    return {**body, "device": device}


def _queued(signed_in: dict[str, Any], code: str) -> dict[str, Any]:
    """A ★ as a kiosk queues it: signed with the session's operation key at enqueue time."""
    op = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": True},
        "created_at": datetime.now(UTC).isoformat(),
    }
    op["signature"] = op_signing.sign(signed_in["op_key"], signed_in["session_id"], signed_in["device"], op)
    return op


def _logout(server: LiveServer, signed_in: dict[str, Any]) -> None:
    response = requests.post(server.url + "/api/v1/auth/logout", headers=bearer(signed_in["access_token"]), timeout=10)
    assert response.status_code == 200


def _deliver(server: LiveServer, signed_in: dict[str, Any], op: dict[str, Any]) -> requests.Response:
    """The token-less push a kiosk makes for a user who has left."""
    return requests.post(
        server.url + "/api/v1/sync/push",
        json={"device_id": signed_in["device"], "session_id": signed_in["session_id"], "ops": [op]},
        timeout=10,
    )


def _refused(response: requests.Response) -> bool:
    return response.status_code == 401 and response.json()["error"] == {
        "code": "op_grant_invalid",
        "message": "账号密码已修改，该登录会话的待同步操作已无法提交",
    }


def _favorites(server: LiveServer) -> list[str]:
    db = Database(server.db_url)
    with db.sessions() as session:
        codes = sorted(session.scalars(select(Favorite.process_code).where(Favorite.user_id == STUDENT)))
    db.dispose()
    return codes


def _change_password(server: LiveServer, signed_in: dict[str, Any], old: str, new: str) -> None:
    response = requests.post(
        server.url + "/api/v1/auth/password",
        json={"old_password": old, "new_password": new},
        headers=bearer(signed_in["access_token"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_a_password_change_kills_the_other_sessions_keys_not_its_own(live_server: LiveServer) -> None:
    activated(live_server, STUDENT, STUDENT_PW)
    # A plain logout keeps the key: the kiosk delivers what the user queued before leaving.
    control = _signed_in(live_server, NEW_PW, "kiosk-east-3")
    control_op = _queued(control, "jw-xiuxue")
    _logout(live_server, control)
    delivered = _deliver(live_server, control, control_op)
    assert delivered.status_code == 200 and delivered.json()["results"][0]["status"] == "applied"

    logged_out = _signed_in(live_server, NEW_PW, "kiosk-east-1")
    logged_out_op = _queued(logged_out, "jw-chengjidan")
    _logout(live_server, logged_out)
    still_in = _signed_in(live_server, NEW_PW, "kiosk-east-2")
    still_in_op = _queued(still_in, "jw-fuxue")
    current = _signed_in(live_server, NEW_PW, "desk-office", kind="desk")
    _change_password(live_server, current, NEW_PW, OTHER_PW)

    # Neither the session that had logged out nor the one still signed in can deliver any more.
    assert _refused(_deliver(live_server, logged_out, logged_out_op))
    assert _refused(_deliver(live_server, still_in, still_in_op))
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(still_in["access_token"]), timeout=10).status_code
        == 401
    )
    # The session that changed the password goes on, its key included.
    assert requests.get(live_server.url + "/api/v1/me", headers=bearer(current["access_token"]), timeout=10).ok
    own = _deliver(live_server, current, _queued(current, "jw-xiuxue"))
    assert own.status_code == 200 and own.json()["results"][0]["status"] == "applied"
    # Sessions opened after the change have keys that work after logout, as before.
    after = _signed_in(live_server, OTHER_PW, "kiosk-east-1")
    after_op = _queued(after, "jw-chengjidan")
    _logout(live_server, after)
    assert _deliver(live_server, after, after_op).json()["results"][0]["status"] == "applied"
    assert _favorites(live_server) == ["jw-chengjidan", "jw-xiuxue"]  # nothing of the two dead keys


def test_an_admin_reset_kills_every_sessions_key(live_server: LiveServer) -> None:
    admin = activated(live_server, ADMIN, ADMIN_PW)
    activated(live_server, STUDENT, STUDENT_PW)
    logged_out = _signed_in(live_server, NEW_PW, "kiosk-east-1")
    logged_out_op = _queued(logged_out, "jw-chengjidan")
    _logout(live_server, logged_out)
    still_in = _signed_in(live_server, NEW_PW, "kiosk-east-2")
    still_in_op = _queued(still_in, "jw-fuxue")

    reset = requests.post(
        live_server.url + f"/api/v1/admin/users/{STUDENT}/reset-password",
        json={"initial_password": STUDENT_PW},
        headers=bearer(admin["access_token"]),
        timeout=10,
    )
    assert reset.status_code == 200
    # Even once the user has set a new password again, nothing signed before the reset is delivered.
    activated(live_server, STUDENT, STUDENT_PW, new=OTHER_PW)
    assert _refused(_deliver(live_server, logged_out, logged_out_op))
    assert _refused(_deliver(live_server, still_in, still_in_op))

    # The command line's reset does the same.
    before_cli = _signed_in(live_server, OTHER_PW, "kiosk-east-3")
    before_cli_op = _queued(before_cli, "jw-xiuxue")
    _logout(live_server, before_cli)
    result = run_server_cli("reset-password", STUDENT, STUDENT_PW, db_url=live_server.db_url, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    activated(live_server, STUDENT, STUDENT_PW)
    assert _refused(_deliver(live_server, before_cli, before_cli_op))
    assert _favorites(live_server) == []
