"""订阅日历 (CalendarFeedCard, for 个人中心) on the real QML against a live server: the card makes a feed URL that
really serves the user's .ics (read back with the icalendar parser), shows it as a QR code, copies it on a desk;
重置链接 makes a new one and the old answers 404; 停用 makes it answer 404 too. The card is placed on the window
by the test (the lead adds it to ProfilePage)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
import requests
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickItem

from tests.helpers import LIU, LIU_PW, NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import current_page, log_in


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("calendar-feed-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, LIU, LIU_PW)
    activated(live, STUDENT, STUDENT_PW)
    yield live
    live.stop()


def _card(ui: Any, width: int) -> QQuickItem:
    """The card, on top of the signed-in window's page."""
    component = QQmlComponent(ui.engine)
    component.loadFromModule("Kiosk", "CalendarFeedCard")
    assert component.isReady(), component.errorString()
    card = component.create()
    assert isinstance(card, QQuickItem), component.errorString()
    QQmlEngine.setObjectOwnership(card, QQmlEngine.ObjectOwnership.CppOwnership)  # not the JS collector's
    card.setParent(ui.window)
    card.setParentItem(ui.window.contentItem())
    card.setZ(40)
    card.setWidth(width)
    card.setX(ui.window.width() - width - 24)
    card.setY(24)
    ui.settle(100)
    return card


def _dark_share(ui: Any, item: QQuickItem) -> float:
    """How much of the item's area on screen is dark."""
    image = ui.window.grabWindow()
    top_left = item.mapToScene(QPointF(0, 0))
    dark = total = 0
    for x in range(int(top_left.x()), int(top_left.x() + item.width()), 4):
        for y in range(int(top_left.y()), int(top_left.y() + item.height()), 4):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 80
    return dark / max(total, 1)


def _feed(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


def test_subscribe_copy_reset_and_revoke_on_a_desk(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url, mode="desk", size=(1366, 768))
    log_in(ui, LIU, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    card = _card(ui, 640)
    feed = ui.state.calendar_feed
    assert ui.find_visible("calendarFeedMake", card).property("text") == "生成订阅链接"

    ui.click(ui.find_visible("calendarFeedMake", card))
    ui.wait_for(lambda: feed.property("url") != "")
    first = str(feed.property("url"))
    answer = _feed(first)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(answer.content)
    titles = {str(e.get("summary")) for e in parsed.walk("VEVENT")}
    assert "与贾孟杰核对实验室设备台账" in titles  # 刘诗宏's own personal event, from the demo data
    assert ui.find_visible("calendarFeedUrl", card).property("text") == first
    qr = ui.find_visible("calendarFeedQr", card)
    assert qr.property("source").toString().startswith("image://linkqr/feed-")
    ui.wait_for(lambda: _dark_share(ui, qr) > 0.2)  # a drawn code, not a blank square
    ui.screenshot("desk-calendar-feed")

    ui.click(ui.find_visible("calendarFeedCopy", card))
    assert QGuiApplication.clipboard().text() == first
    assert ui.find_visible("calendarFeedCopied", card).property("text") == "已复制"

    # 重置链接: a new address; the old one no longer works.
    assert ui.find_visible("calendarFeedMake", card).property("text") == "重置链接"
    ui.click(ui.find_visible("calendarFeedMake", card))
    ui.wait_for(lambda: feed.property("url") not in ("", first))
    second = str(feed.property("url"))
    assert _feed(first).status_code == 404 and _feed(second).status_code == 200

    # 停用: none works; the card says so.
    ui.click(ui.find_visible("calendarFeedRevoke", card))
    ui.wait_for(lambda: feed.property("revoked"))
    assert feed.property("url") == "" and _feed(second).status_code == 404
    assert "已停用" in " ".join(ui.texts(card))
    ui.screenshot("desk-calendar-feed-revoked")


def test_the_qr_code_on_a_kiosk_and_forgotten_at_logout(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    card = _card(ui, 900)
    feed = ui.state.calendar_feed
    ui.tap(ui.find_visible("calendarFeedMake", card))
    ui.wait_for(lambda: feed.property("url") != "")
    url = str(feed.property("url"))
    assert _feed(url).status_code == 200
    assert not ui.find("calendarFeedCopy", card).isVisible()  # a kiosk has no clipboard for its users
    ui.screenshot("kiosk-calendar-feed")
    ui.tap("logoutButton")
    ui.wait_for(lambda: not ui.state.session.property("loggedIn"))
    assert feed.property("url") == "" and url not in " ".join(ui.texts())
    assert _feed(url).status_code == 200  # logging out of a kiosk does not stop the phone's subscription
