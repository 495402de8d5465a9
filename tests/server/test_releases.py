"""Bundle releases rolled out per device group (core/releases.py) on a real server, SQLite and PostgreSQL, that
requires enrolled kiosks: releases registered over the admin API and the CLI, a group's rollout offered in the
heartbeat answer only to that group's devices and only when newer (PEP 440 order, not string order), pause and
--all, and `devices list` showing each device's version next to its target."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync_server.core.releases import is_newer
from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    NEW_PW,
    LiveServer,
    bearer,
    copy_sqlite,
    create_pg_database,
    run_server_cli,
)

HEADER = "X-Device-Credential"
SHA = hashlib.sha256(b"campus-kiosk-0.2.0.tar.gz").hexdigest()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("releases")
    if request.param == "sqlite":
        url = copy_sqlite(seeded_sqlite, workdir)
    else:
        url = create_pg_database(template=request.getfixturevalue("seeded_pg"))
    live = LiveServer(db_url=url, workdir=workdir, extra_env={"CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1"}).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> dict[str, str]:
    def login(password: str) -> requests.Response:
        body = {"user_id": ADMIN, "password": password, "kind": "desk"}
        return requests.post(server.url + "/api/v1/auth/login", json=body, timeout=10)

    first = login(ADMIN_PW).json()["access_token"]
    changed = requests.post(
        server.url + "/api/v1/auth/password",
        json={"old_password": ADMIN_PW, "new_password": NEW_PW},
        headers=bearer(first),
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    return bearer(login(NEW_PW).json()["access_token"])


def cli(server: LiveServer, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = run_server_cli(*args, db_url=server.db_url, timeout=120)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr[-2000:]
    return done


def enrolled(server: LiveServer, admin: dict[str, str], name: str, group: str) -> tuple[str, str]:
    made = requests.post(
        server.url + "/api/v1/admin/devices", json={"name": name, "group": group}, headers=admin, timeout=10
    ).json()
    got = requests.post(server.url + "/api/v1/devices/enroll", json={"code": made["code"]}, timeout=10)
    assert got.status_code == 200, got.text
    return made["device"]["id"], got.json()["credential"]


def beat(server: LiveServer, credential: str, version: str) -> dict[str, Any]:
    sent = requests.post(
        server.url + "/api/v1/devices/heartbeat", json={"version": version}, headers={HEADER: credential}, timeout=10
    )
    assert sent.status_code == 200, sent.text
    body: dict[str, Any] = sent.json()
    return body


def offered(server: LiveServer, credential: str, version: str) -> str | None:
    update = beat(server, credential, version).get("update")
    return update["version"] if update else None


def test_a_group_rollout_is_offered_to_that_groups_older_devices(server: LiveServer, admin: dict[str, str]) -> None:
    api = server.url + "/api/v1/admin/releases"
    release = {"version": "0.2.0", "url": "https://dl.example.edu/campus-kiosk-0.2.0.tar.gz", "sha256": SHA}
    made = requests.post(api, json={**release, "notes": "日程中心"}, headers=admin, timeout=10)
    assert made.status_code == 200, made.text
    assert requests.post(api, json=release, headers=admin, timeout=10).json()["error"]["code"] == "release_exists"
    for bad in ({"sha256": "00" * 31 + "zz"}, {"version": "latest"}, {"url": "ftp://dl.example.edu/x.tar.gz"}):
        refused = requests.post(api, json={**release, "version": "0.3.0", **bad}, headers=admin, timeout=10)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "validation_error", bad

    library_id, library = enrolled(server, admin, "图书馆一楼自助机", "图书馆")
    _east_id, east = enrolled(server, admin, "教学楼A自助机", "east")
    assert offered(server, library, "0.1.0") is None  # nothing rolled out yet

    rolled = requests.post(api + "/0.2.0/rollout", json={"group": "图书馆"}, headers=admin, timeout=10)
    assert rolled.status_code == 200 and rolled.json()["group"] == "图书馆", rolled.text
    answer = beat(server, library, "0.1.0")
    assert answer["update"] == {
        "version": "0.2.0",
        "url": release["url"],
        "sha256": SHA,
        "notes": "日程中心",
    }
    assert offered(server, east, "0.1.0") is None  # another group
    assert offered(server, library, "0.2.0") is None  # already there
    assert offered(server, library, "0.2.1") is None  # never a downgrade

    # `devices list`: the version each device reported next to its target.
    beat(server, library, "0.1.0")
    table = cli(server, "devices", "list").stdout.splitlines()
    assert "VERSION  TARGET" in table[0]
    assert "0.1.0    0.2.0" in next(r for r in table if r.startswith(library_id))
    listed = {d["id"]: d for d in requests.get(server.url + "/api/v1/admin/devices", headers=admin, timeout=10).json()}
    assert (listed[library_id]["version"], listed[library_id]["target"]) == ("0.1.0", "0.2.0")

    # Paused: no offer; the table says so.
    assert requests.post(api + "/pause", json={"group": "图书馆"}, headers=admin, timeout=10).status_code == 200
    assert offered(server, library, "0.1.0") is None
    listed = {d["id"]: d for d in requests.get(server.url + "/api/v1/admin/devices", headers=admin, timeout=10).json()}
    assert listed[library_id]["target"] == "0.2.0 paused"

    # The CLI: 0.10.0 for every group. Version order, not string order: 0.10.0 is newer than 0.9.0.
    sha10 = hashlib.sha256(b"0.10.0").hexdigest()
    url10 = "https://dl.example.edu/campus-kiosk-0.10.0.tar.gz"
    cli(server, "releases", "add", "--version", "0.10.0", "--url", url10, "--sha256", sha10)
    assert "所有分组" in cli(server, "releases", "rollout", "0.10.0", "--all").stdout
    assert offered(server, east, "0.9.0") == "0.10.0"
    assert offered(server, library, "0.9.0") is None  # its own rollout is paused: IT stopped that group
    resumed = requests.post(api + "/0.10.0/rollout", json={"group": "图书馆"}, headers=admin, timeout=10)
    assert resumed.status_code == 200 and resumed.json()["paused"] is False  # resumed, with the newer release
    assert offered(server, library, "0.2.0") == "0.10.0"
    listing = json.loads(cli(server, "releases", "list", "--json").stdout)
    assert [r["version"] for r in listing["releases"]] == ["0.2.0", "0.10.0"]
    assert {(r["group"], r["version"], r["paused"]) for r in listing["rollouts"]} == {
        ("*", "0.10.0", False),
        ("图书馆", "0.10.0", False),
    }

    # Refusals: an unknown release, a group without a rollout, a student.
    assert "没有登记版本" in cli(server, "releases", "rollout", "9.9.9", "--all", ok=False).stderr
    missing = requests.post(api + "/9.9.9/rollout", json={"all": True}, headers=admin, timeout=10)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "release_not_found")
    nothing = requests.post(api + "/pause", json={"group": "west"}, headers=admin, timeout=10)
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (404, "rollout_not_found")
    assert requests.get(api, timeout=10).status_code == 401


def test_version_order() -> None:
    assert is_newer("0.10.0", "0.9.0") and is_newer("0.2.0", "0.2.0rc1") and is_newer("1.0", "0+unknown")
    assert not is_newer("0.2.0", "0.2.0") and not is_newer("0.2.0", "0.2") and not is_newer("0.2.0rc1", "0.2.0")
    assert is_newer("0.2.0", None) and not is_newer("latest", "0.1.0")


def test_the_migration_makes_the_release_tables_of_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from sync_server.migrate import upgrade
    from sync_server.models import Base

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert [d for d in diff if "release" in repr(d) or "rollout" in repr(d)] == []
