"""News (消息中心, 首页's lists): sanitizing, the admin API and CLI, feed import, delivery by sync, read marks,
search and paging — on SQLite and PostgreSQL, against a real server on loopback."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from campus_common.content import CATEGORIES, HOME_LISTS, MESSAGE_CENTER_TABS, category_code
from sync_server.core import content, feeds
from sync_server.core.content_html import sanitize
from sync_server.db import Database
from sync_server.migrate import upgrade
from sync_server.models import Base, ChangeLog, NewsItem
from tests.helpers import (
    ADMIN,
    ADMIN_PW,
    LIU,
    LIU_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    run_server_cli,
)

# -- sanitizing ------------------------------------------------------------------------------------------------
HOSTILE = [
    ('<p onclick="steal()">hi<script>alert(1)</script></p>', "<p>hi</p>"),
    ('<img src="x" onerror="alert(1)">', "<img>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href=" jav&#x61;script:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="VBScript:msgbox(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    ('<a href="//evil.example/x">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="/relative">x</a>', '<a rel="noopener noreferrer">x</a>'),
    (
        '<img src="https://s.example/a.png" srcset="https://evil.example/b.png 2x" style="background:url(https://e)"'
        ' width="120" height="50%">',
        '<img src="https://s.example/a.png" width="120">',
    ),
    ('<iframe src="https://evil.example"></iframe>ok', "ok"),
    ('<svg><image href="https://evil.example/t.png"/><script>x</script></svg>ok', "ok"),
    ("<style>body{display:none}</style>ok", "ok"),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">', ""),
    ('<form action="https://evil.example"><button formaction="https://e">b</button></form>', "b"),
    ('<object data="https://evil.example/x.swf"></object><embed src="https://e">ok', "ok"),
    (
        '<a href="https://ok.example/p" target="_blank" rel="opener">ok</a>',
        '<a href="https://ok.example/p" rel="noopener noreferrer">ok</a>',
    ),
    ("<h1>t</h1><h2>h</h2><!-- c -->", "t<h2>h</h2>"),
    (
        '<table><tr><td colspan="2" onmouseover="x()">c</td></tr></table>',
        '<table><tbody><tr><td colspan="2">c</td></tr></tbody></table>',
    ),
]


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_hostile_html_is_cleaned(dirty: str, clean: str) -> None:
    assert sanitize(dirty) == clean


def test_a_feed_body_resolves_relative_urls_against_its_link_and_still_refuses_schemes() -> None:
    body = '<a href="a/b.html">x</a><img src="/i.png"><a href="javascript:x()">j</a>'
    assert sanitize(body, base_url="https://www.school.example/news/1.html") == (
        '<a href="https://www.school.example/news/a/b.html" rel="noopener noreferrer">x</a>'
        '<img src="https://www.school.example/i.png"><a rel="noopener noreferrer">j</a>'
    )


def test_categories_cover_the_tabs_and_home_lists() -> None:
    codes = {c.code for c in CATEGORIES}
    assert set(MESSAGE_CENTER_TABS) <= codes and set(HOME_LISTS) <= codes
    assert [category_code(n) for n in ("通知公告", "Notices", "notice", "无")] == ["notice"] * 3 + [None]


def test_the_migration_makes_the_news_tables_of_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert [d for d in diff if "news" in repr(d)] == []


# -- the admin API -----------------------------------------------------------------------------------------------
def _pull_all(server: LiveServer, token: str | None = None) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    cursor = 0
    while True:
        page = requests.get(
            server.url + "/api/v1/sync/pull",
            params={"cursor": cursor, "limit": 500},
            headers=bearer(token) if token else {},
            timeout=10,
        ).json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def test_admin_writes_news_and_anonymous_terminals_pull_it(live_server: LiveServer) -> None:
    admin = activated(live_server, ADMIN, ADMIN_PW)["access_token"]
    student = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    url = live_server.url + "/api/v1/admin/content"
    item = {"category": "通知公告", "title": "停电通知", "body": '<p onclick="x()">明天停电<script>x()</script></p>'}

    assert requests.post(url, json=item, timeout=10).status_code == 401
    refused = requests.post(url, json=item, headers=bearer(student), timeout=10)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    created = requests.post(url, json=item, headers=bearer(admin), timeout=10)
    assert created.status_code == 201, created.text
    news = created.json()
    assert news["category"] == "notice" and news["category_name"] == "通知公告"
    assert news["body"] == "<p>明天停电</p>" and news["summary"] == "明天停电"

    before = [c for c in _pull_all(live_server) if c["entity"] == "news" and c["id"] == str(news["id"])]
    assert [(c["op"], c["scope"], c["data"]["body"]) for c in before] == [("upsert", "public", "<p>明天停电</p>")]
    assert set(before[0]["data"]) == {
        "id", "category", "title", "summary", "author", "cover", "published_at", "updated_at", "body",
    }  # fmt: skip

    for n in range(3):  # three edits: the log still holds one change for the item, the latest
        changed = {**item, "title": f"停电通知（更新{n}）"}
        answer = requests.put(f"{url}/{news['id']}", json=changed, headers=bearer(admin), timeout=10)
        assert answer.status_code == 200 and answer.json()["title"] == changed["title"]
    after = [c for c in _pull_all(live_server) if c["entity"] == "news" and c["id"] == str(news["id"])]
    assert [c["data"]["title"] for c in after] == ["停电通知（更新2）"]

    assert requests.delete(f"{url}/{news['id']}", headers=bearer(student), timeout=10).status_code == 403
    assert requests.delete(f"{url}/{news['id']}", headers=bearer(admin), timeout=10).json() == {"ok": True}
    gone = [c for c in _pull_all(live_server) if c["entity"] == "news" and c["id"] == str(news["id"])]
    assert [(c["op"], c["data"]) for c in gone] == [("delete", None)]
    missing = requests.delete(f"{url}/{news['id']}", headers=bearer(admin), timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "news_not_found"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"category": "无此栏目", "title": "t"}, "unknown_category"),
        ({"category": "notice", "title": "   "}, "invalid_content"),
        ({"category": "notice", "title": "a\ud800b"}, "validation_error"),  # a lone surrogate is not JSON text
        ({"category": "notice", "title": "t", "body": "x\x00y"}, "invalid_content"),
        ({"category": "notice", "title": "t", "author": "\udfff"}, "validation_error"),
        ({"category": "notice", "title": "t" * 201}, "validation_error"),
        ({"category": "notice", "title": "t", "body_format": "pdf"}, "validation_error"),
        ({"category": "notice", "title": "t", "published_at": "yesterday"}, "validation_error"),
        ({"category": 5, "title": "t"}, "validation_error"),
    ],
)
def test_bad_news_is_refused_with_a_stable_code(shared_server: LiveServer, body: dict[str, Any], code: str) -> None:
    token = _admin_token(shared_server)
    raw = json.dumps(body)  # \ud800 stays escaped: the server gets the lone surrogate as JSON sends it
    answer = requests.post(
        shared_server.url + "/api/v1/admin/content",
        data=raw,
        headers={**bearer(token), "Content-Type": "application/json"},
        timeout=10,
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == code


_ADMIN_TOKENS: dict[str, str] = {}


def _admin_token(server: LiveServer) -> str:
    if server.url not in _ADMIN_TOKENS:
        _ADMIN_TOKENS[server.url] = activated(server, ADMIN, ADMIN_PW)["access_token"]
    return _ADMIN_TOKENS[server.url]


# -- lists, search, read marks -----------------------------------------------------------------------------------
def test_lists_filter_search_and_page(shared_server: LiveServer) -> None:
    base = shared_server.url + "/api/v1/content/news"
    everything = requests.get(base, params={"limit": 100}, timeout=10).json()
    assert everything["total"] >= 48
    per_category = {c.code: 0 for c in CATEGORIES}
    for row in everything["items"]:
        per_category[row["category"]] += 1
        assert row["unread"] is None  # nobody signed in
    assert min(per_category.values()) >= 6, per_category
    by_name = requests.get(base, params={"category": "学术讲座"}, timeout=10).json()
    by_code = requests.get(base, params={"category": "lecture"}, timeout=10).json()
    assert by_name == by_code and by_code["total"] >= 6
    assert all(r["category_name"] == "学术讲座" for r in by_code["items"])
    unknown = requests.get(base, params={"category": "nope"}, timeout=10)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_category"

    found = requests.get(base, params={"q": "双选会"}, timeout=10).json()
    assert found["total"] == 1 and "双选会" in found["items"][0]["title"]
    both = requests.get(base, params={"q": "学术讲座 安全"}, timeout=10).json()
    assert both["total"] == 1 and "数据安全" in both["items"][0]["title"]
    assert requests.get(base, params={"q": "100%_"}, timeout=10).json()["total"] == 0  # LIKE wildcards are text

    pages = [requests.get(base, params={"limit": 7, "offset": o}, timeout=10).json()["items"] for o in (0, 7, 14)]
    ids = [r["id"] for page in pages for r in page]
    assert ids == [r["id"] for r in everything["items"][:21]]
    dates = [r["published_at"] for r in everything["items"]]
    assert dates == sorted(dates, reverse=True)
    covered = [r for r in everything["items"] if r["cover"]]
    assert covered and all(r["cover"].startswith("https://") for r in covered)

    categories = requests.get(base + "/categories", timeout=10).json()
    assert categories["message_center_tabs"] == list(MESSAGE_CENTER_TABS)


def test_read_marks_are_per_user_and_reach_the_users_terminals(live_server: LiveServer) -> None:
    student = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    staff = activated(live_server, LIU, LIU_PW)["access_token"]
    base = live_server.url + "/api/v1/content/news"
    rows = requests.get(base, params={"limit": 3}, headers=bearer(student), timeout=10).json()["items"]
    assert [r["unread"] for r in rows] == [True, True, True]
    ids = [rows[0]["id"], rows[1]["id"]]

    read_url = live_server.url + "/api/v1/me/news/read"
    assert requests.post(read_url, json={"ids": ids}, timeout=10).status_code == 401
    marked = requests.post(read_url, json={"ids": [*ids, 999_999, 2**63 - 1]}, headers=bearer(student), timeout=10)
    assert marked.status_code == 200 and marked.json()["marked"] == sorted(ids)
    again = requests.post(read_url, json={"ids": ids}, headers=bearer(student), timeout=10)
    assert again.json()["marked"] == []  # already read: nothing new, nothing appended
    for bad in ([], [0], [2**63], ["1"], list(range(1, 502))):
        refused = requests.post(read_url, json={"ids": bad}, headers=bearer(student), timeout=10)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "validation_error", bad

    mine = requests.get(base, params={"limit": 3}, headers=bearer(student), timeout=10).json()["items"]
    assert [r["unread"] for r in mine] == [False, False, True]
    theirs = requests.get(base, params={"limit": 3}, headers=bearer(staff), timeout=10).json()["items"]
    assert [r["unread"] for r in theirs] == [True, True, True]
    unread = requests.get(base, params={"unread_only": "true", "limit": 100}, headers=bearer(student), timeout=10)
    assert not {r["id"] for r in unread.json()["items"]} & set(ids)
    article = requests.get(f"{base}/{ids[0]}", headers=bearer(student), timeout=10).json()
    assert article["unread"] is False and article["body"].startswith("<p>")

    reads = [c for c in _pull_all(live_server, student) if c["entity"] == "news_read"]
    assert sorted((c["id"], c["scope"], c["data"]["news_id"]) for c in reads) == sorted(
        (str(i), "user", i) for i in ids
    )
    assert not [c for c in _pull_all(live_server, staff) if c["entity"] == "news_read"]
    assert not [c for c in _pull_all(live_server) if c["entity"] == "news_read"]


# -- the CLI -----------------------------------------------------------------------------------------------------
def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_server_cli("content", *args, db_url=db_url, timeout=120)


def _news(db_url: str, **where: Any) -> list[NewsItem]:
    db = Database(db_url)
    try:
        with db.sessions() as session:
            query = select(NewsItem).filter_by(**where).order_by(NewsItem.id)
            return list(session.scalars(query))
    finally:
        db.dispose()


def test_cli_adds_and_imports_news(db_url: str, tmp_path: Path) -> None:
    page = tmp_path / "notice.html"
    page.write_text('<h2>安排</h2><p>见附件<img src="https://s.example/a.png" onload="x()"></p>', encoding="utf-8")
    added = _cli(db_url, "add", "--category", "通知公告", "--title", "CLI 通知", "--body-file", str(page))
    assert added.returncode == 0, added.stderr
    [item] = _news(db_url, title="CLI 通知")
    # The image's site does not exist (.example): the server keeps no copy, so the src goes and the (empty) alt
    # stays for terminals to show (tests/server/test_content_images.py has images that arrive).
    assert item.body == "<h2>安排</h2><p>见附件<img></p>"
    assert item.cover is None and item.source == "admin" and item.category == "notice"

    lines = tmp_path / "items.jsonl"
    records = [
        {"category": "lecture", "title": "讲座甲", "body": "第一段\n\n第二段", "body_format": "text", "guid": "L-1"},
        {"category": "科研动态", "title": "科研乙", "body": "<p>正文</p>", "published_at": "2026-11-01T08:00:00+08:00"},
    ]
    lines.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    assert _cli(db_url, "import", str(lines)).returncode == 0
    [lecture] = _news(db_url, guid="L-1")
    assert lecture.body == "<p>第一段</p><p>第二段</p>" and lecture.summary == "第一段 第二段"
    # the same guid again is an update, not a second item
    array = tmp_path / "items.json"
    array.write_text(json.dumps([{**records[0], "title": "讲座甲（改）"}], ensure_ascii=False), encoding="utf-8")
    assert _cli(db_url, "import", str(array)).returncode == 0
    assert [n.title for n in _news(db_url, guid="L-1")] == ["讲座甲（改）"]

    bad = tmp_path / "bad.json"
    bad_records = [{"category": "notice", "title": "好"}, {"category": "x", "title": "坏"}, {"category": "notice",
                   "title": "\ud800"}]  # fmt: skip
    bad.write_text(json.dumps(bad_records), "utf-8")  # json.loads gives the CLI the lone surrogate
    refused = _cli(db_url, "import", str(bad))
    assert (
        refused.returncode == 1
        and "bad.json:2" in refused.stderr
        and "bad.json:3: title 含有无效字符" in refused.stderr
    )
    assert _news(db_url, title="好") == []  # all or nothing
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    assert _cli(db_url, "import", str(broken)).returncode == 1


# -- feeds -------------------------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>学校新闻网</title><link>https://www.school.example/</link>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://www.school.example/news/{guid}.html</link><guid>{guid}</guid>
<pubDate>Mon, 16 Nov 2026 08:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>"""


class FeedSite:
    """A loopback web site serving feeds: path → (status, content type, body, delay)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes, float]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, kind, body, delay = site.pages.get(self.path, (404, "text/plain", b"no", 0.0))
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def rss(self, path: str, *entries: tuple[str, str, str]) -> None:
        items = "".join(ITEM.format(guid=g, title=t, body=b) for g, t, b in entries)
        self.pages[path] = (200, "application/rss+xml; charset=utf-8", RSS.format(items=items).encode(), 0.0)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = FeedSite()
    yield server
    server.stop()


def _news_changes(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "news")) or 0)


def test_feeds_insert_update_skip_duplicates_and_survive_broken_ones(db_url: str, site: FeedSite) -> None:
    site.rss(
        "/news.xml",
        ("n-1", "第一条", "<p>正文一</p>"),
        ("n-2", "第二条", '<p onmouseover="steal()">正文二<script>alert(1)</script><a href="x.html">详情</a></p>'),
    )
    site.pages["/malformed.xml"] = (200, "application/rss+xml", b"<rss><channel><item><title>x</titl", 0.0)
    site.pages["/html.xml"] = (200, "text/html", b"<html><body>not a feed</body></html>", 0.0)
    site.pages["/slow.xml"] = (200, "application/rss+xml", RSS.format(items="").encode(), 3.0)
    db = Database(db_url)
    try:
        with db.transaction() as session:
            good = feeds.add_feed(session, category="学校新闻", url=site.url("/news.xml")).id
            for path in ("/malformed.xml", "/html.xml", "/slow.xml", "/missing.xml"):
                feeds.add_feed(session, category="notice", url=site.url(path))
        changes_before = _news_changes(db)

        report = feeds.import_feeds(db.sessions, timeout=1.0)
        results = {r.url.rsplit("/", 1)[1]: r for r in report.feeds}
        assert (results["news.xml"].inserted, results["news.xml"].error) == (2, None)
        assert "well-formed" in (results["malformed.xml"].error or "")
        assert "Content-Type text/html" in (results["html.xml"].error or "")
        assert "timed out" in (results["slow.xml"].error or "")
        assert "HTTP 404" in (results["missing.xml"].error or "")
        imported = _news(db_url, feed_id=good)
        assert [(n.guid, n.category, n.source) for n in imported] == [
            ("n-1", "school_news", "feed"),
            ("n-2", "school_news", "feed"),
        ]
        hostile = imported[1]
        assert "script" not in hostile.body and "onmouseover" not in hostile.body
        assert '<a href="https://www.school.example/news/x.html" rel="noopener noreferrer">详情</a>' in hostile.body
        assert hostile.published_at.astimezone(UTC) == datetime(2026, 11, 16, 8, tzinfo=UTC)
        assert _news_changes(db) == changes_before + 2

        again = feeds.import_feeds(db.sessions, timeout=1.0)  # nothing new: nothing written or announced
        assert [(r.inserted, r.updated, r.unchanged) for r in again.feeds if not r.error] == [(0, 0, 2)]
        assert _news_changes(db) == changes_before + 2

        site.rss("/news.xml", ("n-1", "第一条（更正）", "<p>正文一</p>"), ("n-2", "第二条", hostile_body(site)))
        updated = feeds.import_feeds(db.sessions, timeout=1.0)
        assert [(r.inserted, r.updated, r.unchanged) for r in updated.feeds if not r.error] == [(0, 1, 1)]
        assert [n.title for n in _news(db_url, feed_id=good)] == ["第一条（更正）", "第二条"]
        assert _news_changes(db) == changes_before + 2  # the update replaced its item's change
        with db.sessions() as session:
            listed = {f.url.rsplit("/", 1)[1]: f for f in feeds.list_feeds(session)}
        assert listed["news.xml"].last_error is None and listed["html.xml"].last_error
    finally:
        db.dispose()


def hostile_body(_: FeedSite) -> str:
    return '<p onmouseover="steal()">正文二<script>alert(1)</script><a href="x.html">详情</a></p>'


def test_one_feed_run_per_interval_across_workers(db_url: str) -> None:
    db = Database(db_url)
    try:
        now = datetime(2026, 12, 1, 8, tzinfo=UTC)
        wins = []
        for worker in range(3):
            with db.transaction() as session:
                wins.append(feeds.claim_run(session, timedelta(minutes=30), now=now + timedelta(seconds=worker)))
        assert wins == [True, False, False]
        with db.transaction() as session:
            assert feeds.claim_run(session, timedelta(minutes=30), now=now + timedelta(minutes=31))
    finally:
        db.dispose()


def test_cli_fetches_feeds_and_reports_broken_ones(db_url: str, site: FeedSite) -> None:
    site.rss("/a.xml", ("a-1", "甲", "<p>甲</p>"))
    site.pages["/b.xml"] = (200, "image/png", b"\x89PNG", 0.0)
    assert _cli(db_url, "feed", "add", "科研动态", site.url("/a.xml")).returncode == 0
    assert _cli(db_url, "feed", "add", "research", site.url("/b.xml")).returncode == 0
    assert _cli(db_url, "feed", "add", "research", site.url("/a.xml")).returncode == 1  # already there
    assert _cli(db_url, "feed", "add", "research", "file:///etc/passwd").returncode == 1
    run = _cli(db_url, "fetch-feeds")
    assert run.returncode == 3 and "新增 1" in run.stdout and "image/png" in run.stderr
    assert [n.title for n in _news(db_url, guid="a-1")] == ["甲"]
    listed = _cli(db_url, "feed", "list")
    assert "research" in listed.stdout and "image/png" in listed.stdout


def test_the_migration_converts_and_announces_news_already_there(db_url: str) -> None:
    """A server upgraded from before 0011: names become codes, text becomes paragraphs, each item is announced."""
    from alembic import command

    from sync_server.migrate import alembic_config
    from tests.helpers import create_pg_database

    fresh = create_pg_database() if "postgresql" in db_url else db_url + ".old"
    command.upgrade(alembic_config(fresh), "0007")
    engine = create_engine(fresh)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO news (id, category, title, author, body, published_at) VALUES "
            "(7, '通知公告', '旧通知', '教务处', '第一段 <b>\n\n第二段', '2022-07-11 00:00:00+00:00')"
        )
    engine.dispose()
    command.upgrade(alembic_config(fresh), "0011")
    [item] = _news(fresh)
    assert (item.category, item.body, item.summary) == (
        "notice",
        "<p>第一段 &lt;b&gt;</p><p>第二段</p>",
        "第一段 <b> 第二段",
    )
    db = Database(fresh)
    try:
        with db.transaction() as session:
            [change] = session.scalars(select(ChangeLog).where(ChangeLog.entity == "news")).all()
            assert (change.entity_id, change.seq) == ("7", item.change_seq)
            created = content.create_news(session, content.NewsDraft(category="notice", title="新"))
            assert created.id == 8  # the sequence moved past the ids given explicitly
    finally:
        db.dispose()
