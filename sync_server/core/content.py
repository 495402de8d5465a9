"""The portal's content: news (学校新闻, 通知公告 …), e-resources (资源中心) and apps (应用中心)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync_server.core.errors import NotFound
from sync_server.models import App, NewsItem, Resource


@dataclass
class NewsPage:
    items: list[NewsItem]
    total: int


def news_page(session: Session, *, category: str | None, limit: int, offset: int) -> NewsPage:
    """News newest first, of one category or all."""
    query = select(NewsItem)
    count = select(func.count()).select_from(NewsItem)
    if category:
        query = query.where(NewsItem.category == category)
        count = count.where(NewsItem.category == category)
    rows = session.scalars(
        query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit).offset(offset)
    ).all()
    return NewsPage(list(rows), session.scalar(count) or 0)


def news_item(session: Session, *, news_id: int) -> NewsItem:
    item = session.get(NewsItem, news_id)
    if item is None:
        raise NotFound("news_not_found", "No such news item.")
    return item


def resources(session: Session) -> list[Resource]:
    return list(session.scalars(select(Resource).order_by(Resource.sort_order)))


def apps(session: Session) -> list[App]:
    return list(session.scalars(select(App).order_by(App.sort_order)))
