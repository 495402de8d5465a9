from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from sync_server.api.deps import AnyPrincipal, CurrentPrincipal, SessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import auth
from sync_server.core.errors import NotFound
from sync_server.core.users import user_public
from sync_server.models import AuthSession
from sync_server.schemas import Ok, SessionPublic, UserPublic

router = APIRouter(prefix="/api/v1/me", tags=["me"])


@router.get("", response_model=UserPublic)
def me(principal: AnyPrincipal, session: SessionDep) -> UserPublic:
    return user_public(session, principal.user)


@router.get("/sessions", response_model=list[SessionPublic])
def my_sessions(principal: CurrentPrincipal, session: SessionDep) -> list[SessionPublic]:
    rows = session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == principal.user.user_id, AuthSession.revoked_at.is_(None))
        .order_by(AuthSession.last_seen_at.desc())
    ).all()
    moment = auth.now()
    live = [
        r for r in rows if (auth._aware(r.refresh_expires_at) or auth._aware(r.access_expires_at) or moment) > moment
    ]
    return [
        SessionPublic(
            id=r.id,
            kind=r.kind,
            device_name=r.device_name,
            address=r.address,
            created_at=r.created_at,
            last_seen_at=r.last_seen_at,
            current=r.id == principal.session.id,
        )
        for r in live
    ]


@router.delete("/sessions/{session_id}", response_model=Ok, responses=NOT_FOUND)
def revoke_my_session(
    principal: CurrentPrincipal, session: SessionDep, session_id: Annotated[str, Path(max_length=32)]
) -> Ok:
    row = session.get(AuthSession, session_id)
    # Someone else's session is as unknown as a missing one.
    if row is None or row.user_id != principal.user.user_id or row.revoked_at is not None:
        raise NotFound("session_not_found", "没有这个登录")
    auth.revoke_session(row, "revoked_by_user")
    return Ok()
