"""QR login (扫码登录): a terminal shows a ticket; a phone signed in to the portal scans it and confirms; the
terminal's poll then gets a kiosk session for the phone's user, once. The terminal's side is polled through
api/routes/auth.py, the phone's pages are api/routes/phone.py.

A ticket belongs to the first phone user who opens it signed in: any other user is refused (Conflict,
ticket_taken) and the ticket becomes `contested`, so the terminal can say that someone else scanned it too and
offer a fresh code; its first scanner can still confirm.

Refusals about the ticket: ticket_not_found, ticket_taken, and (Gone) ticket_expired, ticket_used,
ticket_denied.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from sync_server.core.auth import (
    SignedIn,
    authenticate,
    create_session,
    now,
    resolve_access_token,
    signed_in,
    token_hash,
)
from sync_server.core.clock import as_utc
from sync_server.core.errors import Conflict, DomainError, Forbidden, Gone, Invalid, NotFound
from sync_server.models import AuthSession, Device, QrTicket, User

QR_TTL = timedelta(seconds=120)
DECISIONS = ("confirmed", "denied")
# The states a phone may still act on; `contested`: scanned, and another user tried to take it.
OPEN = ("pending", "scanned", "contested")


def create_ticket(
    session: Session, *, device_id: str, device_name: str, enrolled: Device | None = None
) -> tuple[str, QrTicket]:
    """A new ticket for the terminal `device_id`: the secret its QR code shows, and the row (stored by hash).
    From an `enrolled` device (core/devices.py), the phone is shown the name IT gave it."""
    ticket = secrets.token_urlsafe(24)  # 192 random bits
    row = QrTicket(
        ticket_hash=token_hash(ticket),
        device_id=device_id,
        device_name=device_name,
        status="pending",
        created_at=now(),
        expires_at=now() + QR_TTL,
        enrolled_device=enrolled.id if enrolled is not None else None,
    )
    session.add(row)
    return ticket, row


def _find(session: Session, ticket: str, *, for_update: bool = False) -> QrTicket | None:
    if not ticket or len(ticket) > 64:
        return None
    return session.get(QrTicket, token_hash(ticket), with_for_update=for_update)


def _status(row: QrTicket) -> str:
    if row.status in OPEN and as_utc(row.expires_at) <= now():
        return "expired"
    return row.status


# -- the terminal -----------------------------------------------------------------------------------------------
@dataclass
class QrPoll:
    status: str  # pending | scanned | contested | confirmed | denied | expired
    expires_in: int
    user_name: str | None
    signed_in: SignedIn | None = None  # once confirmed: the terminal's session, handed out this once


def poll(sessions: sessionmaker[Session], *, ticket: str, device_id: str, known: str | None) -> QrPoll | None:
    """The ticket's state for the terminal that asked for it, or None while it is still `known` (pending,
    scanned or contested). Confirmed, it opens the kiosk session and is consumed: its tokens are handed out
    exactly once."""
    with sessions() as session:
        row = _find(session, ticket, for_update=True)
        # A ticket is bound to the terminal that asked for it; to any other it does not exist.
        if row is None or row.device_id != device_id:
            raise NotFound("ticket_not_found", "二维码无效")
        status = _status(row)
        expires_in = max(0, int((as_utc(row.expires_at) - now()).total_seconds()))
        if status == "consumed":
            raise Gone("ticket_used", "二维码已使用，请刷新")
        if status == known and status in OPEN:
            return None
        user = session.get(User, row.user_id) if row.user_id else None
        state = QrPoll(status, expires_in, user.name if user else None)
        if status == "confirmed" and user is not None:
            issued = create_session(
                session,
                user,
                "kiosk",
                device_id=row.device_id,
                device_name=row.device_name,
                device_ref=row.enrolled_device,
            )
            state.signed_in = signed_in(session, user, issued)
            row.status = "consumed"
        session.commit()
        return state


# -- the phone ----------------------------------------------------------------------------------------------------
@dataclass
class OnPhone:
    """What the phone shows for a ticket: the terminal's name; once the phone is signed in, whom the terminal would
    log in and the token its confirm and deny forms carry (`user` None: the phone must sign in first)."""

    device_name: str
    user: User | None = None
    form_token: str | None = None
    enrolled: Device | None = None  # the enrolled device that showed the code, if it was one


@dataclass
class PhoneSignIn:
    device_name: str
    access_token: str | None = None  # the phone's session (a cookie of the phone pages)
    refusal: DomainError | None = None  # why not: shown on the login form again


def _usable(session: Session, ticket: str, *, for_update: bool) -> QrTicket:
    """The ticket, if a phone may still act on it."""
    row = _find(session, ticket, for_update=for_update)
    if row is None:
        raise NotFound("ticket_not_found", "二维码无效")
    status = _status(row)
    if status == "expired":
        raise Gone("ticket_expired", "二维码已过期")
    if status in ("confirmed", "consumed"):
        raise Gone("ticket_used", "二维码已使用")
    if status == "denied":
        raise Gone("ticket_denied", "已取消登录")
    return row


def _phone_user(session: Session, token: str | None) -> tuple[User, AuthSession] | None:
    """The phone's signed-in user, past the initial password, from its session token."""
    if not token or len(token) > 256:
        return None
    try:
        user, row = resolve_access_token(session, token)
    except DomainError:
        return None
    return (user, row) if row.kind == "phone" and not user.must_change_password else None


def _enrolled(session: Session, row: QrTicket) -> Device | None:
    if row.enrolled_device is None:
        return None
    device = session.get(Device, row.enrolled_device)
    return device if device is not None and device.revoked_at is None else None


def _form_token(phone_session: AuthSession, ticket: str) -> str:
    return hmac.new(phone_session.access_hash.encode(), ticket.encode(), hashlib.sha256).hexdigest()


def _taken(session: Session, row: QrTicket, user: User) -> Conflict | None:
    """The refusal for `user` if another user scanned the ticket first; the ticket is then marked contested
    (committed: the refusal ends the caller's transaction) for the terminal to show."""
    if row.user_id is None or row.user_id == user.user_id:
        return None
    row.status = "contested"
    session.commit()
    return Conflict("ticket_taken", "该二维码已被他人扫描")


def scan(sessions: sessionmaker[Session], *, ticket: str, phone_token: str | None) -> OnPhone:
    """A phone opened the ticket's page: when signed in, the ticket is marked scanned by its user (the terminal
    shows 已扫码，请在手机上确认) — only by the first: another user is refused (ticket_taken)."""
    with sessions() as session:
        row = _usable(session, ticket, for_update=True)
        enrolled = _enrolled(session, row)
        phone = _phone_user(session, phone_token)
        if phone is None:
            return OnPhone(row.device_name, enrolled=enrolled)
        user, phone_session = phone
        taken = _taken(session, row, user)
        if taken is not None:
            raise taken
        if row.status == "pending":
            row.status, row.user_id = "scanned", user.user_id
            session.commit()
        return OnPhone(row.device_name, user, _form_token(phone_session, ticket), enrolled=enrolled)


def sign_in_on_phone(
    sessions: sessionmaker[Session], *, ticket: str, user_id: str, password: str, address: str, user_agent: str | None
) -> PhoneSignIn:
    """The phone signs in to the portal (a phone session without refresh token) to go on with the ticket. A user
    who must still change the initial password is refused (password_change_required): that is done elsewhere."""
    with sessions() as session:
        row = _usable(session, ticket, for_update=False)
        if not user_id.strip() or not password:
            return PhoneSignIn(row.device_name, refusal=Invalid("credentials_missing", "请输入学号/工号和密码"))
        try:
            user = authenticate(session, user_id, password, address)
        except DomainError as exc:
            session.commit()  # the failure counters
            return PhoneSignIn(row.device_name, refusal=exc)
        if user.must_change_password:
            session.commit()
            return PhoneSignIn(row.device_name, refusal=Forbidden("password_change_required", "首次登录需要修改密码"))
        issued = create_session(session, user, "phone", address=address, user_agent=user_agent, with_refresh=False)
        session.commit()
        return PhoneSignIn(row.device_name, access_token=issued.access_token)


def decide(
    sessions: sessionmaker[Session], *, ticket: str, phone_token: str | None, form_token: str, decision: str
) -> OnPhone:
    """The phone's user confirms or denies the login (`decision`: confirmed | denied). A ticket another user scanned
    first is refused (ticket_taken), a form that is not from this phone's page for this ticket too
    (qr_request_invalid)."""
    assert decision in DECISIONS
    with sessions() as session:
        row = _usable(session, ticket, for_update=True)
        phone = _phone_user(session, phone_token)
        if phone is None:
            return OnPhone(row.device_name)
        user, phone_session = phone
        taken = _taken(session, row, user)
        if taken is not None:
            raise taken
        if not hmac.compare_digest(form_token, _form_token(phone_session, ticket)):
            raise Forbidden("qr_request_invalid", "请求无效，请重新扫码。")
        row.status, row.user_id, row.decided_at = decision, user.user_id, now()
        session.commit()
        return OnPhone(row.device_name, user)
