from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from sync_server.api.deps import AnyPrincipal, DatabaseDep, SessionDep, client_address
from sync_server.api.errors import error_responses
from sync_server.core import auth
from sync_server.core.errors import DomainError, Gone, NotFound
from sync_server.core.users import user_public
from sync_server.db import Database
from sync_server.models import User
from sync_server.schemas import (
    LoginRequest,
    Ok,
    PasswordChange,
    QrCreate,
    QrCreated,
    QrState,
    RefreshRequest,
    TokenPair,
)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def token_pair(session: object, user: User, issued: auth.IssuedTokens) -> TokenPair:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=int(auth.ACCESS_TTL.total_seconds()),
        session_id=issued.session.id,
        must_change_password=user.must_change_password,
        user=user_public(session, user),
        op_key=issued.session.op_key,
    )


@router.post("/login", response_model=TokenPair, responses=error_responses(401, 422, 423, 429))
def login(body: LoginRequest, request: Request, db: DatabaseDep) -> TokenPair:
    address = client_address(request)
    with db.read_sessions() as read:
        checked = auth.check_password_outside_lock(read, body.user_id, body.password)
    with db.sessions() as session:
        try:
            user = auth.authenticate(session, body.user_id, body.password, address, checked)
        except DomainError:
            session.commit()  # the failure counters must stick although the login fails
            raise
        issued = auth.create_session(
            session,
            user,
            body.kind,
            device_id=body.device_id,
            device_name=body.device_name,
            address=address,
            user_agent=request.headers.get("user-agent"),
        )
        pair = token_pair(session, user, issued)
        session.commit()
        return pair


@router.post("/refresh", response_model=TokenPair, responses=error_responses(401))
def refresh(body: RefreshRequest, db: DatabaseDep) -> TokenPair:
    with db.sessions() as session:
        try:
            issued = auth.refresh_session(session, body.refresh_token)
        except DomainError:
            session.commit()  # a detected reuse revokes the session for good
            raise
        user = session.get(User, issued.session.user_id)
        assert user is not None
        pair = token_pair(session, user, issued)
        session.commit()
        return pair


@router.post("/logout", response_model=Ok, responses=error_responses(401))
def logout(principal: AnyPrincipal) -> Ok:
    auth.revoke_session(principal.session, "logout")
    return Ok()


@router.post("/password", response_model=Ok, responses=error_responses(401, 403, 422))
def change_password(body: PasswordChange, principal: AnyPrincipal, session: SessionDep) -> Ok:
    auth.change_password(session, principal.user, principal.session, body.old_password, body.new_password)
    return Ok()


# -- QR login ----------------------------------------------------------------------------------------------
def public_base(request: Request) -> str:
    configured = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


@router.post("/qr", response_model=QrCreated, responses=error_responses(422))
def create_qr(body: QrCreate, request: Request, session: SessionDep) -> QrCreated:
    ticket, _ = auth.create_qr_ticket(session, body.device_id, body.device_name)
    return QrCreated(
        ticket=ticket, url=f"{public_base(request)}/m/qr/{ticket}", expires_in=int(auth.QR_TTL.total_seconds())
    )


def _poll_once(db: Database, ticket: str, device_id: str, known: str | None) -> QrState | None:
    """The ticket's state, or None while it is still `known` (the long poll waits on)."""
    with db.sessions() as session:
        row = auth.find_qr_ticket(session, ticket, for_update=True)
        # A ticket is bound to the terminal that asked for it; to any other it does not exist.
        if row is None or row.device_id != device_id:
            raise NotFound("ticket_not_found", "二维码无效")
        status = auth.qr_status(row)
        expires_in = max(0, int((auth._aware(row.expires_at) - auth.now()).total_seconds()))  # type: ignore[operator]
        if status == "consumed":
            raise Gone("ticket_used", "二维码已使用，请刷新")
        if status == known and status in ("pending", "scanned"):
            return None
        user = session.get(User, row.user_id) if row.user_id else None
        state = QrState(status=status, expires_in=expires_in, user_name=user.name if user else None)
        if status == "confirmed" and user is not None:
            issued = auth.create_session(session, user, "kiosk", device_id=row.device_id, device_name=row.device_name)
            state.tokens = token_pair(session, user, issued)
            row.status = "consumed"  # single use: the tokens are handed out exactly once
        session.commit()
        return state


@router.get("/qr/{ticket}", response_model=QrState, responses=error_responses(404, 410, 422))
async def poll_qr(
    request: Request,
    ticket: Annotated[str, Path(max_length=64)],
    device_id: Annotated[str, Query(min_length=1, max_length=64)],
    wait: Annotated[float, Query(ge=0, le=25, description="long poll: seconds to wait for a change")] = 0,
    known: Annotated[str | None, Query(max_length=12, description="the status the caller already has")] = None,
) -> QrState:
    db: Database = request.app.state.db
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        state = await run_in_threadpool(_poll_once, db, ticket, device_id, known)
        if state is not None:
            return state
        if asyncio.get_running_loop().time() >= deadline or await request.is_disconnected():
            final = await run_in_threadpool(_poll_once, db, ticket, device_id, None)
            assert final is not None  # with nothing known, every state is news
            return final
        # The phone's confirmation may land in another worker process: poll the database, 4 times a second.
        await asyncio.sleep(0.25)
