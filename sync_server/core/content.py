"""The portal's content: news (消息中心, 首页's lists), e-resources (资源中心) and apps (应用中心).

News is written here only — by the admin API, the CLI, the seed and the feed import — so every write is
sanitized (core/content_html.py) and announced to terminals in the same transaction: a public "news" change per
item, and a "news_read" change in the reader's own scope when a user reads one. The change log keeps one row per
item (and per read): each new version's change replaces the row of the one before, so 10,000 items edited any
number of times cost 10,000 rows, and a terminal pulls each item once per version it has not seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from campus_common.content import (
    AUTHOR_MAX,
    BODY_MAX,
    CATEGORY_BY_CODE,
    GUID_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    category_code,
)
from sync_server.core.change_log import PUBLIC_SCOPE, append_change, user_scope, write_changes
from sync_server.core.content_html import (
    clean_summary,
    cover_of,
    image_urls,
    rewrite_images,
    sanitize,
    summary_of,
    text_to_html,
)
from sync_server.core.errors import Invalid, NotFound
from sync_server.models import App, ChangeLog, NewsItem, NewsRead, Resource

NEWS_ENTITY = "news"
READ_ENTITY = "news_read"
READ_BATCH_MAX = 500  # ids one request may mark read
NEWS_ID_MAX = 2**31 - 1  # news.id is an INTEGER
SOURCES = ("admin", "feed", "seed")


# -- reading ---------------------------------------------------------------------------------------------------
@dataclass
class NewsPage:
    items: list[NewsItem]
    total: int
    read: set[int] = field(default_factory=set)  # of the items, those the signed-in user has read


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: Select[Any], category: str | None, q: str | None) -> Select[Any]:
    if category:
        query = query.where(NewsItem.category == category)
    for word in (q or "").split()[:5]:  # every word, in the title or the summary
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(NewsItem.title.ilike(pattern, escape="\\"), NewsItem.summary.ilike(pattern, escape="\\"))
        )
    return query


def news_page(
    session: Session,
    *,
    category: str | None,
    limit: int,
    offset: int,
    q: str | None = None,
    user_id: str | None = None,
    unread_only: bool = False,
) -> NewsPage:
    """News newest first, of one category (a code or a name) or all, matching `q`; with `user_id`, which of
    them that user has read (and with `unread_only`, only the others)."""
    code = None
    if category:
        code = category_code(category)
        if code is None:
            raise Invalid("unknown_category", "没有这个栏目", category=category)
    query = _filtered(select(NewsItem), code, q)
    count = _filtered(select(func.count()).select_from(NewsItem), code, q)
    if user_id is not None and unread_only:
        seen = select(NewsRead.news_id).where(NewsRead.user_id == user_id)
        query = query.where(NewsItem.id.not_in(seen))
        count = count.where(NewsItem.id.not_in(seen))
    rows = list(
        session.scalars(query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit).offset(offset))
    )
    read: set[int] = set()
    if user_id is not None and rows:
        read = set(
            session.scalars(
                select(NewsRead.news_id).where(NewsRead.user_id == user_id, NewsRead.news_id.in_([r.id for r in rows]))
            )
        )
    return NewsPage(rows, session.scalar(count) or 0, read)


def news_item(session: Session, *, news_id: int) -> NewsItem:
    item = session.get(NewsItem, news_id)
    if item is None:
        raise NotFound("news_not_found", "No such news item.")
    return item


def is_read(session: Session, *, user_id: str, news_id: int) -> bool:
    return session.get(NewsRead, (user_id, news_id)) is not None


# -- writing ---------------------------------------------------------------------------------------------------
@dataclass
class NewsDraft:
    """A news item as a writer sends it, before it is checked: `body` is HTML, or text with body_format="text"."""

    category: str
    title: str
    body: str = ""
    summary: str | None = None
    author: str = ""
    published_at: datetime | None = None
    body_format: str = "html"
    guid: str | None = None


def _text(value: Any, name: str, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    """A string field, refused when it cannot be stored as sent: not text, lone surrogates (not encodable in
    UTF-8, PostgreSQL would refuse them), NUL and other control characters, too long."""
    if not isinstance(value, str):
        raise Invalid("invalid_content", f"{name} 应为文本", fields={name: "应为文本"})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("invalid_content", f"{name} 含有无效字符", fields={name: "含有无效字符"}) from None
    allowed = "\n\t\r" if multiline else ""
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in value):
        raise Invalid("invalid_content", f"{name} 含有控制字符", fields={name: "含有控制字符"})
    value = value.strip()
    if required and not value:
        raise Invalid("invalid_content", f"{name} 不能为空", fields={name: "不能为空"})
    if len(value) > limit:
        raise Invalid("content_too_long", f"{name} 过长（最多 {limit} 个字符）", fields={name: f"最多 {limit} 个字符"})
    return value


@dataclass
class _Clean:
    category: str
    title: str
    body: str
    summary: str
    author: str
    published_at: datetime | None
    guid: str | None
    cover: str | None


def check_draft(
    draft: NewsDraft, *, base_url: str | None = None, kept: Mapping[str, str | None] | None = None
) -> _Clean:
    """The draft checked and its body sanitized, or Invalid with a stable code and the field at fault. With
    `kept` (url → the SHA-256 of the server's copy, core/content_images.py) the body's images are pointed at the
    server's copies, and those it has not got lose their src; without it (the seed) they stay as written."""
    code = category_code(draft.category) if isinstance(draft.category, str) else None
    if code is None:
        raise Invalid("unknown_category", "没有这个栏目", fields={"category": "没有这个栏目"})
    if draft.body_format not in ("html", "text"):
        raise Invalid("invalid_content", "body_format 应为 html 或 text", fields={"body_format": "html 或 text"})
    raw = _text(draft.body, "body", BODY_MAX, multiline=True)
    body = sanitize(raw, base_url=base_url) if draft.body_format == "html" else text_to_html(raw)
    if kept is not None and draft.body_format == "html":
        body = rewrite_images(body, kept)
    if len(body) > BODY_MAX:
        raise Invalid("content_too_long", f"body 过长（最多 {BODY_MAX} 个字符）", fields={"body": "过长"})
    summary = (
        clean_summary(_text(draft.summary, "summary", SUMMARY_MAX * 4, multiline=True))
        if draft.summary
        else summary_of(body)
    )
    published = draft.published_at
    if published is not None:
        if not isinstance(published, datetime):
            raise Invalid("invalid_content", "published_at 应为时间", fields={"published_at": "应为时间"})
        published = published if published.tzinfo else published.replace(tzinfo=UTC)
    return _Clean(
        category=code,
        title=" ".join(_text(draft.title, "title", TITLE_MAX, required=True).split()),
        body=body,
        summary=summary,
        author=_text(draft.author or "", "author", AUTHOR_MAX),
        published_at=published,
        guid=_text(draft.guid, "guid", GUID_MAX) or None if draft.guid is not None else None,
        cover=cover_of(body),
    )


def draft_images(draft: NewsDraft, *, base_url: str | None = None) -> list[str]:
    """The remote images the draft's body refers to, once sanitized — what to fetch before writing it. Raises
    Invalid for a draft that would be refused anyway (so nothing is fetched for it)."""
    return image_urls(check_draft(draft, base_url=base_url).body) if draft.body_format == "html" else []


def change_data(item: NewsItem) -> dict[str, Any]:
    """What a terminal stores of an item (docs/content.md, "on the wire")."""
    return {
        "id": item.id,
        "category": item.category,
        "title": item.title,
        "summary": item.summary,
        "author": item.author,
        "cover": item.cover,
        "published_at": item.published_at.isoformat(),
        "updated_at": (item.updated_at or item.published_at).isoformat(),
        "body": item.body,
    }


def _announce(
    session: Session, scope: str, entity: str, entity_id: str, op: str, data: Any, previous: int | None
) -> int:
    """Append the change and drop the one it supersedes (the same thing's previous version): the log keeps one
    row per thing. The new row goes in first, so the log's highest seq is never the one removed (SQLite would
    hand it out again). Returns the new row's seq."""
    append_change(session, scope, entity, entity_id, op, data)
    write_changes(session)
    seq = session.scalar(
        select(ChangeLog.seq)
        .where(ChangeLog.scope == scope, ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
        .order_by(ChangeLog.seq.desc())
        .limit(1)
    )
    assert seq is not None
    if previous is not None and previous != seq:
        session.execute(delete(ChangeLog).where(ChangeLog.seq == previous))
    return int(seq)


def _same(item: NewsItem, clean: _Clean) -> bool:
    return (
        item.category == clean.category
        and item.title == clean.title
        and item.body == clean.body
        and item.summary == clean.summary
        and item.author == clean.author
        and (clean.published_at is None or _utc(item.published_at) == _utc(clean.published_at))
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def write_news(
    session: Session,
    clean: _Clean,
    *,
    item: NewsItem | None = None,
    source: str = "admin",
    feed_id: int | None = None,
    news_id: int | None = None,
    now: datetime | None = None,
) -> tuple[NewsItem, bool]:
    """Insert (`item` None) or update `item` with the checked draft, and announce it. Returns the item and
    whether anything changed (an update to the same content writes and announces nothing)."""
    now = now or datetime.now(UTC)
    if item is not None and _same(item, clean):
        return item, False
    if item is None:
        item = NewsItem(id=news_id, source=source, feed_id=feed_id, guid=clean.guid)
        session.add(item)
    item.category = clean.category
    item.title = clean.title
    item.body = clean.body
    item.summary = clean.summary
    item.author = clean.author
    item.cover = clean.cover
    if clean.published_at is not None:
        item.published_at = clean.published_at
    elif item.published_at is None:
        item.published_at = now
    item.updated_at = now
    session.flush()
    item.change_seq = _announce(
        session, PUBLIC_SCOPE, NEWS_ENTITY, str(item.id), "upsert", change_data(item), item.change_seq
    )
    return item, True


def create_news(
    session: Session, draft: NewsDraft, *, source: str = "admin", kept: Mapping[str, str | None] | None = None
) -> NewsItem:
    clean = check_draft(draft, kept=kept)
    if clean.guid is not None:  # an import carrying its own ids: the same id again is an update
        found = session.scalar(select(NewsItem).where(NewsItem.feed_id.is_(None), NewsItem.guid == clean.guid))
        if found is not None:
            return write_news(session, clean, item=found)[0]
    return write_news(session, clean, source=source)[0]


def update_news(
    session: Session, news_id: int, draft: NewsDraft, *, kept: Mapping[str, str | None] | None = None
) -> NewsItem:
    item = news_item(session, news_id=news_id)
    return write_news(session, check_draft(draft, kept=kept), item=item)[0]


def delete_news(session: Session, news_id: int) -> None:
    """Remove the item, the users' read marks of it and their changes; terminals get one delete."""
    item = news_item(session, news_id=news_id)
    reads = session.execute(select(NewsRead.change_seq).where(NewsRead.news_id == news_id)).scalars().all()
    _announce(session, PUBLIC_SCOPE, NEWS_ENTITY, str(news_id), "delete", None, item.change_seq)
    stale = [seq for seq in reads if seq is not None]
    for start in range(0, len(stale), 500):
        session.execute(delete(ChangeLog).where(ChangeLog.seq.in_(stale[start : start + 500])))
    session.execute(delete(NewsRead).where(NewsRead.news_id == news_id))
    session.delete(item)


def mark_read(session: Session, *, user_id: str, news_ids: list[int], now: datetime | None = None) -> list[int]:
    """Mark the items read for the user; returns those newly marked (unknown ids and ones already read are
    skipped: a terminal may send a read of an item deleted since). Each is announced in the user's own scope."""
    now = now or datetime.now(UTC)
    # ids past the column's range name no item (and PostgreSQL would refuse to compare them with an int4)
    wanted = sorted({i for i in news_ids if 1 <= i <= NEWS_ID_MAX})[:READ_BATCH_MAX]
    if not wanted:
        return []
    existing = set(session.scalars(select(NewsItem.id).where(NewsItem.id.in_(wanted))))
    already = set(
        session.scalars(select(NewsRead.news_id).where(NewsRead.user_id == user_id, NewsRead.news_id.in_(wanted)))
    )
    marked = [i for i in wanted if i in existing and i not in already]
    for news_id in marked:
        row = NewsRead(user_id=user_id, news_id=news_id, read_at=now)
        session.add(row)
        data = {"news_id": news_id, "read_at": now.isoformat()}
        row.change_seq = _announce(session, user_scope(user_id), READ_ENTITY, str(news_id), "upsert", data, None)
    return marked


def list_fields(item: NewsItem, unread: bool | None) -> dict[str, Any]:
    """An item as a list row shows it (NewsSummary); `unread` None when nobody is signed in."""
    return {
        "id": item.id,
        "category": item.category,
        "category_name": category_name(item.category),
        "title": item.title,
        "summary": item.summary,
        "author": item.author,
        "cover": item.cover,
        "published_at": item.published_at,
        "updated_at": item.updated_at,
        "unread": unread,
    }


def article_fields(item: NewsItem, unread: bool | None) -> dict[str, Any]:
    """An item as its article page shows it (NewsPublic): the list row and the body."""
    return {**list_fields(item, unread), "body": item.body}


def category_name(code: str) -> str:
    found = CATEGORY_BY_CODE.get(code)
    return found.name if found else code


# -- 资源中心 and 应用中心 ------------------------------------------------------------------------------------------
def resources(session: Session) -> list[Resource]:
    return list(session.scalars(select(Resource).order_by(Resource.sort_order)))


def apps(session: Session) -> list[App]:
    return list(session.scalars(select(App).order_by(App.sort_order)))
