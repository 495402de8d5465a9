"""Route dependencies, as Annotated types (FastAPI template style)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sync_server.core import devices, sync_hot
from sync_server.core.auth import resolve_access_token
from sync_server.core.clock import as_utc
from sync_server.core.errors import Forbidden, Unauthorized
from sync_server.db import Database
from sync_server.models import AuthSession, User


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    with db.sessions.begin() as session:
        yield session


def get_read_session(db: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    """A read-only snapshot that neither waits for nor blocks writers (SQLite: plain BEGIN under WAL)."""
    with db.read_sessions() as session:
        yield session


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


# scope="function": commit before the response is sent, so a 200 always means the change is durable (the
# default, "request", would commit after the client already has its answer).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# The enrolled terminal's credential (core/devices.py), sent by the kiosk on every request.
DEVICE_HEADER = "X-Device-Credential"


def enforcing_devices(request: Request) -> bool:
    return bool(request.app.state.settings.require_enrolled_kiosks)


def check_kiosk_device(request: Request, session: Session, kind: str, bound_to: str | None = None) -> None:
    """A kiosk-mode request (a kiosk session's token, a kiosk login, a QR ticket) must come from an enrolled
    device that is not revoked, when the server requires it: device_unknown (401) or device_revoked (403); a
    session opened on one enrolled device (`bound_to`) goes with that device's credential only (device_mismatch)."""
    if kind == "kiosk" and enforcing_devices(request):
        device = devices.authenticate(session, request.headers.get(DEVICE_HEADER))
        if bound_to is not None and device.id != bound_to:
            raise Unauthorized("device_mismatch", "此登录不属于本设备，请重新登录")


@dataclass
class Principal:
    user: User
    session: AuthSession


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        raise Unauthorized("unauthorized", "请先登录")
    return token.strip()


def get_principal_allow_restricted(request: Request, session: SessionDep) -> Principal:
    """The logged-in user, even one who must still change the initial password."""
    user, auth_session = resolve_access_token(session, _bearer(request))
    check_kiosk_device(request, session, auth_session.kind, auth_session.device_ref)
    return Principal(user, auth_session)


def get_principal(principal: Annotated[Principal, Depends(get_principal_allow_restricted)]) -> Principal:
    """The logged-in user, who has changed the initial password (the manual: before anything else)."""
    if principal.user.must_change_password:
        raise Forbidden("password_change_required", "首次登录需要修改密码")
    return principal


def get_optional_principal(request: Request, session: SessionDep) -> Principal | None:
    """For routes open to anyone that show more to a logged-in user: None without an Authorization header;
    a header that is there must be valid (401) and its user past the initial password (403)."""
    if not request.headers.get("authorization"):
        return None
    return get_principal(get_principal_allow_restricted(request, session))


def get_optional_principal_read(request: Request, session: ReadSessionDep) -> Principal | None:
    """OptionalPrincipal on a read-only snapshot (nothing is written, not even the last use)."""
    if not request.headers.get("authorization"):
        return None
    user, auth_session = resolve_access_token(session, _bearer(request), touch=False)
    check_kiosk_device(request, session, auth_session.kind, auth_session.device_ref)
    return get_principal(Principal(user, auth_session))


def principal_in(session: Session, request: Request, *, touch: bool = True) -> Principal:
    """The logged-in user (past the initial password), resolved in the caller's own session. For routes that do
    all their database work in one call on one thread: a session opened by a dependency keeps its pooled
    connection across FastAPI's thread hops, and under a burst every thread can end up waiting for a connection
    held by a request that waits for a thread (bench/README.md, "the server under load"). `touch=False` on a
    read-only snapshot: the token is checked, its last use not recorded."""
    user, auth_session = resolve_access_token(session, _bearer(request), touch=touch)
    check_kiosk_device(request, session, auth_session.kind, auth_session.device_ref)
    return get_principal(Principal(user, auth_session))


AnyPrincipal = Annotated[Principal, Depends(get_principal_allow_restricted)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]
OptionalPrincipalRead = Annotated[Principal | None, Depends(get_optional_principal_read)]


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.user.role not in roles:
            raise Forbidden("forbidden", "没有权限执行此操作")
        return principal

    return check


AdminPrincipal = Annotated[Principal, Depends(require_roles("admin"))]


def get_principal_committed(request: Request, db: DatabaseDep) -> Principal:
    """The logged-in user, resolved in a transaction of its own that is already committed. For routes that
    write in transactions of their own: an open request transaction that touched the session row would hold
    SQLite's write lock against them."""
    with db.sessions.begin() as session:
        user, auth_session = resolve_access_token(session, _bearer(request))
        check_kiosk_device(request, session, auth_session.kind, auth_session.device_ref)
    if user.must_change_password:
        raise Forbidden("password_change_required", "首次登录需要修改密码")
    return Principal(user, auth_session)


def get_principal_for_write(request: Request, db: Database) -> tuple[Principal, Callable[[Session], None] | None]:
    """The logged-in user, resolved on a read-only snapshot, for a route that then writes in one transaction
    of its own (sync push). Nothing here takes SQLite's write lock or commits: the check used to be a write
    transaction of its own, with its BEGIN IMMEDIATE and commit, on every push (bench/README.md, "the write
    path"). When the token's use is due to be recorded, the second value is the step that records it, for the
    caller to run inside its own transaction; otherwise None."""
    with db.read_sessions() as session:
        user, auth_session = resolve_access_token(session, _bearer(request), touch=False)
        check_kiosk_device(request, session, auth_session.kind, auth_session.device_ref)
    if user.must_change_password:
        raise Forbidden("password_change_required", "首次登录需要修改密码")
    seen = as_utc(auth_session.last_seen_at) if auth_session.last_seen_at is not None else None
    return Principal(user, auth_session), sync_hot.use_recorder(auth_session.id, seen)


CommittedPrincipal = Annotated[Principal, Depends(get_principal_committed)]


def check_departed_session_device(request: Request, db: Database, session_id: str) -> None:
    """A token-less push of a kiosk session's operations (its user has left) is a kiosk-mode request too."""
    if not enforcing_devices(request):
        return
    with db.read_sessions() as session:
        row = session.get(AuthSession, session_id)
        if row is not None:
            check_kiosk_device(request, session, row.kind, row.device_ref)
