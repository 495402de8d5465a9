"""Article images on the real QML: a kiosk shows the server's copies (fetched on a worker, decoded asynchronously,
fitted to the page), an image the server could not keep and one the server no longer has show their alt text,
and offline the images already on this terminal still show while the others give way to their alt text."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from PySide6.QtQuick import QQuickItem

from tests.helpers import LiveServer, copy_sqlite, run_server_cli
from tests.qml.steps import current_page
from tests.server.image_site import ImageSite

TITLE = "新图书馆落成 图片报道"
GONE = "0" * 64  # an image the server does not have (a body may name the server's copies)


def _picture() -> bytes:
    image = Image.new("RGB", (1600, 800), "#2e7d32")
    for x in range(0, 1600, 200):  # stripes: a scaled or cut image would show it
        image.paste("#fdd835", (x, 0, x + 100, 800))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PICTURE = _picture()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[tuple[LiveServer, int]]:
    workdir = tmp_path_factory.mktemp("article-images")
    db_url = copy_sqlite(seeded_sqlite, workdir)
    site = ImageSite()
    site.pages["/library.png"] = (200, "image/png", PICTURE, 0.0)
    site.pages["/page.html"] = (200, "text/html", b"<html>not an image</html>", 0.0)
    body = (
        f'<p>新图书馆今日落成。</p><p><img src="{site.url("/library.png")}" alt="新图书馆外景"></p>'
        f'<p>馆内共有阅览座位三千个。</p><img src="{site.url("/page.html")}" alt="阅览室">'
        f'<img src="/api/v1/content/images/{GONE}" alt="旧馆">'
        "<p>欢迎同学们前来参观。</p>"
    )
    records = workdir / "news.json"
    record = {"category": "学校新闻", "title": TITLE, "body": body, "published_at": "2030-01-01T08:00:00+08:00"}
    records.write_text(json.dumps([record]), "utf-8")
    try:
        done = run_server_cli("content", "import", "--internal-images", str(records), db_url=db_url, timeout=120)
        assert done.returncode == 0, done.stderr
    finally:
        site.stop()  # from here on the images come from the sync server alone
    live = LiveServer(db_url=db_url, workdir=workdir).start()
    found = requests.get(live.url + "/api/v1/content/news", params={"q": "图片报道"}, timeout=10).json()
    yield live, int(found["items"][0]["id"])
    live.stop()


def _blocks(ui: Any) -> list[dict[str, Any]]:
    model = ui.state.messages.articleBlocks
    names = {bytes(v).decode(): k for k, v in model.roleNames().items()}
    return [{key: model.data(model.index(i, 0), role) for key, role in names.items()} for i in range(model.rowCount())]


def _images(ui: Any) -> list[QQuickItem]:
    return [i for i in ui.items() if i.objectName() == "articleImage" and i.isVisible()]


def _nav_shown(ui: Any) -> bool:
    # Right after a launch on a loaded machine the navigation bar was seen not yet visible (a flake not
    # understood yet): wait for it rather than tap into nothing.
    return any(i.objectName() == "nav_messages" and i.isVisible() for i in ui.items())


def _open(ui: Any, news_id: int) -> None:
    ui.wait_for(lambda: _nav_shown(ui))
    ui.tap("nav_messages")
    ui.wait_for(lambda: current_page(ui) == "messagesPage")
    ui.wait_for(lambda: ui.state.messages.news.rowCount() > 0)
    ui.tap(f"news_{news_id}")
    ui.wait_for(lambda: current_page(ui) == "articlePage" and ui.state.messages.articleState == "ready")


@pytest.mark.usefixtures("quick_health_poll")
def test_a_kiosk_shows_the_servers_images_and_the_alt_text_of_the_rest(
    server: tuple[LiveServer, int], launch_ui: Any, tmp_path: Path
) -> None:
    live, news_id = server
    data_dir = str(tmp_path / "kiosk-data")
    ui = launch_ui(live.url, data_dir=data_dir)
    _open(ui, news_id)
    ui.wait_for(lambda: [b["imageState"] for b in _blocks(ui) if b["kind"] == "image"] == ["ready"] + ["failed"] * 2)
    ui.wait_for(lambda: len(_images(ui)) == 1)
    [picture] = _images(ui)
    page_width = ui.find_visible("articleText").width()
    # Fitted: as wide as the text column (the picture is wider), its proportions kept.
    assert abs(picture.width() - page_width) < 1.5 and abs(picture.height() - picture.width() / 2) < 1.5
    texts = " ".join(ui.texts(ui.find("articlePage")))
    assert "〔图片：阅览室〕" in texts and "〔图片：旧馆〕" in texts  # the server had none / has none
    assert "新图书馆今日落成" in texts and "欢迎同学们前来参观" in texts
    cached = Path(data_dir) / "images" / hashlib.sha256(PICTURE).hexdigest()
    assert cached.read_bytes() == PICTURE
    ui.screenshot("kiosk-article-images")

    live.stop()  # offline: the cached image still shows
    try:
        ui.wait_for(lambda: ui.state.state.connection == "offline", timeout=20_000)
        ui.tap("backButton")
        ui.wait_for(lambda: current_page(ui) == "messagesPage")
        ui.tap(f"news_{news_id}")
        ui.wait_for(lambda: current_page(ui) == "articlePage" and ui.state.messages.articleState == "ready")
        ui.wait_for(lambda: len(_images(ui)) == 1)
        assert "〔图片：旧馆〕" in " ".join(ui.texts(ui.find("articlePage")))
        scroller = ui.find_visible("articleScroller")  # the end of the article, where the alt texts are
        ui.wait_for(lambda: scroller.property("contentHeight") > scroller.height())
        scroller.setProperty("contentY", scroller.property("contentHeight") - scroller.height())
        ui.screenshot("kiosk-article-images-offline")
    finally:
        live.start(port=live.port)


@pytest.mark.usefixtures("quick_health_poll")
def test_offline_an_image_never_fetched_shows_its_alt_text(
    server: tuple[LiveServer, int], launch_ui: Any, tmp_path: Path
) -> None:
    live, news_id = server
    ui = launch_ui(live.url, data_dir=str(tmp_path / "fresh-kiosk"))
    ui.wait_for(lambda: _nav_shown(ui))
    ui.tap("nav_messages")
    ui.wait_for(lambda: ui.state.messages.news.rowCount() > 0)  # the article is in the store
    live.stop()
    try:
        ui.wait_for(lambda: ui.state.state.connection == "offline", timeout=20_000)
        ui.tap(f"news_{news_id}")
        ui.wait_for(lambda: current_page(ui) == "articlePage" and ui.state.messages.articleState == "ready")
        ui.wait_for(lambda: [b["imageState"] for b in _blocks(ui) if b["kind"] == "image"] == ["failed"] * 3)
        texts = " ".join(ui.texts(ui.find("articlePage")))
        assert "〔图片：新图书馆外景〕" in texts and not _images(ui)
    finally:
        live.start(port=live.port)
