"""The school's RSS/Atom feeds imported into the news: the feeds (news_feeds, managed by `campus-sync-server content
feed add|list|remove`), one import of them all, and the schedule a server process runs it on.

An entry is known by its feed and GUID (the entry's id, else its link, else a digest of its title and date): a new
one is inserted, a changed one updated, the same one left alone — so running the import again writes nothing and
appends nothing to the change log. Each feed is fetched outside any transaction and written in one of its own, so
a broken feed (unreachable, slow, not a feed, not well-formed XML) is logged on its row and skipped, and the others
are imported as usual. feedparser parses; its own HTML sanitizer is off, because nh3 cleans every body and summary
on the way in (core/content_html.py).

Every server worker runs the schedule; one run happens per interval across all of them: a worker runs the import
only after moving the shared "feeds.next_run" mark (server_meta) forward in an atomic compare-and-set, which exactly
one worker wins — on PostgreSQL and on SQLite alike (an UPDATE … WHERE value <= now).
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import requests
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from campus_common.content import GUID_MAX, TITLE_MAX, category_code
from sync_server.core.content import NewsDraft, check_draft, draft_images, write_news
from sync_server.core.content_images import ImageCache
from sync_server.core.errors import Conflict, Invalid, NotFound
from sync_server.models import NewsFeed, NewsItem, ServerMeta

log = logging.getLogger("sync_server.feeds")

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 500  # per feed and run: a runaway feed cannot flood the news
TIMEOUT_S = 10.0  # connect and each read
DEADLINE_S = 30.0  # the whole download of one feed
NEXT_RUN_KEY = "feeds.next_run"
_FEED_TYPES = ("xml", "rss", "atom", "rdf")  # a Content-Type naming none of these is not a feed


class FeedError(Exception):
    """Why one feed could not be imported this time (kept on its row as last_error)."""


# -- the feeds -------------------------------------------------------------------------------------------------
def add_feed(
    session: Session, *, category: str, url: str, internal: bool = False, now: datetime | None = None
) -> NewsFeed:
    code = category_code(category)
    if code is None:
        raise Invalid("unknown_category", "没有这个栏目", category=category)
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 1024:
        raise Invalid("invalid_feed_url", "订阅地址应为 http:// 或 https:// 开头的网址")
    if session.scalar(select(NewsFeed.id).where(NewsFeed.url == url)) is not None:
        raise Conflict("feed_exists", "这个订阅地址已经添加")
    feed = NewsFeed(category=code, url=url, internal=internal, created_at=now or datetime.now(UTC))
    session.add(feed)
    session.flush()
    return feed


def list_feeds(session: Session) -> list[NewsFeed]:
    return list(session.scalars(select(NewsFeed).order_by(NewsFeed.id)))


def remove_feed(session: Session, feed_id: int) -> None:
    """Stop importing the feed; what it brought stays in the news (as items of no feed)."""
    feed = session.get(NewsFeed, feed_id)
    if feed is None:
        raise NotFound("feed_not_found", "没有这个订阅")
    session.execute(update(NewsItem).where(NewsItem.feed_id == feed_id).values(feed_id=None))
    session.delete(feed)


# -- one feed --------------------------------------------------------------------------------------------------
@dataclass
class Fetched:
    content: bytes | None  # None: not modified since the last fetch
    etag: str | None = None
    modified: str | None = None


def fetch(url: str, *, etag: str | None = None, modified: str | None = None, timeout: float = TIMEOUT_S) -> Fetched:
    """The feed's bytes over HTTP(S), within MAX_FEED_BYTES and DEADLINE_S, or FeedError."""
    headers = {"User-Agent": "campus-sync-server feed import", "Accept": "application/rss+xml, application/atom+xml"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    started = datetime.now(UTC)
    try:
        with requests.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=True) as response:
            if response.status_code == 304:
                return Fetched(None, etag, modified)
            if response.status_code != 200:
                raise FeedError(f"HTTP {response.status_code}")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and not any(word in kind for word in _FEED_TYPES):
                raise FeedError(f"not a feed: Content-Type {kind}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(65_536):
                size += len(chunk)
                if size > MAX_FEED_BYTES:
                    raise FeedError(f"larger than {MAX_FEED_BYTES} bytes")
                if (datetime.now(UTC) - started).total_seconds() > DEADLINE_S:
                    raise FeedError(f"download took longer than {DEADLINE_S:g} s")
                chunks.append(chunk)
            return Fetched(b"".join(chunks), response.headers.get("etag"), response.headers.get("last-modified"))
    except requests.Timeout:
        raise FeedError(f"timed out after {timeout:g} s") from None
    except requests.RequestException as exc:
        raise FeedError(f"unreachable: {type(exc).__name__}") from None


@dataclass
class Entry:
    guid: str
    draft: NewsDraft
    link: str | None


def parse(content: bytes, category: str) -> list[Entry]:
    """The feed's entries as drafts of `category`, or FeedError when it is not a well-formed feed."""
    parsed: Any = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception")
    # Not well-formed XML (a truncated download, an HTML error page) is refused whole, not half-read by
    # feedparser's lenient parser; a wrong declared encoding and the like are only warnings.
    if parsed.get("bozo") and (problem is None or type(problem).__name__ == "SAXParseException"):
        raise FeedError(f"not well-formed XML: {problem}")
    if not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    feed_title = str(parsed.feed.get("title", ""))[:64]
    entries: list[Entry] = []
    for raw in parsed.entries[:MAX_ENTRIES]:
        title = str(raw.get("title") or "").strip()
        if not title:
            continue  # nothing to list it by
        link = raw.get("link") or None
        stamp = raw.get("published_parsed") or raw.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        guid = str(raw.get("id") or link or "")
        if not guid:
            guid = "sha256:" + hashlib.sha256(f"{title}\n{published}".encode()).hexdigest()
        contents = raw.get("content") or []
        body = str(contents[0].get("value", "")) if contents else str(raw.get("summary") or "")
        summary = str(raw.get("summary") or "") if contents else None
        draft = NewsDraft(
            category=category,
            title=title[:TITLE_MAX],
            body=body,
            summary=summary,
            author=str(raw.get("author") or feed_title)[:64],
            published_at=published,
            guid=guid[:GUID_MAX],
        )
        entries.append(Entry(guid[:GUID_MAX], draft, str(link) if link else None))
    return entries


@dataclass
class FeedResult:
    feed_id: int
    url: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # entries refused (e.g. text that cannot be stored)
    error: str | None = None


def entry_images(cache: ImageCache, entries: list[Entry], now: datetime | None = None) -> dict[str, str | None]:
    """Fetch (or find kept) the images of the entries' bodies, before the transaction that stores them: url →
    the server's copy's SHA-256, or None. An entry that will be refused is skipped here (and counted there)."""
    kept: dict[str, str | None] = {}
    for entry in entries:
        try:
            kept.update(cache.localize(draft_images(entry.draft, base_url=entry.link), now=now))
        except Invalid:
            continue
    return kept


def store_entries(
    session: Session,
    feed: NewsFeed,
    entries: list[Entry],
    now: datetime,
    kept: dict[str, str | None] | None = None,
) -> FeedResult:
    """Insert the new entries, update the changed ones, leave the rest: one transaction (the caller's). `kept`:
    the images fetched for them (entry_images); an entry whose image arrives later is updated then."""
    result = FeedResult(feed.id, feed.url)
    known = {
        item.guid: item
        for item in session.scalars(
            select(NewsItem).where(NewsItem.feed_id == feed.id, NewsItem.guid.in_([e.guid for e in entries]))
        )
    }
    seen: set[str] = set()
    for entry in entries:
        if entry.guid in seen:
            continue  # the same GUID twice in one feed: the first wins
        seen.add(entry.guid)
        try:
            clean = check_draft(entry.draft, base_url=entry.link, kept=kept if kept is not None else {})
        except Invalid as refused:
            result.skipped += 1
            log.warning("feed %s: entry %r skipped: %s", feed.url, entry.guid[:80], refused.message)
            continue
        item = known.get(entry.guid)
        if clean.published_at is None and item is None:
            clean.published_at = now
        _, changed = write_news(session, clean, item=item, source="feed", feed_id=feed.id, now=now)
        if item is None:
            result.inserted += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


# -- all feeds -------------------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    feeds: list[FeedResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FeedResult]:
        return [f for f in self.feeds if f.error]


def import_feeds(
    sessions: sessionmaker[Session], *, timeout: float = TIMEOUT_S, now: datetime | None = None
) -> ImportReport:
    """Fetch every feed and store its entries; a feed that fails is recorded and skipped."""
    report = ImportReport()
    with sessions() as session:
        feeds = [(f.id, f.url, f.category, f.etag, f.modified, f.internal) for f in list_feeds(session)]
    for feed_id, url, category, etag, modified, internal in feeds:
        moment = now or datetime.now(UTC)
        try:
            fetched = fetch(url, etag=etag, modified=modified, timeout=timeout)
            entries = parse(fetched.content, category) if fetched.content is not None else []
            # the images, outside any transaction: a slow image site must not hold the database
            kept = entry_images(ImageCache(sessions, internal=bool(internal)), entries, now=moment)
        except FeedError as failure:
            log.warning("feed %s skipped: %s", url, failure)
            report.feeds.append(FeedResult(feed_id, url, error=str(failure)))
            _record(sessions, feed_id, moment, error=str(failure))
            continue
        try:
            with sessions.begin() as session:
                feed = session.get(NewsFeed, feed_id)
                if feed is None:  # removed meanwhile
                    continue
                result = store_entries(session, feed, entries, moment, kept)
                feed.last_fetched_at, feed.last_error = moment, None
                if fetched.content is not None:
                    # An image still missing is tried again with the next run, which must then read the feed
                    # again rather than be told "not modified".
                    missing = any(sha is None for sha in kept.values())
                    feed.etag, feed.modified = (None, None) if missing else (fetched.etag, fetched.modified)
        except Exception as failure:  # the database, or a bug: this feed only
            log.exception("feed %s: storing failed", url)
            report.feeds.append(FeedResult(feed_id, url, error=f"storing failed: {type(failure).__name__}"))
            continue
        report.feeds.append(result)
        if result.inserted or result.updated:
            log.info("feed %s: %d new, %d updated", url, result.inserted, result.updated)
    return report


def _record(sessions: sessionmaker[Session], feed_id: int, moment: datetime, *, error: str) -> None:
    try:
        with sessions.begin() as session:
            feed = session.get(NewsFeed, feed_id)
            if feed is not None:
                feed.last_fetched_at, feed.last_error = moment, error[:500]
    except Exception:
        log.exception("feed %d: could not record its error", feed_id)


def claim_run(session: Session, interval: timedelta, now: datetime | None = None) -> bool:
    """Whether this process runs the import now: it moves the shared next-run mark forward if it was due, which
    one process wins (the UPDATE's row lock on PostgreSQL, the single writer on SQLite)."""
    now = now or datetime.now(UTC)
    due, following = now.strftime("%Y-%m-%dT%H:%M:%S"), (now + interval).strftime("%Y-%m-%dT%H:%M:%S")
    if session.get(ServerMeta, NEXT_RUN_KEY) is None:
        try:
            with session.begin_nested():
                session.add(ServerMeta(key=NEXT_RUN_KEY, value="0000-00-00T00:00:00"))
        except IntegrityError:  # another worker added it first
            pass
    won = session.execute(
        update(ServerMeta)
        .where(ServerMeta.key == NEXT_RUN_KEY, ServerMeta.value <= due)
        .values(value=following)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(won, "rowcount", 0) == 1)


class FeedSchedule:
    """Runs the import on a daemon thread of this process: every `tick` it asks whether a run is due (at most one
    per `interval` across all workers, `claim_run`)."""

    def __init__(
        self, sessions: sessionmaker[Session], interval: timedelta, tick: timedelta = timedelta(minutes=1)
    ) -> None:
        self.sessions = sessions
        self.interval = interval
        self.tick = tick
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="feed-import", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        delay = 0.0
        while not self._stopping.wait(delay):
            delay = self.tick.total_seconds()
            try:
                with self.sessions.begin() as session:
                    due = claim_run(session, self.interval)
                if due:
                    report = import_feeds(self.sessions)
                    for failed in report.failed:
                        log.warning("feed %s: %s", failed.url, failed.error)
            except Exception:  # the database away for a moment: try again at the next tick
                log.exception("feed import failed")
