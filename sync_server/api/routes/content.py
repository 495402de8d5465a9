from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from sync_server.api.deps import SessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import content
from sync_server.schemas import AppPublic, NewsList, NewsPublic, NewsSummary, ResourcePublic

router = APIRouter(prefix="/api/v1/content", tags=["content"])


@router.get("/news", response_model=NewsList)
def list_news(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=16, description="e.g. 学校新闻, 通知公告")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NewsList:
    page = content.news_page(session, category=category, limit=limit, offset=offset)
    return NewsList(items=[NewsSummary.model_validate(r) for r in page.items], total=page.total)


@router.get("/news/{news_id}", response_model=NewsPublic, responses=NOT_FOUND)
def get_news(session: SessionDep, news_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> NewsPublic:
    return NewsPublic.model_validate(content.news_item(session, news_id=news_id))


@router.get("/resources", response_model=list[ResourcePublic])
def list_resources(session: SessionDep) -> list[ResourcePublic]:
    return [ResourcePublic.model_validate(r) for r in content.resources(session)]


@router.get("/apps", response_model=list[AppPublic])
def list_apps(session: SessionDep) -> list[AppPublic]:
    return [AppPublic.model_validate(a) for a in content.apps(session)]
