"""The sync engine driven by the real app: a write made offline waits (shown in the top bar) and moves by
itself when the server comes back — not on the next write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.helpers import LIU, LIU_PW, NEW_PW, LiveServer, activated, bearer, copy_sqlite


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def test_offline_write_is_delivered_when_the_server_returns(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, LIU, LIU_PW)["access_token"]
    ui = launch_ui(server.url)
    ui.type_into("userField", LIU)
    ui.type_into("passwordField", NEW_PW)
    ui.tap(ui.find_visible("loginButton"))
    ui.wait_for(lambda: ui.state.session.property("loggedIn"))
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")

    server.stop()
    ui.state.state.checkHealth()  # the terminal notices at once (its own poll would within 15 s)
    ui.wait_for(lambda: ui.state.state.connection == "offline")
    ui.state.sync.enqueue("favorite.set", {"process_code": "xj-diannao-weixiu", "on": True})
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 1)
    ui.wait_for(lambda: "1 项待同步" in ui.find("statusText").property("text"))
    ui.screenshot("kiosk-offline-pending")

    server.start(port=server.port)  # the server comes back on the same address
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=40_000)
    ui.wait_for(lambda: ui.find("statusText").property("text").startswith("在线 · 上次同步"))
    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    assert [c["id"] for c in changes if c["entity"] == "favorite"] == ["xj-diannao-weixiu"]
