"""个人中心 › 邮箱授权码: a user gives (or removes) the app password the portal uses to count their unread mail,
when the mail counter runs in app-password mode (docs/portal.md). Over HTTPS only, and never through the sync
outbox: a terminal keeps no copy of it, and neither does any log."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sync_server.api.deps import CurrentPrincipal, SessionDep
from sync_server.api.errors import error_responses
from sync_server.core.config import Settings
from sync_server.core.counters import CounterBoard
from sync_server.core.counters import app_passwords as passwords
from sync_server.core.errors import Conflict, Forbidden

router = APIRouter(prefix="/api/v1/me/mail-password", tags=["portal"])


class MailPasswordState(BaseModel):
    mode: Literal["master", "app_password", "off"] = Field(
        description="how this server reads mail: its master user (nothing for the user to give), each user's app "
        "password, or not at all"
    )
    set: bool = Field(description="whether this user has given an app password (never the password itself)")
    updated_at: datetime | None = Field(description="when it was given")


class MailPasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=passwords.MAX_PASSWORD, description="the mailbox's 授权码")


def _mode(settings: Settings) -> Literal["master", "app_password", "off"]:
    if not settings.imap_host:
        return "off"
    return "app_password" if settings.imap_auth == "app_password" else "master"


def _state(request: Request, session: Any, user_id: str) -> MailPasswordState:
    return MailPasswordState(mode=_mode(request.app.state.settings), **passwords.status(session, user_id))


def _over_tls(request: Request) -> bool:
    """HTTPS, or a peer on this machine (a TLS proxy in front of the server, or the tests): the password never
    crosses a network in clear."""
    if request.url.scheme == "https":
        return True
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


@router.get("", response_model=MailPasswordState, responses=error_responses(401, 403))
def my_mail_password(principal: CurrentPrincipal, session: SessionDep, request: Request) -> MailPasswordState:
    return _state(request, session, principal.user.user_id)


@router.put("", response_model=MailPasswordState, responses=error_responses(401, 403, 409, 422))
def give_mail_password(
    body: MailPasswordIn, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> MailPasswordState:
    """Keep the user's app password, encrypted; the next 未读邮件 logs in with it."""
    settings: Settings = request.app.state.settings
    if not _over_tls(request):
        raise Forbidden("https_required", "授权码只能通过 HTTPS 连接提交")
    if _mode(settings) != "app_password" or not settings.mail_secret_keys:
        raise Conflict("app_passwords_off", "本校邮箱不需要填写授权码")
    user_id = principal.user.user_id
    passwords.save(session, passwords.SecretBox(settings.mail_secret_keys), user_id, body.password)
    session.flush()
    board: CounterBoard = request.app.state.counters
    board.forget(user_id)
    return _state(request, session, user_id)


@router.delete("", response_model=MailPasswordState, responses=error_responses(401, 403))
def remove_mail_password(principal: CurrentPrincipal, session: SessionDep, request: Request) -> MailPasswordState:
    """Forget the user's app password (whatever the mode: one given earlier is removed all the same)."""
    user_id = principal.user.user_id
    passwords.remove(session, user_id)
    session.flush()
    request.app.state.counters.forget(user_id)
    return _state(request, session, user_id)
