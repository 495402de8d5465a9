"""The administrators' news desk: write, change and remove news items (sanitized and announced by core/content.py).

Writes fetch the body's images first (core/content_images.py), outside any transaction: a slow image site must
not hold the database. So these routes resolve the administrator in a transaction of their own (already
committed) and open the write's transaction only once the images are in. Images are fetched as from outside
the campus: the API never reaches private networks (a stolen admin token must not probe them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from sync_server.api.deps import CommittedPrincipal, DatabaseDep, Principal
from sync_server.api.errors import error_responses
from sync_server.core import content
from sync_server.core.content_images import ImageCache
from sync_server.core.errors import Forbidden
from sync_server.schemas import NewsPublic, NewsWrite, Ok

router = APIRouter(prefix="/api/v1/admin/content", tags=["admin"])

NewsIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
REFUSALS = error_responses(401, 403, 422)


def _admin(principal: Principal) -> None:
    if principal.user.role != "admin":
        raise Forbidden("forbidden", "没有权限执行此操作")


def _draft(body: NewsWrite) -> content.NewsDraft:
    return content.NewsDraft(
        category=body.category,
        title=body.title,
        body=body.body,
        body_format=body.body_format,
        summary=body.summary,
        author=body.author,
        published_at=body.published_at,
    )


@router.post("", response_model=NewsPublic, status_code=201, responses=REFUSALS)
def create_news(principal: CommittedPrincipal, db: DatabaseDep, body: NewsWrite) -> NewsPublic:
    _admin(principal)
    draft = _draft(body)
    kept = ImageCache(db.sessions).localize(content.draft_images(draft))
    with db.transaction() as session:
        return NewsPublic.model_validate(content.article_fields(content.create_news(session, draft, kept=kept), None))


@router.put("/{news_id}", response_model=NewsPublic, responses={**REFUSALS, **error_responses(404)})
def update_news(principal: CommittedPrincipal, db: DatabaseDep, news_id: NewsIdPath, body: NewsWrite) -> NewsPublic:
    _admin(principal)
    draft = _draft(body)
    with db.read_sessions() as session:
        content.news_item(session, news_id=news_id)  # 404 before fetching anything
    kept = ImageCache(db.sessions).localize(content.draft_images(draft))
    with db.transaction() as session:
        item = content.update_news(session, news_id, draft, kept=kept)
        return NewsPublic.model_validate(content.article_fields(item, None))


@router.delete("/{news_id}", response_model=Ok, responses={**REFUSALS, **error_responses(404)})
def delete_news(principal: CommittedPrincipal, db: DatabaseDep, news_id: NewsIdPath) -> Ok:
    _admin(principal)
    with db.transaction() as session:
        content.delete_news(session, news_id)
    return Ok()
