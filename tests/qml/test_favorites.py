"""★ in the hall, the first write of the app through the outbox, through the real QML against a real server:
已保存，待同步 after the durable commit, the item's badge 待同步 → 已同步, 被拒绝 with the server's reason, ★
shown first on 首页's 办事中心, and a ★ made offline delivered after the user logged out (no token left)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync_server.db import Database
from sync_server.models import Process
from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite
from tests.qml.steps import find_in_hall, log_in, on_home


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    yield live
    live.stop()


def _row(ui: Any, code: str) -> Any:
    return next(r for r in ui.state.catalog.processes.rows() if r.code == code)


def _show_in_hall(ui: Any, code: str) -> Any:
    find_in_hall(ui, code)
    return ui.find_visible("favorite_" + code)


def _badge_text(ui: Any, code: str) -> str:
    card = ui.find_visible("process_" + code)
    return str(ui.find("syncBadgeText", card).property("text"))


def _server_favorites(server: LiveServer, token: str) -> list[str]:
    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    state: dict[str, bool] = {}
    for change in changes:
        if change["entity"] == "favorite":
            state[change["id"]] = change["op"] != "delete"
    return sorted(code for code, on in state.items() if on)


def test_star_saved_synced_and_shown_on_home(server: LiveServer, launch_ui: Any) -> None:
    token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    assert "上次同步" in ui.find("statusText").property("text")
    ui.wait_for(lambda: ui.state.portal.services.rowCount() > 0)
    assert not ui.state.portal.services.rows()[0].favorite  # no ★ yet: 办事中心 starts with the recommended

    code = "jw-xiuxue"  # 休学审批申请, for students
    ui.tap(_show_in_hall(ui, code))
    ui.wait_for(lambda: ui.find("toastText").property("text") == "已保存，待同步")
    ui.wait_for(lambda: _row(ui, code).favorite)
    ui.wait_for(lambda: _row(ui, code).sync_state == "applied", timeout=15_000)
    assert _badge_text(ui, code) == "已同步"
    ui.screenshot("kiosk-hall-favorite-synced")
    assert _server_favorites(server, token) == [code]

    # Meanwhile the school made a process staff-only (the kiosk still shows its older catalog): the server
    # refuses the ★, the badge says why and the ★ is undone.
    staff_only = "jw-chengjidan"
    db = Database(server.db_url)
    with db.transaction() as session:
        process = session.get(Process, staff_only)
        assert process is not None
        process.audience = ["教工"]
    db.dispose()
    ui.tap(_show_in_hall(ui, staff_only))
    ui.wait_for(lambda: _row(ui, staff_only).sync_state == "rejected", timeout=15_000)
    ui.wait_for(lambda: not _row(ui, staff_only).favorite)
    assert _badge_text(ui, staff_only) == "被拒绝：该服务不面向您的身份"
    ui.screenshot("kiosk-hall-favorite-rejected")
    assert _server_favorites(server, token) == [code]

    # 首页's 办事中心 starts with the ★ processes.
    ui.tap(ui.find_visible("nav_home"))
    ui.wait_for(lambda: ui.state.portal.services.rows()[0].code == code)
    ui.wait_for(lambda: ui.find_visible("process_" + code, ui.find("serviceCenter")) is not None)
    ui.screenshot("kiosk-home-favorites")

    # Un-★ from 首页: it leaves the list.
    ui.tap(on_home(ui, "favorite_" + code, ui.find("serviceCenter")))
    ui.wait_for(lambda: ui.state.catalog.property("favoriteCount") == 0)
    ui.wait_for(lambda: _server_favorites(server, token) == [], timeout=15_000)


def test_offline_star_is_delivered_after_logout(server: LiveServer, launch_ui: Any) -> None:
    """Guarantee 7 through the app: the student ★s while the server is down and walks away; the kiosk keeps
    no token, yet delivers the ★ when the server is back (signed with the session's operation key)."""
    token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
    star = _show_in_hall(ui, "jw-chengjidan")

    server.stop()
    ui.state.state.checkHealth()
    ui.wait_for(lambda: ui.state.state.connection == "offline")
    ui.tap(star)
    ui.wait_for(lambda: ui.find("toastText").property("text") == "已保存，待同步")
    ui.wait_for(lambda: _row(ui, "jw-chengjidan").sync_state == "pending")
    ui.wait_for(lambda: "1 项待同步" in ui.find("statusText").property("text"))
    assert _badge_text(ui, "jw-chengjidan") == "待同步"
    ui.screenshot("kiosk-hall-favorite-pending-offline")

    ui.tap(ui.find_visible("logoutButton"))
    ui.wait_for(lambda: not ui.state.session.property("loggedIn"))
    assert ui.state.auth.current is None and ui.state.client.access_token is None
    ui.wait_for(lambda: "1 项待同步" in ui.find("statusText").property("text"))  # the terminal's queue

    server.start(port=server.port)
    ui.state.state.checkHealth()
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=40_000)
    assert _server_favorites(server, token) == ["jw-chengjidan"]
    ui.state.workers.wait(10_000)
    assert ui.state.store.outbox_counts() == {"pending": 0, "applied": 0, "rejected": 0, "parked": 0}


def test_a_star_the_server_keeps_failing_on_is_parked_then_given_up(
    server: LiveServer, launch_ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server fails on every ★ (500): the ★ is parked (the queue goes on), the top bar and the item say so,
    and 我的 lists it with 全部重试 and 放弃; giving it up undoes the ★."""
    from tests.helpers import FailingProxy

    monkeypatch.setattr("kiosk.services.sync.PARK_AFTER", 1)  # park at the first failure alone: no backoff wait
    activated(server, STUDENT, STUDENT_PW)
    proxy = FailingProxy(server.url, "favorite.set")
    try:
        ui = launch_ui(proxy.url)
        log_in(ui, STUDENT, NEW_PW)
        ui.wait_for(lambda: ui.state.sync.property("lastSync") != "")
        code = "jw-xiuxue"
        ui.tap(_show_in_hall(ui, code))
        ui.wait_for(lambda: _row(ui, code).sync_state == "parked", timeout=15_000)
        assert _row(ui, code).favorite and _badge_text(ui, code) == "同步暂停"
        ui.wait_for(lambda: "1 项暂停同步" in ui.find("statusText").property("text"))
        ui.screenshot("kiosk-hall-favorite-parked")
        ui.tap("nav_profile")
        ui.wait_for(lambda: ui.find("parkedOpsCard").isVisible())
        [op] = ui.state.sync.property("parkedOps")
        assert (op["name"], op["error"]) == ("收藏", "服务器多次处理失败")
        ui.screenshot("kiosk-profile-parked")
        ui.tap(ui.find_visible("discardParked_" + op["id"]))
        ui.wait_for(lambda: ui.state.sync.property("parkedCount") == 0)
        ui.wait_for(lambda: not _row(ui, code).favorite)
        assert not ui.find("parkedOpsCard").isVisible()
        assert proxy.failed >= 2
    finally:
        proxy.stop()
