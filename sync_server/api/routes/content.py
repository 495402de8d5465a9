from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from campus_common.content import CATEGORIES, HOME_LISTS, MESSAGE_CENTER_TABS
from sync_server.api.deps import CurrentPrincipal, OptionalPrincipalRead, ReadSessionDep, SessionDep
from sync_server.api.errors import NOT_FOUND, error_responses
from sync_server.core import content
from sync_server.core.content_images import CACHE_CONTROL, stored_image
from sync_server.core.errors import NotFound
from sync_server.schemas import (
    AppPublic,
    CategoryPublic,
    NewsCategories,
    NewsList,
    NewsPublic,
    NewsReadRequest,
    NewsReadResult,
    NewsSummary,
    ResourcePublic,
)

router = APIRouter(prefix="/api/v1/content", tags=["content"])
me_router = APIRouter(prefix="/api/v1/me/news", tags=["content"])


@router.get("/news", response_model=NewsList, responses=error_responses(401, 422))
def list_news(
    session: ReadSessionDep,
    principal: OptionalPrincipalRead,
    category: Annotated[
        str | None, Query(max_length=32, description="a code (notice, …) or a name (通知公告, …)")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="words that the title or summary contain")] = None,
    unread_only: Annotated[bool, Query(description="only what the signed-in user has not read")] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NewsList:
    """News newest first. With a token, each row says whether that user has read it."""
    user_id = principal.user.user_id if principal else None
    page = content.news_page(
        session, category=category, q=q, limit=limit, offset=offset, user_id=user_id, unread_only=unread_only
    )
    return NewsList(
        items=[
            NewsSummary.model_validate(content.list_fields(r, None if user_id is None else r.id not in page.read))
            for r in page.items
        ],
        total=page.total,
    )


@router.get("/news/categories", response_model=NewsCategories)
def news_categories() -> NewsCategories:
    return NewsCategories(
        categories=[CategoryPublic(code=c.code, name=c.name, name_en=c.name_en) for c in CATEGORIES],
        message_center_tabs=list(MESSAGE_CENTER_TABS),
        home_lists=list(HOME_LISTS),
    )


@router.get("/news/{news_id}", response_model=NewsPublic, responses=NOT_FOUND)
def get_news(
    session: ReadSessionDep, principal: OptionalPrincipalRead, news_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> NewsPublic:
    item = content.news_item(session, news_id=news_id)
    unread = (
        None if principal is None else not content.is_read(session, user_id=principal.user.user_id, news_id=item.id)
    )
    return NewsPublic.model_validate(content.article_fields(item, unread))


@me_router.post("/read", response_model=NewsReadResult, responses=error_responses(401, 403, 422))
def mark_news_read(principal: CurrentPrincipal, session: SessionDep, body: NewsReadRequest) -> NewsReadResult:
    """Mark items read for the signed-in user; their terminals learn it by sync ("news_read" changes)."""
    return NewsReadResult(marked=content.mark_read(session, user_id=principal.user.user_id, news_ids=body.ids))


@router.get(
    "/images/{sha256}",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {m: {} for m in ("image/png", "image/jpeg", "image/gif", "image/webp")}}},
)
def get_image(
    request: Request, session: ReadSessionDep, sha256: Annotated[str, Path(pattern="^[0-9a-f]{64}$")]
) -> Response:
    """An article image the server keeps (core/content_images.py), public like the articles. Its address names
    its bytes, so it may be cached for ever; If-None-Match with its ETag answers 304."""
    etag = f'"{sha256}"'
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "default-src 'none'"}  # fmt: skip
    image = stored_image(session, sha256)
    if image is None:
        raise NotFound("image_not_found", "没有这张图片")
    wanted = request.headers.get("if-none-match", "")
    if etag in wanted or wanted.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(content=image.data, media_type=image.media_type, headers=headers)


@router.get("/resources", response_model=list[ResourcePublic])
def list_resources(session: SessionDep) -> list[ResourcePublic]:
    return [ResourcePublic.model_validate(r) for r in content.resources(session)]


@router.get("/apps", response_model=list[AppPublic])
def list_apps(session: SessionDep) -> list[AppPublic]:
    return [AppPublic.model_validate(a) for a in content.apps(session)]
