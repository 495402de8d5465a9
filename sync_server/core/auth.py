"""Identity: password logins with lockout and throttling, and login sessions with opaque hashed tokens: issued,
refreshed, listed and revoked (QR login, which issues them too, is core/qr_login.py).

Most functions take the SQLAlchemy session of the request's transaction, so a login's effects (failure counters,
the new session) commit together or not at all; `log_in` and `refresh` run their own, which commit the counters
of a refused attempt too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from campus_common import op_signing, password_policy
from sync_server.core.clock import as_utc
from sync_server.core.errors import DomainError, Forbidden, Invalid, Locked, NotFound, TooMany, Unauthorized
from sync_server.core.security import hash_password, needs_rehash, verify_password
from sync_server.core.users import user_public
from sync_server.db import Database
from sync_server.models import AddressThrottle, AuthSession, LoginFailure, User
from sync_server.schemas import UserPublic

MAX_USER_FAILURES = 5
USER_LOCK = timedelta(minutes=15)
MAX_ADDRESS_FAILURES = 30
ADDRESS_WINDOW = timedelta(minutes=10)
ACCESS_TTL = timedelta(minutes=30)
REFRESH_TTL = {"desk": timedelta(days=30), "kiosk": timedelta(hours=8), "phone": timedelta(days=7)}
SESSION_KINDS = ("kiosk", "desk", "phone")

# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return as_utc(moment) if moment is not None else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def normalise_user_id(user_id: str) -> str:
    """The manual's rule: letters in a 学号/工号 are upper-case; surrounding blanks are not part of it."""
    return user_id.strip().upper()


def _invalid_credentials() -> Unauthorized:
    return Unauthorized("invalid_credentials", "学号/工号或密码错误")


def _retry_after(until: datetime) -> int:
    return max(1, int((until - now()).total_seconds()) + 1)


def _check_address(session: Session, address: str) -> AddressThrottle | None:
    row = session.get(AddressThrottle, address, with_for_update=True)
    if row is not None:
        start = _aware(row.window_start)
        assert start is not None
        if now() - start > ADDRESS_WINDOW:
            row.failures, row.window_start = 0, now()
        elif row.failures >= MAX_ADDRESS_FAILURES:
            raise TooMany(
                "too_many_attempts", "尝试次数过多，请稍后再试", retry_after=_retry_after(start + ADDRESS_WINDOW)
            )
    return row


def _record_failure(session: Session, key: str, address: str, address_row: AddressThrottle | None) -> None:
    failure = session.get(LoginFailure, key, with_for_update=True)
    if failure is None:
        failure = LoginFailure(user_key=key, failures=0, window_start=now())
        session.add(failure)
    failure.failures += 1
    if failure.failures >= MAX_USER_FAILURES:
        failure.locked_until = now() + USER_LOCK
    if address_row is None:
        session.add(AddressThrottle(address=address, failures=1, window_start=now()))
    else:
        address_row.failures += 1


def check_password_outside_lock(read: Session, user_id: str, password: str) -> tuple[str | None, bool]:
    """The slow part of a login (argon2, tens of milliseconds by design), done on a read snapshot before the
    write transaction: on SQLite the write lock must not be held while hashing, or every sync waits for
    every login. Returns (the hash that was checked, whether the password matched it)."""
    key = normalise_user_id(user_id)[:64]
    user = read.get(User, key) if key else None
    stored = user.password_hash if user else None
    return stored, verify_password(stored or _DUMMY_HASH, password)


def authenticate(
    session: Session, user_id: str, password: str, address: str, checked: tuple[str | None, bool] | None = None
) -> User:
    """The user for these credentials, or the refusal: invalid_credentials (one message for a wrong name and a
    wrong password), account_locked after 5 failures (for 15 min), too_many_attempts from one address. Failures
    are counted in the caller's transaction, which must commit even when this raises."""
    key = normalise_user_id(user_id)[:64]
    address_row = _check_address(session, address)
    failure = session.get(LoginFailure, key)
    locked_until = _aware(failure.locked_until) if failure else None
    if locked_until is not None and locked_until > now():
        raise Locked("account_locked", "账号已临时锁定，请稍后再试", retry_after=_retry_after(locked_until))
    user = session.get(User, key) if key else None
    stored = user.password_hash if user else None
    if checked is not None and checked[0] == stored:
        ok = checked[1]  # verified before the lock, against the hash that is still current
    else:
        ok = verify_password(stored or _DUMMY_HASH, password)
    if user is None or not ok:
        _record_failure(session, key, address, address_row)
        raise _invalid_credentials()
    if failure is not None:
        session.delete(failure)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@dataclass
class IssuedTokens:
    session: AuthSession
    access_token: str
    refresh_token: str | None


def create_session(
    session: Session,
    user: User,
    kind: str,
    *,
    device_id: str | None = None,
    device_name: str | None = None,
    address: str | None = None,
    user_agent: str | None = None,
    with_refresh: bool = True,
    device_ref: str | None = None,
) -> IssuedTokens:
    access, refresh = new_token(), new_token() if with_refresh else None
    moment = now()
    row = AuthSession(
        id=secrets.token_hex(16),
        user_id=user.user_id,
        kind=kind,
        access_hash=token_hash(access),
        refresh_hash=token_hash(refresh) if refresh else None,
        device_id=device_id,
        device_name=device_name,
        address=address,
        user_agent=(user_agent or "")[:200] or None,
        created_at=moment,
        last_seen_at=moment,
        access_expires_at=moment + ACCESS_TTL,
        refresh_expires_at=moment + REFRESH_TTL[kind] if refresh else None,
        op_key=op_signing.new_op_key() if kind in ("kiosk", "desk") else None,
        device_ref=device_ref,
    )
    session.add(row)
    return IssuedTokens(row, access, refresh)


# A session's last use is written at most this often (here, and by a push: core/sync_hot.use_recorder).
TOUCH_EVERY = timedelta(minutes=1)


def resolve_access_token(session: Session, token: str, *, touch: bool = True) -> tuple[User, AuthSession]:
    """The user and session of an access token, or Unauthorized. `touch` records the use (at most once a minute);
    readers on a read-only snapshot pass False."""
    # The session and its user in one query: this runs on every request (bench/README.md, "the write path").
    found = session.execute(
        select(AuthSession, User)
        .join(User, User.user_id == AuthSession.user_id)
        .where(AuthSession.access_hash == token_hash(token))
    ).first()
    if found is None or found[0].revoked_at is not None:
        raise Unauthorized("invalid_token", "登录已失效，请重新登录")
    row, user = found
    expires = _aware(row.access_expires_at)
    assert expires is not None
    if expires <= now():
        raise Unauthorized("token_expired", "登录已过期，请重新登录")
    seen = _aware(row.last_seen_at)
    if touch and (seen is None or now() - seen > TOUCH_EVERY):  # keep writes rare on the hot path
        row.last_seen_at = now()
    return user, row


def refresh_session(session: Session, refresh_token: str) -> IssuedTokens:
    """Rotate: a new access and refresh token; the old refresh token stops working. Presenting an already
    rotated refresh token means it was copied: the whole session is revoked."""
    digest = token_hash(refresh_token)
    row = session.scalar(select(AuthSession).where(AuthSession.refresh_hash == digest).with_for_update())
    if row is None:
        reused = session.scalar(select(AuthSession).where(AuthSession.previous_refresh_hash == digest))
        if reused is not None and reused.revoked_at is None:
            reused.revoked_at, reused.revoke_reason = now(), "refresh_reuse"
        raise Unauthorized("invalid_token", "登录已失效，请重新登录")
    expires = _aware(row.refresh_expires_at)
    if row.revoked_at is not None or expires is None or expires <= now():
        raise Unauthorized("invalid_token", "登录已失效，请重新登录")
    access, refresh = new_token(), new_token()
    row.previous_refresh_hash = row.refresh_hash
    row.refresh_hash = token_hash(refresh)
    row.access_hash = token_hash(access)
    row.access_expires_at = now() + ACCESS_TTL
    row.last_seen_at = now()
    return IssuedTokens(row, access, refresh)


def revoke_session(row: AuthSession, reason: str) -> None:
    if row.revoked_at is None:
        row.revoked_at, row.revoke_reason = now(), reason


def revoke_all(session: Session, user_id: str, reason: str, *, except_id: str | None = None) -> int:
    query = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if except_id:
        query = query.where(AuthSession.id != except_id)
    result = session.execute(query.values(revoked_at=now(), revoke_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def withdraw_op_keys(session: Session, user_id: str, *, except_id: str | None = None) -> int:
    """Delete the operation keys of the user's sessions, ended ones included: what a terminal queued in them can
    no longer be delivered (push_granted answers op_grant_invalid). Logging out keeps the key, so that a kiosk
    can still deliver; a password that may be known to someone else must not leave them a key."""
    query = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.op_key.is_not(None))
    if except_id:
        query = query.where(AuthSession.id != except_id)
    result = session.execute(query.values(op_key=None))
    return int(getattr(result, "rowcount", 0) or 0)


def change_password(session: Session, user: User, current: AuthSession, old: str, new: str) -> None:
    if not verify_password(user.password_hash, old):
        raise Forbidden("wrong_password", "原密码不正确")
    found = password_policy.problems(user.user_id, new, old)
    if found:
        raise Invalid("weak_password", "；".join(p.message for p in found), problems=[p.code for p in found])
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now()
    # Other logins used the old password: they end, and so do their keys; this one goes on.
    revoke_all(session, user.user_id, "password_changed", except_id=current.id)
    withdraw_op_keys(session, user.user_id, except_id=current.id)


def reset_password(session: Session, user: User, initial: str) -> None:
    """Admin: back to an initial password (the manual's rule), to be changed at the next login."""
    user.password_hash = hash_password(initial)
    user.must_change_password = True
    unlock(session, user.user_id)
    revoke_all(session, user.user_id, "password_reset")
    withdraw_op_keys(session, user.user_id)


def unlock(session: Session, user_id: str) -> None:
    failure = session.get(LoginFailure, user_id)
    if failure is not None:
        session.delete(failure)


# -- logins as the API answers them ---------------------------------------------------------------------------
@dataclass
class SignedIn:
    """A login as its client gets it: the tokens, the user, and the user as clients see them."""

    tokens: IssuedTokens
    user: User
    profile: UserPublic


def signed_in(session: Session, user: User, tokens: IssuedTokens) -> SignedIn:
    return SignedIn(tokens, user, user_public(session, user))


def log_in(
    db: Database,
    *,
    user_id: str,
    password: str,
    kind: str,
    address: str,
    device_id: str | None = None,
    device_name: str | None = None,
    user_agent: str | None = None,
    device_ref: str | None = None,
) -> SignedIn:
    """A password login: the password hashed on a read snapshot, then one transaction that counts a failure (and
    commits it although the login is refused: `authenticate`) or opens the session."""
    with db.read_sessions() as read:
        checked = check_password_outside_lock(read, user_id, password)
    with db.sessions() as session:
        try:
            user = authenticate(session, user_id, password, address, checked)
        except DomainError:
            session.commit()  # the failure counters must stick although the login fails
            raise
        issued = create_session(
            session,
            user,
            kind,
            device_id=device_id,
            device_name=device_name,
            address=address,
            user_agent=user_agent,
            device_ref=device_ref,
        )
        result = signed_in(session, user, issued)
        session.commit()
        return result


def refresh(sessions: sessionmaker[Session], *, refresh_token: str) -> SignedIn:
    """New tokens for a refresh token (`refresh_session`); a detected reuse revokes its session for good, committed
    although the refresh is refused."""
    with sessions() as session:
        try:
            issued = refresh_session(session, refresh_token)
        except DomainError:
            session.commit()
            raise
        user = session.get(User, issued.session.user_id)
        assert user is not None
        result = signed_in(session, user, issued)
        session.commit()
        return result


# -- a user's own sessions, and an admin's help ---------------------------------------------------------------
def live_sessions(session: Session, *, user_id: str) -> list[AuthSession]:
    """The user's logins that still work (not revoked, a token not expired), the last used first."""
    rows = session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .order_by(AuthSession.last_seen_at.desc())
    ).all()
    moment = now()
    return [r for r in rows if (_aware(r.refresh_expires_at) or _aware(r.access_expires_at) or moment) > moment]


def revoke_own_session(session: Session, *, user_id: str, session_id: str) -> None:
    row = session.get(AuthSession, session_id)
    # Someone else's session is as unknown as a missing one.
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        raise NotFound("session_not_found", "没有这个登录")
    revoke_session(row, "revoked_by_user")


def _account(session: Session, user_id: str) -> User:
    user = session.get(User, normalise_user_id(user_id))
    if user is None:
        raise NotFound("user_not_found", "没有这个用户")
    return user


def unlock_account(session: Session, *, user_id: str) -> None:
    """Admin: lift a login lockout (5 wrong passwords)."""
    unlock(session, _account(session, user_id).user_id)


def reset_account_password(session: Session, *, user_id: str, initial: str) -> None:
    """Admin: back to an initial password, to be changed at the next login (`reset_password`)."""
    reset_password(session, _account(session, user_id), initial)
