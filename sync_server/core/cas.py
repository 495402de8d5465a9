"""CAS single sign-on (Apereo CAS protocol 2.0 and 3.0): the portal signs its users into registered campus systems.

The registry of allowed services, the tickets, and the decisions of /cas/login, /cas/logout and the validation
endpoints, as plain functions; api/routes/cas.py turns them into HTTP. Three kinds of ticket, all stored by their
SHA-256 (models.CasTicket), all from the same alphabet the protocol allows (letters, digits, "-"):

- HO-…  a login hand-off: the signed-in desk client asks for one and opens /cas/login with it in the system
        browser, so nobody types a password again. One use, bound to one service, 60 s.
- ST-…  a service ticket, handed to the service in the redirect and validated by it once. One validation attempt,
        whatever its outcome (the spec's rule), bound to the service it was issued for, 10 s.
- TGC-… the browser's single sign-on session (the ticket-granting cookie), 8 h, ended by /cas/logout, by a
        password change, or by a reset to the initial password.

Proxy tickets (pgtUrl, /proxy) are not issued: a pgtUrl is ignored, which the spec allows (a callback that fails
leaves the validation successful but without a <cas:proxyGrantingTicket>). docs/cas.md tells the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from sync_server.core import auth
from sync_server.core.clock import as_utc, now
from sync_server.core.config import ENV_PREFIX
from sync_server.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from sync_server.models import CasService, CasTicket, Department, User

MAX_SERVICE_LENGTH = 2048
_ALPHABET = string.ascii_letters + string.digits
# A service must accept tickets of 32 characters; longer ones are only "recommended" (spec 3.1.1): ST-… is 32.
_RANDOM_CHARS = {"HO": 40, "ST": 29, "TGT": 40}
_PREFIX = {"HO": "HO-", "ST": "ST-", "TGT": "TGC-"}
CAS_NAMESPACE = "http://www.yale.edu/tp/cas"


@dataclass(frozen=True)
class CasSettings:
    """How long each ticket lives. From CAMPUS_SYNC_CAS_TICKET_TTL, _CAS_HANDOFF_TTL (seconds) and
    _CAS_SSO_HOURS."""

    ticket_ttl: timedelta = timedelta(seconds=10)  # Apereo CAS's default; the spec asks for at most 5 minutes
    handoff_ttl: timedelta = timedelta(seconds=60)
    sso_ttl: timedelta = timedelta(hours=8)  # a working day; the cookie itself ends with the browser

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> CasSettings:
        env = dict(os.environ if env is None else env)

        def number(name: str, default: float, low: float, high: float) -> float:
            raw = env.get(ENV_PREFIX + name, "")
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{name}: not a number: {raw!r}") from None
            if not low <= value <= high:
                raise ValueError(f"{ENV_PREFIX}{name}: between {low:g} and {high:g}, not {raw!r}")
            return value

        return cls(
            ticket_ttl=timedelta(seconds=number("CAS_TICKET_TTL", 10, 1, 300)),
            handoff_ttl=timedelta(seconds=number("CAS_HANDOFF_TTL", 60, 5, 600)),
            sso_ttl=timedelta(hours=number("CAS_SSO_HOURS", 8, 0.1, 24 * 30)),
        )


# -- service URLs and the registry -----------------------------------------------------------------------------
def _invalid_service() -> Invalid:
    return Invalid("cas_service_invalid", "应用地址无效")


def normalise_service(url: str, *, prefix: bool = False) -> str:
    """The service URL in one spelling (scheme and host lower-case, no fragment, "/" for an empty path), or
    Invalid. Refused: anything but http(s), user info (https://jwxt@evil/), control characters, backslashes,
    "." and ".." path segments, text that is not UTF-8, more than 2,048 characters. A registry prefix (`prefix`)
    has no query either."""
    if not isinstance(url, str) or not url or len(url) > MAX_SERVICE_LENGTH:
        raise _invalid_service()
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise _invalid_service() from None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F or c == "\\" for c in url):
        raise _invalid_service()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid_service() from None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None or "@" in parts.netloc:
        raise _invalid_service()
    if any(seg in (".", "..") for seg in unquote(parts.path).split("/")):
        raise _invalid_service()
    if prefix and parts.query:
        raise _invalid_service()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{parts.path or '/'}{query}"


def _covers(prefix: str, service: str) -> bool:
    """Whether a registry prefix allows a (normalised) service: the same origin, and a path at or below the
    prefix's path, cut at a "/" (https://oa.example/app covers /app and /app/x, not /application)."""
    p, s = urlsplit(prefix), urlsplit(service)
    if (p.scheme, p.netloc) != (s.scheme, s.netloc):
        return False
    if p.path.endswith("/"):
        return s.path.startswith(p.path)
    return s.path == p.path or s.path.startswith(p.path + "/")


def registered(session: Session, service: str) -> CasService | None:
    """The enabled registry entry that allows this (normalised) service, the longest prefix first."""
    rows = session.scalars(select(CasService).where(CasService.enabled.is_(True))).all()
    matching = [row for row in rows if _covers(row.url_prefix, service)]
    return max(matching, key=lambda row: len(row.url_prefix)) if matching else None


def allowed_service(session: Session, url: str) -> str:
    """The normalised service URL when the registry allows it; Invalid or Forbidden (cas_service_unknown)."""
    service = normalise_service(url)
    if registered(session, service) is None:
        raise Forbidden("cas_service_unknown", "该应用未登记为统一身份认证服务")
    return service


def add_service(session: Session, *, name: str, url_prefix: str, app_code: str | None = None) -> CasService:
    prefix = normalise_service(url_prefix.strip(), prefix=True)
    name = name.strip()
    if not name or len(name) > 64:
        raise Invalid("cas_service_name", "名称应为 1 到 64 个字符")
    if session.scalar(select(CasService).where(CasService.url_prefix == prefix)) is not None:
        raise Conflict("cas_service_exists", f"已登记：{prefix}")
    row = CasService(name=name, url_prefix=prefix, app_code=app_code, enabled=True, created_at=now())
    session.add(row)
    session.flush()
    return row


def list_services(session: Session) -> list[CasService]:
    return list(session.scalars(select(CasService).order_by(CasService.url_prefix)))


def remove_service(session: Session, *, key: str) -> CasService:
    """Remove by id or by URL prefix (as `add` printed it); NotFound otherwise."""
    row = session.get(CasService, int(key)) if key.isdigit() and len(key) < 10 else None
    if row is None:
        try:
            prefix = normalise_service(key.strip(), prefix=True)
        except Invalid:
            prefix = ""
        row = session.scalar(select(CasService).where(CasService.url_prefix == prefix))
    if row is None:
        raise NotFound("cas_service_not_found", f"没有登记这个应用：{key}")
    session.delete(row)
    return row


def seed_services(session: Session, entries: list[dict[str, str]]) -> int:
    """Register the demo's services (seed/cas_services.json) that are not registered yet; returns how many."""
    added = 0
    for entry in entries:
        prefix = normalise_service(entry["url_prefix"], prefix=True)
        if session.scalar(select(CasService).where(CasService.url_prefix == prefix)) is None:
            session.add(
                CasService(
                    name=entry["name"], url_prefix=prefix, app_code=entry.get("app"), enabled=True, created_at=now()
                )
            )
            added += 1
    return added


# -- tickets ---------------------------------------------------------------------------------------------------
def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _issue(
    session: Session,
    kind: str,
    user_id: str,
    ttl: timedelta,
    *,
    service: str | None = None,
    from_new_login: bool = False,
    authenticated_at: datetime | None = None,
) -> str:
    value = _PREFIX[kind] + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_CHARS[kind]))
    moment = now()
    session.add(
        CasTicket(
            digest=_digest(value),
            kind=kind,
            user_id=user_id,
            service=service,
            from_new_login=from_new_login,
            authenticated_at=authenticated_at or moment,
            created_at=moment,
            expires_at=moment + ttl,
        )
    )
    return value


def _claim(session: Session, kind: str, value: str) -> CasTicket | None:
    """A one-time ticket, marked used by this call, or None when unknown or already used. The UPDATE … WHERE
    used_at IS NULL lets only one of two workers racing for the same ticket have it."""
    if not value.startswith(_PREFIX[kind]) or len(value) > 256:
        return None
    digest = _digest(value)
    claimed = session.execute(
        update(CasTicket)
        .where(CasTicket.digest == digest, CasTicket.kind == kind, CasTicket.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        return None
    return session.get(CasTicket, digest)


def _live(row: CasTicket) -> bool:
    return as_utc(row.expires_at) > now()


def issue_handoff(session: Session, *, user: User, service: str, settings: CasSettings) -> str:
    """A login hand-off for the signed-in desk client's user, for one registered service."""
    return _issue(session, "HO", user.user_id, settings.handoff_ttl, service=allowed_service(session, service))


def _sso_session(session: Session, tgc: str | None) -> tuple[User, CasTicket] | None:
    """The user of a live single sign-on session. A password changed or reset since it began ends it, as
    it ends the user's other logins (core/auth.py revokes those)."""
    if not tgc or not tgc.startswith(_PREFIX["TGT"]) or len(tgc) > 256:
        return None
    row = session.get(CasTicket, _digest(tgc))
    if row is None or row.kind != "TGT" or not _live(row):
        return None
    user = session.get(User, row.user_id)
    if user is None or user.must_change_password:
        return None
    changed = user.password_changed_at
    if changed is not None and as_utc(changed) > as_utc(row.authenticated_at):
        return None
    return user, row


def purge_expired(session: Session) -> int:
    """Delete tickets past their end (a minute's grace, so a replay still finds its used ticket)."""
    stale = delete(CasTicket).where(CasTicket.expires_at < now() - timedelta(minutes=1))
    # Not synchronised with the session's objects: none of them is stale, and SQLite's naive datetimes would
    # not compare with aware ones in Python.
    result = session.execute(stale.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


# -- /cas/login and /cas/logout --------------------------------------------------------------------------------
@dataclass
class LoginOutcome:
    """What /cas/login does: "redirect" to `location` (to the service, with or without a ticket), show the
    "form" (with `refusal` when a login was refused), show "signed_in" (no service, an SSO session), or refuse
    an "unknown_service" without redirecting anywhere. `tgc` is a new SSO session for the browser's cookie."""

    kind: str
    service: str | None = None
    location: str | None = None
    tgc: str | None = None
    user_name: str | None = None
    refusal: DomainError | None = None
    notice: str | None = None


def with_ticket(service: str, ticket: str) -> str:
    return f"{service}{'&' if '?' in service else '?'}ticket={ticket}"


def _ticket_for(
    session: Session, user: User, service: str, settings: CasSettings, *, new_login: bool, since: datetime
) -> str:
    purge_expired(session)
    return _issue(
        session,
        "ST",
        user.user_id,
        settings.ticket_ttl,
        service=service,
        from_new_login=new_login,
        authenticated_at=since,
    )


def login(
    sessions: sessionmaker[Session],
    *,
    service: str | None,
    renew: bool,
    gateway: bool,
    handoff: str | None,
    tgc: str | None,
    settings: CasSettings,
) -> LoginOutcome:
    """/cas/login as credential requestor (spec 2.1), in one transaction. A hand-off signs the browser in (and
    opens its SSO session); an SSO session issues a ticket without a password; renew=true asks for credentials
    whatever the browser has; gateway=true goes back to the service without a ticket rather than ask."""
    with sessions() as session:
        normalised: str | None = None
        if service:
            try:
                normalised = allowed_service(session, service)
            except DomainError as exc:
                return LoginOutcome("unknown_service", refusal=exc)
        notice = None
        if handoff and not renew:
            claimed = _claim(session, "HO", handoff)
            if claimed is not None and _live(claimed) and claimed.service == normalised and normalised:
                user = session.get(User, claimed.user_id)
                if user is not None and not user.must_change_password:
                    moment = now()
                    new_tgc = _issue(session, "TGT", user.user_id, settings.sso_ttl, authenticated_at=moment)
                    ticket = _ticket_for(session, user, normalised, settings, new_login=False, since=moment)
                    session.commit()
                    return LoginOutcome("redirect", normalised, with_ticket(normalised, ticket), new_tgc, user.name)
            session.commit()  # the hand-off is spent even when it did not fit
            notice = "登录链接已失效，请输入账号和密码"
        current = None if renew else _sso_session(session, tgc)
        if current is not None:
            user, tgt = current
            if normalised is None:
                return LoginOutcome("signed_in", user_name=user.name)
            ticket = _ticket_for(
                session, user, normalised, settings, new_login=False, since=as_utc(tgt.authenticated_at)
            )
            session.commit()
            return LoginOutcome("redirect", normalised, with_ticket(normalised, ticket), user_name=user.name)
        if gateway and not renew and normalised is not None:
            return LoginOutcome("redirect", normalised, normalised)
        return LoginOutcome("form", normalised, notice=notice)


def login_with_password(
    db_sessions: sessionmaker[Session],
    read_sessions: sessionmaker[Session],
    *,
    user_id: str,
    password: str,
    address: str,
    service: str | None,
    settings: CasSettings,
) -> LoginOutcome:
    """/cas/login as credential acceptor (spec 2.2): the password checked with core/auth.py's lockout and
    throttling (a refusal's counters commit), then a new SSO session and, for a service, a ticket."""
    with db_sessions() as session:
        normalised: str | None = None
        if service:
            try:
                normalised = allowed_service(session, service)
            except DomainError as exc:
                return LoginOutcome("unknown_service", refusal=exc)
    with read_sessions() as read:
        checked = auth.check_password_outside_lock(read, user_id, password)
    with db_sessions() as session:
        try:
            user = auth.authenticate(session, user_id, password, address, checked)
        except DomainError as exc:
            session.commit()  # the failure counters stick although the login fails
            return LoginOutcome("form", normalised, refusal=exc)
        if user.must_change_password:
            session.commit()
            refusal = Forbidden(
                "password_change_required", "首次登录需要修改初始密码：请先在自助终端或桌面端登录并修改"
            )
            return LoginOutcome("form", normalised, refusal=refusal)
        moment = now()
        new_tgc = _issue(session, "TGT", user.user_id, settings.sso_ttl, from_new_login=True, authenticated_at=moment)
        if normalised is None:
            session.commit()
            return LoginOutcome("signed_in", tgc=new_tgc, user_name=user.name)
        ticket = _ticket_for(session, user, normalised, settings, new_login=True, since=moment)
        session.commit()
        return LoginOutcome("redirect", normalised, with_ticket(normalised, ticket), new_tgc, user.name)


def logout(sessions: sessionmaker[Session], *, tgc: str | None, service: str | None) -> str | None:
    """End the browser's SSO session (spec 2.3); the registered service to go back to, if one was named."""
    with sessions() as session:
        if tgc and tgc.startswith(_PREFIX["TGT"]) and len(tgc) <= 256:
            ended = delete(CasTicket).where(CasTicket.digest == _digest(tgc), CasTicket.kind == "TGT")
            session.execute(ended.execution_options(synchronize_session=False))
        back = None
        if service:
            try:
                back = allowed_service(session, service)
            except DomainError:
                back = None
        session.commit()
        return back


# -- validation ------------------------------------------------------------------------------------------------
class CasFailure(Exception):
    """A validation failure as the protocol answers it: INVALID_REQUEST, INVALID_TICKET_SPEC, INVALID_TICKET,
    INVALID_SERVICE (spec 2.5.3)."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Validated:
    user_id: str
    attributes: dict[str, str] = field(default_factory=dict)


def _shown(ticket: str) -> str:
    """The ticket as a failure message may quote it: only the protocol's characters, at most 256."""
    return "".join(c for c in ticket[:256] if c in _ALPHABET or c == "-")


def validate(sessions: sessionmaker[Session], *, ticket: str | None, service: str | None, renew: bool) -> Validated:
    """/serviceValidate and /p3/serviceValidate (spec 2.5, 2.6): the ticket's user and attributes, or a
    CasFailure. The ticket is spent by the attempt whatever its outcome, a wrong service included (spec 3.1.1)."""
    if not ticket or not service:
        raise CasFailure("INVALID_REQUEST", "'ticket' and 'service' parameters are both required")
    if not ticket.startswith(_PREFIX["ST"]):
        raise CasFailure("INVALID_TICKET_SPEC", f"Ticket {_shown(ticket)} is not a service ticket")
    with sessions() as session:
        row = _claim(session, "ST", ticket)
        session.commit()
        if row is None:
            raise CasFailure("INVALID_TICKET", f"Ticket {_shown(ticket)} not recognized")
        if not _live(row):
            raise CasFailure("INVALID_TICKET", f"Ticket {_shown(ticket)} has expired")
        try:
            presented = normalise_service(service)
        except Invalid:
            presented = None
        if presented is None or presented != row.service:
            raise CasFailure("INVALID_SERVICE", f"Ticket {_shown(ticket)} does not match the service")
        if renew and not row.from_new_login:
            raise CasFailure("INVALID_TICKET_SPEC", "The ticket was not issued from a new login (renew)")
        user = session.get(User, row.user_id)
        if user is None:
            raise CasFailure("INVALID_TICKET", f"Ticket {_shown(ticket)} not recognized")
        department = session.get(Department, user.department_code) if user.department_code else None
        attributes = {
            "uid": user.user_id,
            "name": user.name,
            "role": user.role,
            "department": department.name if department else "",
            "departmentCode": user.department_code or "",
            "email": user.email or "",
            "authenticationDate": as_utc(row.authenticated_at).isoformat().replace("+00:00", "Z"),
            "isFromNewLogin": "true" if row.from_new_login else "false",
            "longTermAuthenticationRequestTokenUsed": "false",
        }
        return Validated(user.user_id, {k: v for k, v in attributes.items() if v != ""})


# -- the answers, as the protocol writes them ------------------------------------------------------------------
def xml_success(result: Validated, *, with_attributes: bool) -> str:
    lines = [f'<cas:serviceResponse xmlns:cas="{CAS_NAMESPACE}">', "  <cas:authenticationSuccess>"]
    lines.append(f"    <cas:user>{escape(result.user_id)}</cas:user>")
    if with_attributes:
        lines.append("    <cas:attributes>")
        lines += [f"      <cas:{k}>{escape(v)}</cas:{k}>" for k, v in result.attributes.items()]
        lines.append("    </cas:attributes>")
    lines += ["  </cas:authenticationSuccess>", "</cas:serviceResponse>", ""]
    return "\n".join(lines)


def xml_failure(failure: CasFailure) -> str:
    return (
        f'<cas:serviceResponse xmlns:cas="{CAS_NAMESPACE}">\n'
        f'  <cas:authenticationFailure code="{failure.code}">{escape(failure.description)}'
        "</cas:authenticationFailure>\n</cas:serviceResponse>\n"
    )


def json_success(result: Validated) -> str:
    success = {"user": result.user_id, "attributes": result.attributes}
    return json.dumps({"serviceResponse": {"authenticationSuccess": success}}, ensure_ascii=False)


def json_failure(failure: CasFailure) -> str:
    body = {"code": failure.code, "description": failure.description}
    return json.dumps({"serviceResponse": {"authenticationFailure": body}}, ensure_ascii=False)
