"""首页, the manual's fifteen items, on the real QML: the public parts before login (news lists, 办事中心,
资源中心 and 应用中心), the counters after login (the demo connector's figures marked 演示数据, 待办 from the
synced list), a resource's QR code that decodes back to its address, and the layouts of a landscape kiosk, a
portrait totem and a desk window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page, log_in, on_home


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    """A server whose 首页 counters come from the demo connector (the seeded figures)."""
    workdir = tmp_path_factory.mktemp("home-server")
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir, extra_env={"CAMPUS_SYNC_COUNTERS": "demo"}
    ).start()
    activated(live, STUDENT, STUDENT_PW)
    yield live
    live.stop()


class _Browser(QObject):
    """Stands in for the system browser: records what the desk asked it to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def _counter(ui: Any, name: str) -> list[str]:
    return ui.texts(ui.find_visible("counter_" + name))


def test_home_before_and_after_login_on_a_landscape_kiosk(demo_server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(demo_server.url)
    ui.tap("nav_home")
    ui.wait_for(lambda: current_page(ui) == "homePage")
    # Before login: the public parts; the personal ones ask for a login, and no figure is invented.
    ui.wait_for(lambda: len(ui.find_visible("headlinesCard") and ui.state.portal.headlines[0]["items"]) > 0)
    ui.wait_for(lambda: ui.find_visible("entry_cnki") is not None and ui.find_visible("entry_jwxt") is not None)
    assert "—" in _counter(ui, "unreadMail") and "登录后显示" in _counter(ui, "unreadMail")
    assert ui.state.portal.services.rowCount() == 64  # nobody signed in: every audience's processes
    ui.screenshot("kiosk-home-public")

    ui.tap("homeLoginButton")
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.wait_for(lambda: "演示数据" in _counter(ui, "booksBorrowed"))
    mail, loans, overdue = _counter(ui, "unreadMail"), _counter(ui, "booksBorrowed"), _counter(ui, "booksOverdue")
    figures = {c["key"]: c for c in ui.state.portal.counters}
    assert figures["loans"]["known"] and figures["loans"]["value"] in loans
    assert figures["mail_unread"]["value"] in mail and figures["overdue"]["value"] in overdue
    assert "点击查看待办事宜" in _counter(ui, "todo")
    # (10)–(12) from the synced calendar: what the store holds for today and this week, said as such — once the
    # first sync is over (during it an empty week says 正在同步…, not 本周暂无安排).
    ui.wait_for(lambda: ui.state.sync.property("firstSyncProgress") < 0, timeout=30_000)
    ui.wait_for(lambda: len(ui.state.portal.agenda) == 3)
    course = next(a for a in ui.state.portal.agenda if a["kind"] == "course")
    summary = ui.find("agendaSummary", ui.find_visible("agenda_course")).property("text")
    expected = f"今天 {len(course['today'])} 项 · 本周 {course['week']} 项" if course["week"] else "本周暂无安排"
    assert summary == expected
    # 办事中心: only what a student may start.
    services = ui.state.portal.services
    assert 0 < services.rowCount() < 64
    ui.screenshot("kiosk-home")

    # 资源中心 on a kiosk: the address as a QR code for the phone, which decodes back to it.
    ui.tap(on_home(ui, "entry_cnki"))
    dialog = ui.window.findChild(QObject, "linkQrDialog")
    ui.wait_for(lambda: dialog.property("opened"))
    shot = ui.screenshot("kiosk-home-resource-qr")
    codes = zxingcpp.read_barcodes(Image.open(shot))
    cnki = next(r for r in ui.state.portal.resources if r["code"] == "cnki")
    assert [c.text for c in codes] == [cnki["url"]]
    ui.tap("linkQrClose")
    ui.wait_for(lambda: not dialog.property("opened"))


def test_home_reflows_on_a_portrait_totem_and_a_desk(demo_server: LiveServer, launch_ui: Any) -> None:
    totem = launch_ui(demo_server.url, mode="kiosk", size=(1080, 1920))
    totem.tap("nav_home")
    totem.wait_for(lambda: totem.find_visible("entry_jwxt") is not None)
    assert totem.find_visible("headlinesCard").width() <= 1080
    totem.screenshot("kiosk-portrait-home-public")
    totem.tap("homeLoginButton")
    log_in(totem, STUDENT, NEW_PW)
    totem.wait_for(lambda: current_page(totem) == "homePage")
    totem.wait_for(lambda: "演示数据" in totem.texts(totem.find_visible("counter_booksBorrowed")))
    assert all(totem.find_visible("counter_" + name).width() < 1080 / 2 for name in ("unreadMail", "todo"))
    totem.screenshot("kiosk-portrait-home")

    desk = launch_ui(demo_server.url, mode="desk", size=(1366, 768))
    log_in(desk, STUDENT, NEW_PW)
    desk.wait_for(lambda: current_page(desk) == "homePage")
    desk.wait_for(lambda: "演示数据" in desk.texts(desk.find_visible("counter_booksBorrowed")))
    desk.screenshot("desk-home")

    # 应用中心 on a desk: 教务系统 opens in the browser through the portal's single sign-on (a one-time link).
    opened = _Browser()
    for scheme in ("http", "https"):  # the hand-off link is on the sync server (plain http on loopback here)
        QDesktopServices.setUrlHandler(scheme, opened, "open")
    try:
        desk.click(on_home(desk, "entry_jwxt"))
        desk.wait_for(lambda: len(opened.urls) == 1)
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)
    assert "/cas/login?" in opened.urls[0] and "handoff=HO-" in opened.urls[0]


@pytest.mark.usefixtures("quick_health_poll")
def test_home_offline_shows_the_last_synced_content_with_its_age(
    tmp_path: Path, seeded_sqlite: Path, launch_ui: Any
) -> None:
    workdir = tmp_path / "server"
    workdir.mkdir()
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir, extra_env={"CAMPUS_SYNC_COUNTERS": "demo"}
    ).start()
    try:
        activated(live, STUDENT, STUDENT_PW)
        ui = launch_ui(live.url)
        ui.tap("nav_home")
        ui.tap("homeLoginButton")
        log_in(ui, STUDENT, NEW_PW)
        ui.wait_for(lambda: current_page(ui) == "homePage")
        ui.wait_for(lambda: "演示数据" in _counter(ui, "booksBorrowed"))
        ui.wait_for(lambda: ui.state.messages.age != "")
        titles = [h["title"] for h in ui.state.portal.headlines[0]["items"]]
        assert titles
    finally:
        live.stop()
    ui.wait_for(lambda: ui.state.state.connection == "offline", timeout=20_000)
    ui.wait_for(lambda: ui.find_visible("headlinesAge") is not None)
    assert f"离线 · 内容更新于 {ui.state.messages.age}" in ui.texts(ui.find_visible("headlinesAge"))
    assert [h["title"] for h in ui.state.portal.headlines[0]["items"]] == titles  # the lists stay
    # The figures read before stay as they were (each marked as the demo's); none is invented.
    assert "演示数据" in _counter(ui, "booksBorrowed")
    ui.screenshot("kiosk-home-offline")
