"""消息中心, Qt-free: the tabs, a page of rows as the screen shows them (the day/month badge and 发布时间 in local
time), a search's words, read marks (written locally at once, sent to
the server when it can be reached) and the age of the content shown offline.

Every function that takes the store or the client blocks: the views run them on a worker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from campus_common.content import CATEGORY_BY_CODE, MESSAGE_CENTER_TABS
from kiosk.services import campus_time

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient

ALL = "all"  # 全部新闻: every category
TABS = (ALL, *MESSAGE_CENTER_TABS)
PAGE_SIZE = 50
MAX_WORDS = 5  # as the server's q=
READ_BATCH = 500  # POST /api/v1/me/news/read takes at most this many ids


def search_words(query: str) -> list[str]:
    """The words of a search box's text: each must be in the title or the summary."""
    return list(dict.fromkeys(query.split()))[:MAX_WORDS]


def category_of(tab: str) -> str | None:
    return None if tab == ALL or tab not in TABS else tab


def _local(moment: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    # The campus's time, as every time the app shows (services/campus_time.py).
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(campus_time.zone())


def list_row(raw: dict[str, Any]) -> dict[str, Any]:
    """A stored row as 消息中心 draws it: the badge's day and month (14 / 7 → "14 七月"), 发布时间 to the minute."""
    published = _local(str(raw.get("published_at") or ""))
    category = CATEGORY_BY_CODE.get(str(raw.get("category") or ""))
    return {
        "newsId": int(raw["id"]),
        "title": str(raw.get("title") or ""),
        "summary": str(raw.get("summary") or ""),
        "category": category.code if category else "",
        "day": f"{published.day:02d}" if published else "",
        "month": published.month if published else 0,
        "published": published.strftime("%Y-%m-%d %H:%M") if published else "",
        # None: nobody signed in, so neither read nor unread is shown
        "unread": raw.get("unread"),
    }


def page(store: LocalStore, user_id: str | None, tab: str, query: str, offset: int) -> list[dict[str, Any]]:
    return [list_row(r) for r in store.news_page(user_id, category_of(tab), search_words(query), offset, PAGE_SIZE)]


def count(store: LocalStore, tab: str, query: str) -> int:
    return store.news_count(category_of(tab), search_words(query))


def age_text(synced_at: str | None) -> str:
    """When the content was last brought up to date, as "12-05 09:30" in local time; "" when never."""
    moment = _local(synced_at or "")
    return moment.strftime("%m-%d %H:%M") if moment else ""


def article(store: LocalStore, user_id: str | None, news_id: int) -> dict[str, Any] | None:
    raw = store.news_article(user_id, news_id)
    if raw is None:
        return None
    return {**list_row(raw), "author": str(raw.get("author") or ""), "body": str(raw.get("body") or "")}


def mark_read(store: LocalStore, user_id: str, news_id: int) -> bool:
    """The user opened an item: read here at once (unsent until the server has it). False if read before."""
    return store.mark_news_read(user_id, news_id, datetime.now(UTC).isoformat(timespec="seconds"))


def send_unsent(client: ApiClient, store: LocalStore, user_id: str) -> int:
    """Send the user's read marks the server does not have yet; the ones it acknowledges are marked sent (an id
    it skips — read already, or deleted since — is done too). Offline, they stay unsent for the next try."""
    sent = 0
    while ids := store.unsent_news_reads(user_id, READ_BATCH):
        client.mark_news_read(ids)
        store.news_reads_sent(user_id, ids)
        sent += len(ids)
        if len(ids) < READ_BATCH:
            break
    return sent


def headlines(store: LocalStore, categories: tuple[str, ...], per: int) -> dict[str, list[dict[str, Any]]]:
    """首页's lists from the local store: code → the newest `per` rows, each {id, title, day "07-14"}."""
    out: dict[str, list[dict[str, Any]]] = {}
    for code, rows in store.latest_news(categories, per).items():
        out[code] = []
        for raw in rows:
            moment = _local(str(raw.get("published_at") or ""))
            day = moment.strftime("%m-%d") if moment else ""
            out[code].append({"id": int(raw["id"]), "title": str(raw.get("title") or ""), "day": day})
    return out
