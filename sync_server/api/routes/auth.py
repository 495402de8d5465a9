from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from sync_server.api.deps import (
    DEVICE_HEADER,
    AnyPrincipal,
    DatabaseDep,
    SessionDep,
    check_kiosk_device,
    client_address,
    enforcing_devices,
)
from sync_server.api.errors import error_responses
from sync_server.core import auth, devices, qr_login
from sync_server.db import Database
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


def token_pair(signed_in: auth.SignedIn) -> TokenPair:
    return TokenPair(
        access_token=signed_in.tokens.access_token,
        refresh_token=signed_in.tokens.refresh_token,
        expires_in=int(auth.ACCESS_TTL.total_seconds()),
        session_id=signed_in.tokens.session.id,
        must_change_password=signed_in.user.must_change_password,
        user=signed_in.profile,
        op_key=signed_in.tokens.session.op_key,
    )


@router.post("/login", response_model=TokenPair, responses=error_responses(401, 403, 422, 423, 429))
def login(body: LoginRequest, request: Request, db: DatabaseDep) -> TokenPair:
    device_ref = None
    credential = request.headers.get(DEVICE_HEADER)
    if body.kind == "kiosk" and (credential or enforcing_devices(request)):
        with db.read_sessions() as read:
            check_kiosk_device(request, read, body.kind)
            enrolled = devices.find_valid(read, credential)  # the session is bound to it
            device_ref = enrolled.id if enrolled is not None else None
    signed_in = auth.log_in(
        db,
        user_id=body.user_id,
        password=body.password,
        kind=body.kind,
        address=client_address(request),
        device_id=body.device_id,
        device_name=body.device_name,
        user_agent=request.headers.get("user-agent"),
        device_ref=device_ref,
    )
    return token_pair(signed_in)


@router.post("/refresh", response_model=TokenPair, responses=error_responses(401))
def refresh(body: RefreshRequest, db: DatabaseDep) -> TokenPair:
    return token_pair(auth.refresh(db.sessions, refresh_token=body.refresh_token))


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


@router.post("/qr", response_model=QrCreated, responses=error_responses(401, 403, 422))
def create_qr(body: QrCreate, request: Request, session: SessionDep) -> QrCreated:
    # A confirmed ticket opens a kiosk session: asking for one is a kiosk-mode request.
    check_kiosk_device(request, session, "kiosk")
    enrolled = devices.find_valid(session, request.headers.get(DEVICE_HEADER))
    ticket, _ = qr_login.create_ticket(
        session, device_id=body.device_id, device_name=body.device_name, enrolled=enrolled
    )
    return QrCreated(
        ticket=ticket, url=f"{public_base(request)}/m/qr/{ticket}", expires_in=int(qr_login.QR_TTL.total_seconds())
    )


def _poll_once(db: Database, ticket: str, device_id: str, known: str | None) -> QrState | None:
    """The ticket's state, or None while it is still `known` (the long poll waits on)."""
    polled = qr_login.poll(db.sessions, ticket=ticket, device_id=device_id, known=known)
    if polled is None:
        return None
    state = QrState(status=polled.status, expires_in=polled.expires_in, user_name=polled.user_name)
    if polled.signed_in is not None:
        state.tokens = token_pair(polled.signed_in)
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
