"""Live changes on the kiosk (kiosk/views/live_channel.py) through the real app against a real server: while
贾孟杰 is signed in, 刘诗宏 submits a repair request naming him (through the API, from elsewhere) and the 待办
counter on 首页 shows it within about a second, with no poll interval in between; logging out while the wait
is open is not held up by it; and when the channel breaks, the kiosk polls instead, showing nothing else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.server.workflow_helpers import JIA, LIU, REPAIR, REPAIR_CODE, Client


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _todo(ui: Any) -> str:
    return str(ui.find("counterValue", ui.find("counter_todo")).property("text"))


def test_a_new_todo_arrives_live_and_logout_is_not_held(server: LiveServer, launch_ui: Any) -> None:
    liu, _jia = Client(server, LIU), Client(server, JIA)  # both past their first password
    ui = launch_ui(server.url)
    assert ui.state.state.live_wait == 25  # the server offers it (GET /healthz)
    sync = ui.state.sync
    log_in(ui, JIA, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    ui.wait_for(lambda: sync.property("lastSync") != "" and sync.live.waiting, timeout=20_000)
    ui.wait_for(lambda: _todo(ui) in ("0", ""))
    before = str(ui.find("statusText").property("text"))

    made = time.monotonic()
    liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    ui.wait_for(lambda: _todo(ui) == "1", timeout=5_000)
    took = time.monotonic() - made
    assert took < 1.5, took  # the periodic round is minutes away: only the live channel can have brought it
    ui.wait_for(lambda: sync.live.waiting)  # and it waits again
    assert str(ui.find("statusText").property("text")).split(" · ")[0] == before.split(" · ")[0]  # 在线
    ui.screenshot("live-todo-arrived")

    # The channel breaks (the server goes away mid-wait): nothing shows but what a poll would show, and the
    # kiosk does not spin; when the server is back, a round runs and the channel is used again.
    waits = sync.live.waits
    server.stop()
    ui.wait_for(lambda: not sync.live.waiting, timeout=5_000)
    assert sync.live.waits == waits  # no new wait while the server is away (rounds fail, with backoff)
    server.start(port=server.port)
    ui.state.state.checkHealth()
    ui.wait_for(lambda: sync.live.waiting, timeout=40_000)

    # Logout with the wait open: the login screen comes at once and the wait lane is free.
    started = time.monotonic()
    ui.state.session.logout()
    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=5_000)
    assert not sync.live.waiting
    assert ui.state.workers.waits.waitForDone(1_000), "the live wait was not cancelled"
    assert time.monotonic() - started < 2.0
