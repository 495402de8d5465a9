"""Identity over a real server: login, lockout and its expiry, throttling, forced password change, tokens,
refresh rotation, logout, sessions, roles, admin unlock/reset — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import update

from sync_server.db import Database
from sync_server.models import AuthSession, LoginFailure
from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    LETTER_PW,
    LETTER_STUDENT,
    LIU,
    LIU_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    login,
)


def test_first_login_must_change_password_before_anything_else(live_server: LiveServer) -> None:
    response = login(live_server, STUDENT, STUDENT_PW, device_id="dev-1", device_name="一楼 1 号机")
    assert response.status_code == 200
    body = response.json()
    assert body["must_change_password"] is True
    assert body["user"]["name"] == "王子涵" and body["user"]["role"] == "student"
    assert len(body["access_token"]) >= 43 and body["refresh_token"]
    token = body["access_token"]
    me = requests.get(live_server.url + "/api/v1/me", headers=bearer(token), timeout=10)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    blocked = requests.get(live_server.url + "/api/v1/me/sessions", headers=bearer(token), timeout=10)
    assert blocked.status_code == 403 and blocked.json()["error"]["code"] == "password_change_required"

    weak = requests.post(
        live_server.url + "/api/v1/auth/password",
        json={"old_password": STUDENT_PW, "new_password": f"a{STUDENT}"},
        headers=bearer(token),
        timeout=10,
    )
    assert weak.status_code == 422
    assert set(weak.json()["error"]["problems"]) >= {"contains_id"}
    wrong_old = requests.post(
        live_server.url + "/api/v1/auth/password",
        json={"old_password": "000000", "new_password": NEW_PW},
        headers=bearer(token),
        timeout=10,
    )
    assert wrong_old.status_code == 403 and wrong_old.json()["error"]["code"] == "wrong_password"
    for bad in ("short1", "onlyletters", "1234567890", "has space 123"):
        r = requests.post(
            live_server.url + "/api/v1/auth/password",
            json={"old_password": STUDENT_PW, "new_password": bad},
            headers=bearer(token),
            timeout=10,
        )
        assert r.status_code == 422, bad
    ok = requests.post(
        live_server.url + "/api/v1/auth/password",
        json={"old_password": STUDENT_PW, "new_password": NEW_PW},
        headers=bearer(token),
        timeout=10,
    )
    assert ok.status_code == 200
    sessions = requests.get(live_server.url + "/api/v1/me/sessions", headers=bearer(token), timeout=10)
    assert sessions.status_code == 200
    assert login(live_server, STUDENT, STUDENT_PW).status_code == 401  # the initial password is gone


def test_lower_case_id_is_accepted_as_upper_case(live_server: LiveServer) -> None:
    response = login(live_server, "  z2023030107 ", LETTER_PW)
    assert response.status_code == 200
    assert response.json()["user"]["user_id"] == LETTER_STUDENT


def test_wrong_id_and_wrong_password_look_the_same(live_server: LiveServer) -> None:
    unknown = login(live_server, "9999999999", "whatever1")
    wrong = login(live_server, STUDENT, "whatever1")
    assert unknown.status_code == wrong.status_code == 401
    assert (
        unknown.json() == wrong.json() == {"error": {"code": "invalid_credentials", "message": "学号/工号或密码错误"}}
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"user_id": "", "password": "x"},
        {"user_id": "2022010101", "password": ""},
        {"user_id": "2" * 10_000, "password": "x"},
        {"user_id": "2022010101", "password": "x" * 10_000},
        {"user_id": "😀🎓", "password": "密码😀"},
        {"user_id": "' OR '1'='1", "password": "' OR '1'='1"},
        {"user_id": 12345, "password": None},
        {},
    ],
)
def test_bad_login_input_is_a_clear_4xx(live_server: LiveServer, payload: dict[str, Any]) -> None:
    response = requests.post(live_server.url + "/api/v1/auth/login", json=payload, timeout=10)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] in ("validation_error", "invalid_credentials")


def test_five_failures_lock_for_15_minutes_then_expire(live_server: LiveServer) -> None:
    for _ in range(5):
        assert login(live_server, LIU, "wrong-password1").status_code == 401
    locked = login(live_server, LIU, LIU_PW)  # even the right password is refused while locked
    assert locked.status_code == 423
    error = locked.json()["error"]
    assert error["code"] == "account_locked" and 14 * 60 < error["retry_after"] <= 15 * 60 + 1
    # An unknown name locks the same way: the answer does not tell which names exist.
    for _ in range(5):
        login(live_server, "8888888888", "wrong-password1")
    assert login(live_server, "8888888888", "x").status_code == 423

    # 15 minutes pass.
    db = Database(live_server.db_url)
    with db.transaction() as s:
        s.execute(update(LoginFailure).values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    db.dispose()
    assert login(live_server, LIU, LIU_PW).status_code == 200


def test_address_throttle(live_server: LiveServer) -> None:
    statuses = [login(live_server, f"10{i:04d}", "guess-123").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    blocked = login(live_server, STUDENT, STUDENT_PW)
    assert blocked.status_code == 429 and blocked.json()["error"]["retry_after"] > 0


def test_refresh_rotates_and_reuse_revokes(live_server: LiveServer) -> None:
    first = activated(live_server, LIU, LIU_PW)
    refreshed = requests.post(
        live_server.url + "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, timeout=10
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(first["access_token"]), timeout=10).status_code
        == 401
    )
    assert requests.get(live_server.url + "/api/v1/me", headers=bearer(second["access_token"]), timeout=10).ok
    # The old refresh token again: someone copied it. The whole session ends.
    replay = requests.post(
        live_server.url + "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, timeout=10
    )
    assert replay.status_code == 401
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(second["access_token"]), timeout=10).status_code
        == 401
    )


def test_expired_access_token(live_server: LiveServer) -> None:
    body = activated(live_server, LIU, LIU_PW)
    db = Database(live_server.db_url)
    with db.transaction() as s:
        s.execute(
            update(AuthSession)
            .where(AuthSession.id == body["session_id"])
            .values(access_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    db.dispose()
    response = requests.get(live_server.url + "/api/v1/me", headers=bearer(body["access_token"]), timeout=10)
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_expired"
    refreshed = requests.post(
        live_server.url + "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}, timeout=10
    )
    assert refreshed.status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Basic abc", "Bearer " + "x" * 300])
def test_forged_tokens(live_server: LiveServer, header: str) -> None:
    response = requests.get(live_server.url + "/api/v1/me", headers={"Authorization": header}, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] in ("unauthorized", "invalid_token")


def test_logout_revokes_and_sessions_can_be_listed_and_revoked(live_server: LiveServer) -> None:
    desk = activated(live_server, LIU, LIU_PW)
    kiosk = login(live_server, LIU, NEW_PW, device_name="图书馆 2 号机").json()
    sessions = requests.get(
        live_server.url + "/api/v1/me/sessions", headers=bearer(desk["access_token"]), timeout=10
    ).json()
    names = {s["device_name"] for s in sessions}
    assert "图书馆 2 号机" in names
    assert sum(s["current"] for s in sessions) == 1
    target = next(s for s in sessions if s["device_name"] == "图书馆 2 号机")
    revoke = requests.delete(
        live_server.url + f"/api/v1/me/sessions/{target['id']}", headers=bearer(desk["access_token"]), timeout=10
    )
    assert revoke.status_code == 200
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(kiosk["access_token"]), timeout=10).status_code
        == 401
    )
    # Someone else's session id: not found, not forbidden (no enumeration).
    other = activated(live_server, STUDENT, STUDENT_PW)
    foreign = requests.delete(
        live_server.url + f"/api/v1/me/sessions/{other['session_id']}", headers=bearer(desk["access_token"]), timeout=10
    )
    assert foreign.status_code == 404
    out = requests.post(live_server.url + "/api/v1/auth/logout", headers=bearer(desk["access_token"]), timeout=10)
    assert out.status_code == 200
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(desk["access_token"]), timeout=10).status_code
        == 401
    )
    assert (
        requests.post(
            live_server.url + "/api/v1/auth/refresh", json={"refresh_token": desk["refresh_token"]}, timeout=10
        ).status_code
        == 401
    )


def test_admin_unlock_and_reset_and_roles(live_server: LiveServer) -> None:
    admin = activated(live_server, ADMIN, ADMIN_PW)
    student = activated(live_server, STUDENT, STUDENT_PW)
    # Only an admin may.
    forbidden = requests.post(
        live_server.url + f"/api/v1/admin/users/{LIU}/unlock", headers=bearer(student["access_token"]), timeout=10
    )
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    assert requests.post(live_server.url + f"/api/v1/admin/users/{LIU}/unlock", timeout=10).status_code == 401

    for _ in range(5):
        login(live_server, LIU, "wrong-password1")
    assert login(live_server, LIU, LIU_PW).status_code == 423
    unlocked = requests.post(
        live_server.url + f"/api/v1/admin/users/{LIU}/unlock", headers=bearer(admin["access_token"]), timeout=10
    )
    assert unlocked.status_code == 200
    assert login(live_server, LIU, LIU_PW).status_code == 200

    reset = requests.post(
        live_server.url + f"/api/v1/admin/users/{STUDENT}/reset-password",
        json={"initial_password": "12345x"},
        headers=bearer(admin["access_token"]),
        timeout=10,
    )
    assert reset.status_code == 422  # X must be upper-case, as the manual says
    reset = requests.post(
        live_server.url + f"/api/v1/admin/users/{STUDENT}/reset-password",
        json={"initial_password": "12345X"},
        headers=bearer(admin["access_token"]),
        timeout=10,
    )
    assert reset.status_code == 200
    assert (
        requests.get(live_server.url + "/api/v1/me", headers=bearer(student["access_token"]), timeout=10).status_code
        == 401
    )  # the reset ended the student's sessions
    again = login(live_server, STUDENT, "12345X").json()
    assert again["must_change_password"] is True
    missing = requests.post(
        live_server.url + "/api/v1/admin/users/NOBODY/unlock", headers=bearer(admin["access_token"]), timeout=10
    )
    assert missing.status_code == 404
