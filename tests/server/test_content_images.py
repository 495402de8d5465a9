"""Article images kept by the server (core/content_images.py, docs/content.md "Images"): fetched from a real web
site on loopback — good images, a broken site, a too-large image, a page that is not an image, one that only
claims to be — stored by their hash, served at /api/v1/content/images/{sha256}, and the bodies pointed at them;
on SQLite and PostgreSQL. The SSRF rules are checked on the addresses connections actually reach."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from sync_server.core import content_images, feeds
from sync_server.core.content_html import image_urls, rewrite_images, sanitize
from sync_server.core.content_images import address_allowed, fetch_image, sniff
from sync_server.db import Database
from sync_server.models import ContentImage, ContentImageSource, NewsItem
from tests.helpers import ADMIN, ADMIN_PW, LiveServer, activated, bearer, run_server_cli
from tests.server.image_site import GIF, JPEG, PNG, WEBP, ImageSite


@pytest.fixture
def site() -> Iterator[ImageSite]:
    server = ImageSite()
    server.pages.update(
        {
            "/a.png": (200, "image/png", PNG, 0.0),
            "/b.jpg": (200, "image/jpeg", JPEG, 0.0),
            "/broken.png": (200, "drop", b"", 0.0),
            "/huge.png": (200, "image/png", PNG + b"\0" * (content_images.MAX_IMAGE_BYTES + 1), 0.0),
            "/page.html": (200, "text/html", b"<html><body>not an image</body></html>", 0.0),
            "/liar.png": (200, "image/png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", 0.0),
            "/gone.png": (404, "text/plain", b"gone", 0.0),
        }
    )
    yield server
    server.stop()


# -- the rules, in-process ---------------------------------------------------------------------------------------
def test_image_types_are_known_by_their_bytes() -> None:
    assert sniff(PNG) == content_images.Sniffed("image/png", 40, 30)
    assert sniff(JPEG) == content_images.Sniffed("image/jpeg", 64, 48)
    assert sniff(GIF) == content_images.Sniffed("image/gif", 10, 20)
    assert sniff(WEBP) == content_images.Sniffed("image/webp", 33, 17)
    assert sniff(b"<svg/>") is None and sniff(PNG[:10]) is None and sniff(b"") is None


@pytest.mark.parametrize(
    ("address", "public", "internal"),
    [
        ("8.8.8.8", True, True),
        ("2001:4860:4860::8888", True, True),
        ("10.1.2.3", False, True),
        ("172.16.0.9", False, True),
        ("192.168.1.10", False, True),
        ("100.64.1.1", False, True),
        ("fd00::1", False, True),
        ("127.0.0.1", False, True),
        ("::1", False, True),
        ("::ffff:127.0.0.1", False, True),  # IPv4 in IPv6 clothing is judged as IPv4
        ("169.254.169.254", False, False),  # a cloud's metadata service: never
        ("fe80::1", False, False),
        ("0.0.0.0", False, False),
        ("224.0.0.1", False, False),
        ("240.0.0.1", False, False),
    ],
)
def test_which_addresses_images_may_come_from(address: str, public: bool, internal: bool) -> None:
    assert address_allowed(address, internal=False) is public
    assert address_allowed(address, internal=True) is internal


def test_fetching_keeps_real_images_and_refuses_the_rest(site: ImageSite) -> None:
    good = fetch_image(site.url("/a.png"), internal=True)
    assert good.error is None and good.data == PNG and good.sniffed == content_images.Sniffed("image/png", 40, 30)
    assert fetch_image(site.url("/b.jpg"), internal=True).data == JPEG
    refusals = {
        "/broken.png": ("unreachable", False),
        "/huge.png": ("larger than", True),
        "/page.html": ("not an image: Content-Type text/html", True),
        "/liar.png": ("not a image/png image", True),
        "/gone.png": ("HTTP 404", True),
    }
    for path, (reason, permanent) in refusals.items():
        outcome = fetch_image(site.url(path), internal=True)
        assert outcome.data is None and reason in (outcome.error or ""), (path, outcome.error)
        assert outcome.permanent is permanent, path
    # An ordinary (public) source may not reach this machine, directly or by a redirect.
    assert "not allowed" in (fetch_image(site.url("/a.png")).error or "")
    site.pages["/hop"] = (302, "redirect", site.url("/a.png").encode(), 0.0)
    assert fetch_image(site.url("/hop"), internal=True).data == PNG
    assert "not allowed" in (fetch_image(site.url("/hop")).error or "")
    site.pages["/loop"] = (302, "redirect", b"/loop", 0.0)
    assert fetch_image(site.url("/loop"), internal=True).error == "too many redirects"
    for url in ("ftp://127.0.0.1/a.png", "file:///etc/passwd", "http:///a.png"):
        assert fetch_image(url, internal=True).error == "not an http(s) URL"


def test_a_slow_image_times_out(site: ImageSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_images, "READ_TIMEOUT_S", 0.3)
    site.pages["/slow.png"] = (200, "image/png", PNG, 1.5)
    started = time.monotonic()
    outcome = fetch_image(site.url("/slow.png"), internal=True)
    assert outcome.data is None and not outcome.permanent and "unreachable" in (outcome.error or "")
    assert time.monotonic() - started < 1.4


def test_a_site_sending_a_byte_at_a_time_is_cut_off_at_the_deadline(
    site: ImageSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content_images, "DEADLINE_S", 1.0)  # each byte comes well within the read timeout
    site.pages["/drip.png"] = (200, "drip", PNG, 0.0)
    started = time.monotonic()
    outcome = fetch_image(site.url("/drip.png"), internal=True)
    assert outcome.data is None and not outcome.permanent, outcome
    assert outcome.error == "download took longer than 1 s"
    assert time.monotonic() - started < 2.5
    assert fetch_image(site.url("/a.png"), internal=True).data == PNG  # the next fetch is not affected


def test_the_sanitizer_points_images_at_the_servers_copies() -> None:
    own = "/api/v1/content/images/" + "a" * 64
    body = sanitize(
        '<p>图<img src="https://www.school.example/x.png" alt="校门" onerror="steal()">'
        '<img src="https://www.school.example/y.png" alt="操场"><img src="//evil.example/z.png" alt="z">'
        f'<img src="{own}" alt="已有"><img src="/api/v1/content/images/../../etc" alt="no">'
        '<a href="/relative">链接</a></p>'
    )
    assert image_urls(body) == ["https://www.school.example/x.png", "https://www.school.example/y.png"]
    rewritten = rewrite_images(body, {"https://www.school.example/x.png": "b" * 64})
    assert f'<img src="/api/v1/content/images/{"b" * 64}" alt="校门">' in rewritten
    assert '<img alt="操场">' in rewritten  # not fetched: the alt text stays, the remote address goes
    assert f'<img src="{own}" alt="已有">' in rewritten
    assert "evil" not in rewritten and "etc" not in rewritten and "onerror" not in rewritten
    assert "relative" not in rewritten


# -- a feed, stored and served, on both databases ------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>学校新闻网</title><link>https://www.school.example/</link>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>Mon, 16 Nov 2026 08:00:00 GMT</pubDate><description><![CDATA[{body}]]></description></item>"""


def _feed(site: ImageSite, path: str, body: str) -> str:
    item = ITEM.format(title="图片新闻", link=site.url("/news/1.html"), guid="img-1", body=body)
    site.pages[path] = (200, "application/rss+xml", RSS.format(items=item).encode(), 0.0)
    return site.url(path)


BODY = (
    '<p>开学典礼</p><img src="/a.png" alt="校门"><img src="/b.jpg" alt="操场"><img src="/a.png" alt="再一次">'
    '<img src="/broken.png" alt="坏图"><img src="/huge.png" alt="大图"><img src="/page.html" alt="网页">'
)


def _body(db: Database) -> str:
    with db.sessions() as session:
        return str(session.scalars(select(NewsItem.body).where(NewsItem.guid == "img-1")).one())


def test_an_internal_feeds_images_are_kept_served_and_retried(db_url: str, site: ImageSite, tmp_path: Path) -> None:
    db = Database(db_url)
    try:
        with db.transaction() as session:
            feeds.add_feed(session, category="学校新闻", url=_feed(site, "/rss.xml", BODY), internal=True)
        report = feeds.import_feeds(db.sessions)
        assert [(f.inserted, f.error) for f in report.feeds] == [(1, None)]
        png, jpeg = hashlib.sha256(PNG).hexdigest(), hashlib.sha256(JPEG).hexdigest()
        body = _body(db)
        assert body.count(f'src="/api/v1/content/images/{png}"') == 2 and f"/images/{jpeg}" in body
        for alt in ("坏图", "大图", "网页"):
            assert f'<img alt="{alt}">' in body  # no src: terminals show the alt text
        assert "127.0.0.1" not in body
        assert site.hits["/a.png"] == 1  # the same URL twice in a body is fetched once
        with db.sessions() as session:
            kept = {r.sha256: (r.media_type, r.size, r.width, r.height) for r in session.scalars(select(ContentImage))}
            assert kept == {png: ("image/png", len(PNG), 40, 30), jpeg: ("image/jpeg", len(JPEG), 64, 48)}
            cover = session.scalars(select(NewsItem.cover).where(NewsItem.guid == "img-1")).one()
            assert cover == f"/api/v1/content/images/{png}"

        # The next import soon after: nothing fetched again (kept ones are known, failed ones wait), nothing changed.
        assert [f.unchanged for f in feeds.import_feeds(db.sessions).feeds] == [1]
        assert site.hits["/a.png"] == 1 and site.hits["/broken.png"] == 1
        # The broken site is mended; past its retry time the image comes and the item is updated.
        site.pages["/broken.png"] = (200, "image/gif", GIF, 0.0)
        later = datetime.now(UTC) + content_images.RETRY_TRANSIENT + timedelta(minutes=1)
        assert [f.updated for f in feeds.import_feeds(db.sessions, now=later).feeds] == [1]
        assert f"/images/{hashlib.sha256(GIF).hexdigest()}" in _body(db) and '<img alt="大图">' in _body(db)
        assert site.hits["/huge.png"] == 1  # a permanent refusal waits a day, not an hour
        with db.sessions() as session:
            reasons = {r.url.rsplit("/", 1)[1]: r.error for r in session.scalars(select(ContentImageSource))}
        assert reasons["huge.png"] and "larger than" in reasons["huge.png"] and reasons["a.png"] is None

        server = LiveServer(db_url=db_url, workdir=tmp_path).start()
        try:
            got = requests.get(f"{server.url}/api/v1/content/images/{png}", timeout=10)
            assert got.status_code == 200 and got.content == PNG
            assert got.headers["content-type"] == "image/png" and "immutable" in got.headers["cache-control"]
            assert got.headers["x-content-type-options"] == "nosniff" and got.headers["etag"] == f'"{png}"'
            again = requests.get(
                f"{server.url}/api/v1/content/images/{png}", headers={"If-None-Match": f'"{png}"'}, timeout=10
            )
            assert again.status_code == 304 and again.content == b""
            missing = requests.get(f"{server.url}/api/v1/content/images/{'0' * 64}", timeout=10)
            assert missing.status_code == 404 and missing.json()["error"]["code"] == "image_not_found"
            for bad in ("ABC", "0" * 63, "../../etc/passwd", "g" * 64):
                assert requests.get(f"{server.url}/api/v1/content/images/{bad}", timeout=10).status_code in (404, 422)
            # The article as terminals get it names the server's copy.
            news = requests.get(f"{server.url}/api/v1/content/news", params={"q": "图片新闻"}, timeout=10).json()
            assert news["items"][0]["cover"] == f"/api/v1/content/images/{png}"
        finally:
            server.stop()
    finally:
        db.dispose()


def test_an_ordinary_feed_may_not_reach_the_campus_network(db_url: str, site: ImageSite) -> None:
    db = Database(db_url)
    try:
        with db.transaction() as session:
            feeds.add_feed(session, category="学校新闻", url=_feed(site, "/rss.xml", BODY))
        assert [f.inserted for f in feeds.import_feeds(db.sessions).feeds] == [1]
        assert "src=" not in _body(db) and '<img alt="校门">' in _body(db)
        assert "/a.png" not in site.hits  # refused on connecting, before asking for anything
        with db.sessions() as session:
            assert session.scalars(select(ContentImage)).all() == []
            errors = {r.error for r in session.scalars(select(ContentImageSource))}
        assert errors == {"address 127.0.0.1 is not allowed"}
    finally:
        db.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_admin_api_fetches_as_from_outside_and_the_cli_as_told(
    db_url: str, site: ImageSite, tmp_path: Path
) -> None:
    server = LiveServer(db_url=db_url, workdir=tmp_path).start()
    try:
        token = activated(server, ADMIN, ADMIN_PW)["access_token"]
        sent = {"category": "notice", "title": "带图通知", "body": f'<img src="{site.url("/a.png")}" alt="图">'}
        made = requests.post(f"{server.url}/api/v1/admin/content", json=sent, headers=bearer(token), timeout=20)
        assert made.status_code == 201 and made.json()["body"] == '<img alt="图">'
        # An administrator sending back a body as the API gave it keeps the server's copies.
        png = hashlib.sha256(PNG).hexdigest()
        edited = {**sent, "body": f'<img src="/api/v1/content/images/{png}" alt="图"><p>改</p>'}
        put = requests.put(
            f"{server.url}/api/v1/admin/content/{made.json()['id']}", json=edited, headers=bearer(token), timeout=20
        )
        assert put.status_code == 200 and f"/images/{png}" in put.json()["body"]
        bad = requests.post(
            f"{server.url}/api/v1/admin/content", json={**sent, "category": "nope"}, headers=bearer(token), timeout=20
        )
        assert bad.status_code == 422 and site.hits.get("/a.png") is None  # refused before anything is fetched
    finally:
        server.stop()

    records = tmp_path / "news.json"
    records.write_text(json.dumps([{**sent, "guid": "cli-1"}]), "utf-8")
    done = run_server_cli("content", "import", "--internal-images", str(records), db_url=db_url, timeout=120)
    assert done.returncode == 0, done.stderr
    db = Database(db_url)
    try:
        with db.sessions() as session:
            body = session.scalars(select(NewsItem.body).where(NewsItem.guid == "cli-1")).one()
        assert body == f'<img src="/api/v1/content/images/{png}" alt="图">' and site.hits["/a.png"] == 1
    finally:
        db.dispose()
