from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from sync_server.api.deps import AnyPrincipal, CurrentPrincipal, SessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import auth
from sync_server.core.users import user_public
from sync_server.schemas import Ok, SessionPublic, UserPublic

router = APIRouter(prefix="/api/v1/me", tags=["me"])


@router.get("", response_model=UserPublic)
def me(principal: AnyPrincipal, session: SessionDep) -> UserPublic:
    return user_public(session, principal.user)


@router.get("/sessions", response_model=list[SessionPublic])
def my_sessions(principal: CurrentPrincipal, session: SessionDep) -> list[SessionPublic]:
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
        for r in auth.live_sessions(session, user_id=principal.user.user_id)
    ]


@router.delete("/sessions/{session_id}", response_model=Ok, responses=NOT_FOUND)
def revoke_my_session(
    principal: CurrentPrincipal, session: SessionDep, session_id: Annotated[str, Path(max_length=32)]
) -> Ok:
    auth.revoke_own_session(session, user_id=principal.user.user_id, session_id=session_id)
    return Ok()
