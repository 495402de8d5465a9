"""消息中心 on the real QML against a real server: the manual's tabs, a search typed with the kiosk's keyboard up,
an article opened (unread → read, on the server too), the layouts of a landscape kiosk, a portrait totem and a
desk in both languages, and the last synced content shown offline with its age."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QPointF
from PySide6.QtTest import QAbstractItemModelTester

from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite
from tests.qml.steps import current_page, log_in


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("messages-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    activated(live, STUDENT, STUDENT_PW)  # the student signs in with NEW_PW from here on
    yield live
    live.stop()


def _rows(ui: Any) -> list[dict[str, Any]]:
    model = ui.state.messages.news
    names = {bytes(v).decode(): k for k, v in model.roleNames().items()}
    return [{key: model.data(model.index(i, 0), role) for key, role in names.items()} for i in range(model.rowCount())]


def _shown(ui: Any, name: str) -> bool:
    return any(item.objectName() == name and item.isVisible() for item in ui.items())


def _open_messages(ui: Any) -> None:
    ui.tap("nav_messages")
    ui.wait_for(lambda: current_page(ui) == "messagesPage")
    ui.wait_for(lambda: ui.state.messages.news.rowCount() > 0)


def test_tabs_search_and_an_article_read(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    QAbstractItemModelTester(ui.state.messages.news, QAbstractItemModelTester.FailureReportingMode.Fatal)
    _open_messages(ui)
    everything = requests.get(server.url + "/api/v1/content/news?limit=100", timeout=10).json()
    ui.wait_for(lambda: ui.state.messages.total == everything["total"] == 50)
    assert {r["readState"] for r in _rows(ui)} == {""}  # nobody signed in: neither read nor unread
    assert _shown(ui, "messageTab_all") and not _shown(ui, "messageTab_notices")
    ui.screenshot("kiosk-messages-public")

    ui.tap("messageTab_research")
    ui.wait_for(lambda: ui.state.messages.total == 6 and ui.state.messages.news.rowCount() == 6)
    assert {r["title"] for r in _rows(ui)} == {i["title"] for i in everything["items"] if i["category"] == "research"}

    ui.tap("nav_home")
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.tap("homeLoginButton")
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    _open_messages(ui)
    ui.wait_for(lambda: _shown(ui, "messageTab_notices"))
    ui.tap("messageTab_all")
    ui.wait_for(lambda: ui.state.messages.tab == "all" and ui.state.messages.news.rowCount() == 50)
    ui.wait_for(lambda: {r["readState"] for r in _rows(ui)} == {"unread"})
    ui.wait_for(lambda: _shown(ui, "unreadMark"))  # the dot and the word 未读
    ui.screenshot("kiosk-messages")

    # Search with the kiosk's keyboard up: the field stays above it; every word must match.
    field = ui.type_into("newsSearch", "艺术学院")
    panel = ui.find("inputPanel")
    assert ui.center(field).y() < panel.mapToScene(QPointF(0, 0)).y(), "the search box is under the keyboard"
    expected = requests.get(server.url + "/api/v1/content/news", params={"q": "艺术学院"}, timeout=10).json()
    ui.wait_for(lambda: ui.state.messages.query == "艺术学院" and ui.state.messages.total == expected["total"] > 0)
    ui.wait_for(lambda: [r["newsId"] for r in _rows(ui)] == [i["id"] for i in expected["items"]])
    ui.screenshot("kiosk-messages-search")

    first = _rows(ui)[0]
    ui.tap(f"news_{first['newsId']}")
    ui.wait_for(lambda: current_page(ui) == "articlePage" and ui.state.messages.articleState == "ready")
    assert first["title"] in ui.texts(ui.find_visible("articleTitle"))
    ui.screenshot("kiosk-article")
    token = ui.state.auth.current.access_token

    def read_on_server() -> bool:
        item = requests.get(f"{server.url}/api/v1/content/news/{first['newsId']}", headers=bearer(token), timeout=10)
        return item.json()["unread"] is False

    ui.wait_for(read_on_server)
    ui.tap("backButton")
    ui.wait_for(lambda: current_page(ui) == "messagesPage")
    ui.wait_for(lambda: ui.state.messages.news.rowCount() > 0)
    ui.wait_for(lambda: {r["newsId"]: r["readState"] for r in _rows(ui)}.get(first["newsId"]) == "read")


@pytest.mark.parametrize(
    ("mode", "size", "language", "name"),
    [
        ("kiosk", (1080, 1920), "zh_CN", "kiosk-portrait-messages"),
        ("desk", (1366, 768), "zh_CN", "desk-messages"),
        ("kiosk", (1920, 1080), "en_US", "kiosk-messages-en"),
        ("desk", (1366, 768), "en_US", "desk-messages-en"),
    ],
)
def test_layouts(
    server: LiveServer, launch_ui: Any, mode: str, size: tuple[int, int], language: str, name: str
) -> None:
    ui = launch_ui(server.url, mode=mode, size=size, language=language)
    if mode == "desk":  # a desk client is for its signed-in user
        log_in(ui, STUDENT, NEW_PW)
        ui.wait_for(lambda: current_page(ui) == "homePage")
        # The user's first pull reloads the list when it lands: let it, so the rows below are the ones shown.
        ui.wait_for(lambda: ui.state.sync.property("lastSync") != "", timeout=20_000)
    _open_messages(ui)
    # The model has its rows before the list has made their delegates (a frame later, and later still when the
    # machine is busy): wait for the first row to be drawn.
    ui.wait_for(lambda: _shown(ui, f"news_{_rows(ui)[0]['newsId']}"))
    row = ui.find_visible(f"news_{_rows(ui)[0]['newsId']}")
    assert row.width() <= size[0]
    ui.screenshot(name)
    ui.tap(row)
    ui.wait_for(lambda: current_page(ui) == "articlePage" and ui.state.messages.articleState == "ready")
    ui.screenshot(name.replace("messages", "article"))


@pytest.mark.usefixtures("quick_health_poll")
def test_offline_shows_the_last_content_with_its_age(tmp_path: Path, seeded_sqlite: Path, launch_ui: Any) -> None:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path), workdir=tmp_path).start()
    data_dir = str(tmp_path / "kiosk-data")
    try:
        ui = launch_ui(live.url, data_dir=data_dir)
        _open_messages(ui)
        ui.wait_for(lambda: ui.state.messages.age != "")
    finally:
        live.stop()
    ui.wait_for(lambda: ui.state.state.connection == "offline", timeout=20_000)
    ui.wait_for(lambda: _shown(ui, "newsAge"))
    assert f"离线 · 内容更新于 {ui.state.messages.age}" in ui.texts(ui.find_visible("newsAge"))
    assert ui.state.messages.news.rowCount() == 50
    ui.screenshot("kiosk-messages-offline")
