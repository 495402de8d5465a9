from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from sync_server.api.deps import SessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core.errors import NotFound
from sync_server.models import App, NewsItem, Resource
from sync_server.schemas import AppPublic, NewsList, NewsPublic, NewsSummary, ResourcePublic

router = APIRouter(prefix="/api/v1/content", tags=["content"])


@router.get("/news", response_model=NewsList)
def list_news(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=16, description="e.g. 学校新闻, 通知公告")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NewsList:
    query = select(NewsItem)
    count = select(func.count()).select_from(NewsItem)
    if category:
        query = query.where(NewsItem.category == category)
        count = count.where(NewsItem.category == category)
    rows = session.scalars(
        query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit).offset(offset)
    ).all()
    return NewsList(items=[NewsSummary.model_validate(r) for r in rows], total=session.scalar(count) or 0)


@router.get("/news/{news_id}", response_model=NewsPublic, responses=NOT_FOUND)
def get_news(session: SessionDep, news_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> NewsPublic:
    item = session.get(NewsItem, news_id)
    if item is None:
        raise NotFound("news_not_found", "No such news item.")
    return NewsPublic.model_validate(item)


@router.get("/resources", response_model=list[ResourcePublic])
def list_resources(session: SessionDep) -> list[ResourcePublic]:
    return [ResourcePublic.model_validate(r) for r in session.scalars(select(Resource).order_by(Resource.sort_order))]


@router.get("/apps", response_model=list[AppPublic])
def list_apps(session: SessionDep) -> list[AppPublic]:
    return [AppPublic.model_validate(a) for a in session.scalars(select(App).order_by(App.sort_order))]
