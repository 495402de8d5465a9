"""The administrators' news desk: write, change and remove news items (sanitized and announced by core/content.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from sync_server.api.deps import AdminPrincipal, SessionDep
from sync_server.api.errors import error_responses
from sync_server.core import content
from sync_server.schemas import NewsPublic, NewsWrite, Ok

router = APIRouter(prefix="/api/v1/admin/content", tags=["admin"])

NewsIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
REFUSALS = error_responses(401, 403, 422)


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
def create_news(_: AdminPrincipal, session: SessionDep, body: NewsWrite) -> NewsPublic:
    return NewsPublic.model_validate(content.article_fields(content.create_news(session, _draft(body)), None))


@router.put("/{news_id}", response_model=NewsPublic, responses={**REFUSALS, **error_responses(404)})
def update_news(_: AdminPrincipal, session: SessionDep, news_id: NewsIdPath, body: NewsWrite) -> NewsPublic:
    return NewsPublic.model_validate(content.article_fields(content.update_news(session, news_id, _draft(body)), None))


@router.delete("/{news_id}", response_model=Ok, responses={**REFUSALS, **error_responses(404)})
def delete_news(_: AdminPrincipal, session: SessionDep, news_id: NewsIdPath) -> Ok:
    content.delete_news(session, news_id)
    return Ok()
