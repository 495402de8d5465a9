"""The real kiosk against a server that requires enrolled kiosks: the installer's code is exchanged at the first
start, a user logs in and syncs, the heartbeats show in `campus-sync-server devices list`; IT revokes the device,
the very next request is refused, the user signed out and the login screen says 此设备已被停用，请联系信息中心 —
without a crash."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.services.device import CODE_FILE
from tests.helpers import LIU, LIU_PW, NEW_PW, LiveServer, activated, copy_sqlite, run_server_cli
from tests.qml.steps import current_page, log_in


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"),
        workdir=tmp_path,
        extra_env={"CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1"},
    ).start()
    yield live
    live.stop()


def devices(server: LiveServer, *args: str) -> str:
    result = run_server_cli("devices", *args, db_url=server.db_url, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def listed(server: LiveServer, device_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(d for d in json.loads(devices(server, "list", "--json")) if d["id"] == device_id)
    return entry


def test_an_enrolled_kiosk_syncs_reports_and_is_stopped_by_revoke(
    server: LiveServer, launch_ui: Any, tmp_path: Path
) -> None:
    activated(server, LIU, LIU_PW, kind="desk")
    made = json.loads(devices(server, "enroll", "--name", "图书馆一楼自助机", "--location", "图书馆一楼大厅", "--json"))
    data = tmp_path / "kiosk-data"
    data.mkdir()
    fd = os.open(data / CODE_FILE, os.O_WRONLY | os.O_CREAT, 0o600)  # as install.sh --enroll leaves it
    os.write(fd, made["code"].encode())
    os.close(fd)

    ui = launch_ui(server.url, data_dir=str(data))
    ui.wait_for(lambda: ui.state.enrollment.property("enrolled"))
    assert not (data / CODE_FILE).exists()
    assert not ui.find("deviceProblem").isVisible()

    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.session.property("loggedIn"))
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    ui.state.sync.enqueue("favorite.set", {"process_code": "xj-diannao-weixiu", "on": True})
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0 and not ui.state.sync.property("syncing"))

    # The round's heartbeat: the fleet list knows when it last synced and that its queue is empty.
    ui.wait_for(lambda: listed(server, made["id"])["last_sync_at"] is not None, timeout=20_000)
    entry = listed(server, made["id"])
    assert entry["version"] != "-" and entry["outbox"] == 0 and entry["flags"] == "-"
    assert entry["last_seen_s"] < 60 and entry["free_disk_bytes"] > 0

    devices(server, "revoke", made["id"])
    ui.state.sync.syncNow()  # the very next request
    ui.wait_for(lambda: ui.state.enrollment.property("problem") == "device_revoked")
    # The user is signed out by it (forgotten, as at any logout) and the login screen says why.
    ui.wait_for(lambda: not ui.state.session.property("loggedIn"))
    ui.wait_for(lambda: current_page(ui) == "loginPage")
    banner = ui.find_visible("deviceProblemText")
    assert banner.property("text") == "此设备已被停用，请联系信息中心"
    ui.screenshot("kiosk-device-revoked")

    # Someone tries anyway: refused with the same words, and the app goes on.
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: ui.state.session.property("error") != "")
    assert ui.state.session.property("error") == "此设备已被停用，请联系信息中心"
    assert not ui.state.session.property("loggedIn")
    assert "revoked" in next(r for r in devices(server, "list").splitlines() if r.startswith(made["id"]))
