"""Device enrollment and the fleet on a real server (SQLite and PostgreSQL) that requires enrolled kiosks: codes
made by the admin API and the CLI, exchanged once, expired codes refused; kiosk-mode requests refused without an
enrolled device's credential; heartbeats listed with STALE and DEEP; revoke refusing the very next request; the
QR phone page naming the enrolled device; and a server with enforcement off leaving kiosks alone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import update

from sync_server.db import Database
from sync_server.models import Device
from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    LIU,
    LIU_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    bearer,
    copy_sqlite,
    create_pg_database,
    run_server_cli,
)

HEADER = "X-Device-Credential"
ENFORCED = {"CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fleet_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path
) -> Iterator[LiveServer]:
    """One server per backend for the module, with enrolled kiosks required."""
    workdir = tmp_path_factory.mktemp("fleet")
    if request.param == "sqlite":
        url = copy_sqlite(seeded_sqlite, workdir)
    else:
        url = create_pg_database(template=request.getfixturevalue("seeded_pg"))
    server = LiveServer(db_url=url, workdir=workdir, extra_env=ENFORCED).start()
    yield server
    server.stop()


def desk_login(server: LiveServer, user_id: str, password: str) -> requests.Response:
    body = {"user_id": user_id, "password": password, "kind": "desk"}
    return requests.post(server.url + "/api/v1/auth/login", json=body, timeout=10)


def desk_activated(server: LiveServer, user_id: str, initial: str) -> str:
    """A desk session's access token for the user, past the initial password (done once per server)."""
    first = desk_login(server, user_id, initial)
    if first.status_code == 200:
        token = first.json()["access_token"]
        changed = requests.post(
            server.url + "/api/v1/auth/password",
            json={"old_password": initial, "new_password": NEW_PW},
            headers=bearer(token),
            timeout=10,
        )
        assert changed.status_code == 200, changed.text
    again = desk_login(server, user_id, NEW_PW)
    assert again.status_code == 200, again.text
    return str(again.json()["access_token"])


@pytest.fixture(scope="module")
def admin(fleet_server: LiveServer) -> dict[str, str]:
    return bearer(desk_activated(fleet_server, ADMIN, ADMIN_PW))


def enroll(server: LiveServer, admin: dict[str, str], name: str, **extra: Any) -> dict[str, Any]:
    made = requests.post(server.url + "/api/v1/admin/devices", json={"name": name, **extra}, headers=admin, timeout=10)
    assert made.status_code == 200, made.text
    body: dict[str, Any] = made.json()
    return body


def exchange(server: LiveServer, code: str) -> requests.Response:
    return requests.post(server.url + "/api/v1/devices/enroll", json={"code": code}, timeout=10)


def enrolled(server: LiveServer, admin: dict[str, str], name: str, **extra: Any) -> tuple[str, str]:
    """(device id, credential) of a freshly enrolled device."""
    made = enroll(server, admin, name, **extra)
    got = exchange(server, made["code"])
    assert got.status_code == 200, got.text
    return made["device"]["id"], got.json()["credential"]


def kiosk_login(server: LiveServer, credential: str | None, user_id: str = LIU) -> requests.Response:
    headers = {HEADER: credential} if credential is not None else {}
    body = {"user_id": user_id, "password": NEW_PW, "kind": "kiosk", "device_id": "k-1", "device_name": "自助机"}
    return requests.post(server.url + "/api/v1/auth/login", json=body, headers=headers, timeout=10)


def refusal(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def cli(server: LiveServer, *args: str) -> str:
    result = run_server_cli("devices", *args, db_url=server.db_url, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def set_column(server: LiveServer, device_id: str, **values: Any) -> None:
    db = Database(server.db_url)
    try:
        with db.transaction() as session:
            session.execute(update(Device).where(Device.id == device_id).values(**values))
    finally:
        db.dispose()


def test_a_code_is_exchanged_once_for_a_credential(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    made = enroll(fleet_server, admin, "图书馆一楼自助机", location="图书馆一楼大厅", group="library")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", made["code"])
    assert made["device"]["state"] == "pending" and made["device"]["group"] == "library"
    expires = datetime.fromisoformat(made["expires_at"])
    assert timedelta(hours=23, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=24)

    # Typed by hand: lower case, without the dashes, is the same code.
    got = exchange(fleet_server, made["code"].lower().replace("-", " "))
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["device_id"], body["name"], body["location"]) == (
        made["device"]["id"],
        "图书馆一楼自助机",
        "图书馆一楼大厅",
    )
    assert len(body["credential"]) >= 43  # 256 random bits, URL-safe base64

    assert refusal(exchange(fleet_server, made["code"])) == (410, "enrollment_code_used")
    assert refusal(exchange(fleet_server, "AAAA-BBBB-CCCC")) == (404, "enrollment_code_invalid")
    # Only an admin makes codes.
    student = bearer(desk_activated(fleet_server, STUDENT, STUDENT_PW))
    denied = requests.post(fleet_server.url + "/api/v1/admin/devices", json={"name": "x"}, headers=student, timeout=10)
    assert refusal(denied) == (403, "forbidden")


def test_an_expired_code_is_refused(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    made = enroll(fleet_server, admin, "食堂自助机")
    set_column(fleet_server, made["device"]["id"], code_expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert refusal(exchange(fleet_server, made["code"])) == (410, "enrollment_code_expired")
    listed = requests.get(fleet_server.url + "/api/v1/admin/devices", headers=admin, timeout=10).json()
    assert next(d for d in listed if d["id"] == made["device"]["id"])["state"] == "expired"


def test_kiosk_requests_need_an_enrolled_device(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    desk_activated(fleet_server, LIU, LIU_PW)
    _device_id, credential = enrolled(fleet_server, admin, "行政楼自助机")

    assert refusal(kiosk_login(fleet_server, None)) == (401, "device_unknown")
    assert refusal(kiosk_login(fleet_server, "not-a-credential")) == (401, "device_unknown")
    login = kiosk_login(fleet_server, credential)
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]

    # Every request of the kiosk session carries it: without it (a copied token) the session is refused.
    me = requests.get(fleet_server.url + "/api/v1/me", headers={**bearer(token), HEADER: credential}, timeout=10)
    assert me.status_code == 200 and me.json()["user_id"] == LIU
    stolen = requests.get(fleet_server.url + "/api/v1/me", headers=bearer(token), timeout=10)
    assert refusal(stolen) == (401, "device_unknown")
    # …and with another enrolled device's credential: the session belongs to the device it was opened on.
    _other_id, other = enrolled(fleet_server, admin, "行政楼二楼自助机")
    elsewhere = requests.get(fleet_server.url + "/api/v1/me", headers={**bearer(token), HEADER: other}, timeout=10)
    assert refusal(elsewhere) == (401, "device_mismatch")
    pulled = requests.get(fleet_server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10)
    assert refusal(pulled) == (401, "device_unknown")
    # A token-less push of that session's queued operations is a kiosk request too.
    session_id = login.json()["session_id"]
    push = {"device_id": "k-1", "session_id": session_id, "ops": []}
    assert refusal(requests.post(fleet_server.url + "/api/v1/sync/push", json=push, timeout=10)) == (
        401,
        "device_unknown",
    )
    ok = requests.post(fleet_server.url + "/api/v1/sync/push", json=push, headers={HEADER: credential}, timeout=10)
    assert ok.status_code == 200, ok.text

    # A desk client and the public catalog are not kiosk-mode requests.
    assert desk_login(fleet_server, LIU, NEW_PW).status_code == 200
    assert requests.get(fleet_server.url + "/api/v1/hall/processes", timeout=10).status_code == 200


def test_a_qr_login_names_the_enrolled_device(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    desk_activated(fleet_server, LIU, LIU_PW)
    _device_id, credential = enrolled(fleet_server, admin, "图书馆一楼自助机", location="图书馆一楼大厅")
    device = {"device_id": "k-2", "device_name": "host-1234"}
    unknown = requests.post(fleet_server.url + "/api/v1/auth/qr", json=device, timeout=10)
    assert refusal(unknown) == (401, "device_unknown")
    made = requests.post(fleet_server.url + "/api/v1/auth/qr", json=device, headers={HEADER: credential}, timeout=10)
    assert made.status_code == 200, made.text
    url = made.json()["url"]

    phone = requests.Session()
    first = phone.get(url, timeout=10).text
    assert "图书馆一楼自助机" in first and "host-1234" not in first
    page = phone.post(url + "/login", data={"user_id": LIU, "password": NEW_PW}, timeout=10).text
    assert "在 图书馆一楼自助机 登录？" in page and "位置：图书馆一楼大厅" in page and "host-1234" not in page


def test_heartbeats_are_listed_with_stale_and_deep_flags(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    quiet_id, _quiet = enrolled(fleet_server, admin, "体育馆自助机", group="west")
    busy_id, busy = enrolled(fleet_server, admin, "教学楼A自助机", location="A 座一楼", group="east")
    beat = {
        "version": "0.9.0",
        "last_sync_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat(),
        "outbox_depth": 120,
        "oldest_pending_s": 5400,
        "last_error": "无法连接服务器",
        "free_disk_bytes": 12_000_000_000,
    }
    sent = requests.post(fleet_server.url + "/api/v1/devices/heartbeat", json=beat, headers={HEADER: busy}, timeout=10)
    assert sent.status_code == 200 and sent.json() == {"device_id": busy_id, "name": "教学楼A自助机"}
    assert refusal(requests.post(fleet_server.url + "/api/v1/devices/heartbeat", json=beat, timeout=10)) == (
        401,
        "device_unknown",
    )
    set_column(fleet_server, quiet_id, last_seen_at=datetime.now(UTC) - timedelta(minutes=20))

    listed = {
        d["id"]: d for d in requests.get(fleet_server.url + "/api/v1/admin/devices", headers=admin, timeout=10).json()
    }
    assert listed[busy_id]["flags"] == ["DEEP"] and listed[busy_id]["outbox_depth"] == 120
    assert (listed[busy_id]["version"], listed[busy_id]["oldest_pending_s"]) == ("0.9.0", 5400)
    assert listed[busy_id]["last_error"] == "无法连接服务器" and listed[busy_id]["free_disk_bytes"] == 12_000_000_000
    assert listed[quiet_id]["flags"] == ["STALE"]

    table = cli(fleet_server, "list")
    header, *rows = table.splitlines()
    assert header.split()[:4] == ["ID", "NAME", "LOCATION", "GROUP"] and "FLAGS" in header
    busy_row = next(r for r in rows if r.startswith(busy_id))
    assert "教学楼A自助机" in busy_row and "0.9.0" in busy_row and "120" in busy_row and "1h30m" in busy_row
    assert busy_row.rstrip().endswith("DEEP")
    assert next(r for r in rows if r.startswith(quiet_id)).rstrip().endswith("STALE")
    as_json = {d["id"]: d for d in json.loads(cli(fleet_server, "list", "--json"))}
    assert as_json[busy_id]["flags"] == "DEEP" and as_json[busy_id]["last_seen_s"] < 60


def test_revoke_refuses_the_very_next_request(fleet_server: LiveServer, admin: dict[str, str]) -> None:
    desk_activated(fleet_server, LIU, LIU_PW)
    # Made and revoked with the CLI, as IT would.
    printed = cli(fleet_server, "enroll", "--name", "宿舍区自助机", "--location", "一号楼", "--json")
    made = json.loads(printed)
    got = exchange(fleet_server, made["code"])
    assert got.status_code == 200, got.text
    credential = got.json()["credential"]
    token = kiosk_login(fleet_server, credential).json()["access_token"]
    headers = {**bearer(token), HEADER: credential}
    assert requests.get(fleet_server.url + "/api/v1/me", headers=headers, timeout=10).status_code == 200

    assert made["id"] in cli(fleet_server, "revoke", made["id"])
    assert refusal(requests.get(fleet_server.url + "/api/v1/me", headers=headers, timeout=10)) == (
        403,
        "device_revoked",
    )
    assert refusal(kiosk_login(fleet_server, credential)) == (403, "device_revoked")
    beat = requests.post(
        fleet_server.url + "/api/v1/devices/heartbeat", json={"version": "1"}, headers={HEADER: credential}, timeout=10
    )
    assert refusal(beat) == (403, "device_revoked")
    assert "revoked" in next(r for r in cli(fleet_server, "list").splitlines() if r.startswith(made["id"]))

    # The admin API revokes too; an unknown id is 404.
    other_id, other = enrolled(fleet_server, admin, "实验楼自助机")
    revoked = requests.post(fleet_server.url + f"/api/v1/admin/devices/{other_id}/revoke", headers=admin, timeout=10)
    assert revoked.status_code == 200
    assert refusal(kiosk_login(fleet_server, other)) == (403, "device_revoked")
    missing = requests.post(fleet_server.url + "/api/v1/admin/devices/dnothere/revoke", headers=admin, timeout=10)
    assert refusal(missing) == (404, "device_not_found")


def test_enforcement_off_leaves_kiosks_alone(shared_server: LiveServer) -> None:
    """The tests' default server (LiveServer: enforcement off): kiosks log in, use their session and show a QR code
    with no credential, and a credential the server never issued is ignored, not refused."""
    desk_activated(shared_server, STUDENT, STUDENT_PW)
    for headers in ({}, {HEADER: "never-issued"}):
        body = {"user_id": STUDENT, "password": NEW_PW, "kind": "kiosk"}
        login = requests.post(shared_server.url + "/api/v1/auth/login", json=body, headers=headers, timeout=10)
        assert login.status_code == 200, login.text
        me = requests.get(
            shared_server.url + "/api/v1/me", headers={**bearer(login.json()["access_token"]), **headers}, timeout=10
        )
        assert me.status_code == 200
        qr = requests.post(
            shared_server.url + "/api/v1/auth/qr",
            json={"device_id": "k", "device_name": "k"},
            headers=headers,
            timeout=10,
        )
        assert qr.status_code == 200
