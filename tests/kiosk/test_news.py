"""消息中心's news in a real local store: pulled changes applied and deleted, pages newest first per tab, search,
unread per user, the wipe at logout (reads go, news stays), an article's body as text and image blocks, the
terminal's image cache, and read marks made offline sent to a real server once it is reachable."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.models.store import LocalStore
from kiosk.services import news, news_images
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.sync import SyncEngine
from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite

USER, OTHER = "2022010101", "2022010102"


def _item(i: int, category: str = "notice", title: str = "", day: int = 1, summary: str = "") -> dict[str, Any]:
    data = {
        "id": i,
        "category": category,
        "title": title or f"通知 {i}",
        "summary": summary,
        "author": "教务处",
        "cover": "",
        "published_at": f"2022-07-{day:02d}T08:00:00+08:00",
        "updated_at": f"2022-07-{day:02d}T08:00:00+08:00",
        "body": f"<p>正文 {i}</p>",
    }
    return {"seq": 0, "entity": "news", "id": str(i), "op": "upsert", "scope": "public", "data": data}


def _apply(store: LocalStore, changes: list[dict[str, Any]], user: str | None = None) -> None:
    key = f"user.sync.cursor.{user}" if user else "sync.cursor.public"
    assert store.apply_changes(user, changes, key, 1, "epoch")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(tmp_path / "kiosk.db")
    yield opened
    opened.close()


def test_apply_update_and_delete(store: LocalStore) -> None:
    _apply(store, [_item(1, day=3), _item(2, day=5)])
    _apply(store, [_item(1, title="改过的标题", day=3)], USER)
    _apply(store, [{"seq": 0, "entity": "news_read", "id": "1", "op": "upsert", "scope": "user",
                    "data": {"news_id": 1, "read_at": "2022-07-06T00:00:00+00:00"}}], USER)  # fmt: skip
    assert [(r["newsId"], r["title"], r["unread"]) for r in news.page(store, USER, "all", "", 0)] == [
        (2, "通知 2", True),
        (1, "改过的标题", False),
    ]
    _apply(store, [{"seq": 0, "entity": "news", "id": "1", "op": "delete", "scope": "public", "data": None}])
    assert [r["newsId"] for r in news.page(store, USER, "all", "", 0)] == [2]
    assert news.article(store, USER, 1) is None
    assert store.unsent_news_reads(USER) == []  # its read mark went with it
    row = news.page(store, None, "notice", "", 0)[0]
    # The badge: day and month in local time (08:00+08:00 is still 5 July anywhere within ±7 h).
    assert (row["day"], row["month"], row["unread"]) == ("05", 7, None)


def test_pages_tabs_and_search(store: LocalStore) -> None:
    cats = ["notice", "school_news", "research", "department"]
    _apply(store, [_item(i, cats[i % 4], day=1 + i % 28) for i in range(1, 121)])
    pages = [news.page(store, None, "all", "", offset) for offset in range(0, 150, news.PAGE_SIZE)]
    everything = [r["newsId"] for rows in pages for r in rows]
    assert len(everything) == 120 == len(set(everything)) == news.count(store, "all", "")
    days = [store.news_article(None, i)["published_at"] for i in everything]  # type: ignore[index]
    assert days == sorted(days, reverse=True)
    research = news.page(store, None, "research", "", 0)
    assert {r["category"] for r in research} == {"research"} and news.count(store, "research", "") == 30
    assert news.count(store, "portal", "") == 0
    _apply(store, [_item(500, summary="关于 100% 报销"), _item(501, title="图书馆 开放时间", summary="暑期")])
    assert [r["newsId"] for r in news.page(store, None, "all", "图书馆 暑期", 0)] == [501]
    assert [r["newsId"] for r in news.page(store, None, "all", "100%", 0)] == [500]  # % is a character
    assert news.page(store, None, "all", "图书馆 报销", 0) == []  # every word must be there


def test_unread_is_per_user_and_logout_keeps_the_news(store: LocalStore) -> None:
    _apply(store, [_item(1), _item(2)])
    assert news.mark_read(store, USER, 1)
    assert not news.mark_read(store, USER, 1)  # once
    assert not news.mark_read(store, USER, 99)  # unknown item: nothing to mark
    assert {r["newsId"]: r["unread"] for r in news.page(store, USER, "all", "", 0)} == {1: False, 2: True}
    assert {r["newsId"]: r["unread"] for r in news.page(store, OTHER, "all", "", 0)} == {1: True, 2: True}
    assert store.unsent_news_reads(USER) == [1]
    store.wipe_personal()
    assert store.unsent_news_reads(USER) == []
    assert {r["newsId"]: r["unread"] for r in news.page(store, USER, "all", "", 0)} == {1: True, 2: True}


def test_an_article_is_text_and_image_blocks() -> None:
    own = "/api/v1/content/images/" + "a" * 64
    body = (
        f'<p>见图 &amp; 表<img src="{own}" alt="校门" width="1600" height="800">之后</p>'
        '<img src="https://www.school.example/a.png" alt="远处"><img alt="未取到">'
        f'<table><tr><td><img src="{own}" alt="表中"></td></tr></table>'
    )
    assert news_images.blocks(body) == [
        {"kind": "text", "html": "<p>见图 &amp; 表</p>"},
        {"kind": "image", "sha256": "a" * 64, "alt": "校门", "width": 1600, "height": 800},
        {"kind": "text", "html": "<p>之后</p>"},
        {"kind": "image", "sha256": "", "alt": "远处", "width": 0, "height": 0},  # not the server's: its alt
        {"kind": "image", "sha256": "", "alt": "未取到", "width": 0, "height": 0},
        {"kind": "text", "html": "<table><tr><td><i>〔图片：表中〕</i></td></tr></table>"},
    ]
    assert news_images.blocks(f'<img src="{own}">') == [
        {"kind": "image", "sha256": "a" * 64, "alt": "", "width": 0, "height": 0}
    ]


def test_the_image_cache_checks_what_it_keeps_and_evicts_the_oldest(tmp_path: Path) -> None:
    data = {name: bytes([i]) * 1000 for i, name in enumerate("abc")}
    served: dict[str, bytes] = {hashlib.sha256(v).hexdigest(): v for v in data.values()}
    liar = "f" * 64
    served[liar] = b"not the bytes its name says"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = served.get(self.path.rsplit("/", 1)[1])
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *_args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        client = ApiClient(f"http://127.0.0.1:{site.server_address[1]}")
        cache = news_images.ImageCache(tmp_path / "images", max_bytes=2500)
        shas = [hashlib.sha256(data[n]).hexdigest() for n in "abc"]
        for sha in shas:
            assert cache.fetch(client, sha).read_bytes() == served[sha]
            time.sleep(0.02)  # distinct use times
        assert cache.cached(shas[0]) is None and cache.cached(shas[2]) is not None  # the oldest went
        with pytest.raises(ValueError):
            cache.fetch(client, liar)
        assert not (tmp_path / "images" / liar).exists()
        with pytest.raises(ApiError):
            cache.fetch(client, "e" * 64)  # the server has none
        with pytest.raises(ValueError):
            cache.fetch(client, "../../etc/passwd")
    finally:
        site.shutdown()
        site.server_close()
    offline = ApiClient("http://127.0.0.1:9")
    assert cache.fetch(offline, shas[2]).read_bytes() == served[shas[2]]  # from the cache: no server needed
    with pytest.raises(ApiError):
        cache.fetch(offline, shas[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("news-server")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    yield live
    live.stop()


def test_reads_made_offline_reach_the_server_later(server: LiveServer, store: LocalStore) -> None:
    token = activated(server, STUDENT, STUDENT_PW)["access_token"]
    client = ApiClient(server.url)
    client.access_token = token
    SyncEngine(client, store, "dev-news").pull(STUDENT)
    first, second = (r["newsId"] for r in news.page(store, STUDENT, "all", "", 0)[:2])
    assert news.mark_read(store, STUDENT, first) and news.mark_read(store, STUDENT, second)

    unreachable = ApiClient("http://127.0.0.1:9")  # nothing listens: offline
    unreachable.access_token = token
    with pytest.raises(ApiError):
        news.send_unsent(unreachable, store, STUDENT)
    assert sorted(store.unsent_news_reads(STUDENT)) == sorted([first, second])  # kept for the next round

    assert news.send_unsent(client, store, STUDENT) == 2
    assert store.unsent_news_reads(STUDENT) == []
    listed = requests.get(server.url + "/api/v1/content/news?limit=5", headers=bearer(token), timeout=10).json()
    unread = {i["id"]: i["unread"] for i in listed["items"]}
    assert unread[first] is False and unread[second] is False
    # The server's own news_read changes come back with the next pull and keep the marks (sent).
    SyncEngine(client, store, "dev-news").pull(STUDENT)
    assert {r["newsId"]: r["unread"] for r in news.page(store, STUDENT, "all", "", 0)[:2]} == {
        first: False,
        second: False,
    }
