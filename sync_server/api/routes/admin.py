from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from sync_server.api.deps import AdminPrincipal, SessionDep
from sync_server.api.errors import NOT_FOUND
from sync_server.core import auth
from sync_server.schemas import Ok, PasswordReset

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])

UserIdPath = Annotated[str, Path(max_length=64)]


@router.post("/users/{user_id}/unlock", response_model=Ok, responses=NOT_FOUND)
def unlock_user(_: AdminPrincipal, session: SessionDep, user_id: UserIdPath) -> Ok:
    auth.unlock_account(session, user_id=user_id)
    return Ok()


@router.post("/users/{user_id}/reset-password", response_model=Ok, responses=NOT_FOUND)
def reset_user_password(_: AdminPrincipal, session: SessionDep, user_id: UserIdPath, body: PasswordReset) -> Ok:
    auth.reset_account_password(session, user_id=user_id, initial=body.initial_password)
    return Ok()
