"""CAS single sign-on over HTTP (core/cas.py decides): the desk client's login hand-off (/api/v1/cas/handoff), the
browser's /cas/login and /cas/logout (small server-rendered pages, as the phone pages), and the validation
endpoints a campus system calls (/cas/validate, /cas/serviceValidate, /cas/p3/serviceValidate)."""

from __future__ import annotations

import html
import secrets
from typing import Annotated
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sync_server.api.deps import CurrentPrincipal, SessionDep, client_address
from sync_server.api.errors import error_responses, status_of
from sync_server.api.routes.auth import public_base
from sync_server.core import cas
from sync_server.core.errors import Forbidden, TooLarge
from sync_server.db import Database

api = APIRouter(prefix="/api/v1/cas", tags=["cas"])
router = APIRouter(prefix="/cas", tags=["cas"])

TGC_COOKIE = "CASTGC"
FORM_COOKIE = "cas_lt"  # the login form's anti-forgery token, sent back as a hidden field
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

OptionalParam = Annotated[str | None, Query()]
PgtUrlParam = Annotated[str | None, Query(alias="pgtUrl", description="ignored: no proxy tickets")]
FormatParam = Annotated[str | None, Query(alias="format", description="XML (default) or JSON")]


class HandoffRequest(BaseModel):
    service: str = Field(min_length=1, max_length=cas.MAX_SERVICE_LENGTH, description="the campus system's URL")


class Handoff(BaseModel):
    url: str = Field(description="open in the system browser: /cas/login with a one-time hand-off")
    expires_in: int


def _settings(request: Request) -> cas.CasSettings:
    settings: cas.CasSettings = request.app.state.cas
    return settings


@api.post("/handoff", response_model=Handoff, responses=error_responses(401, 403, 422))
def handoff(body: HandoffRequest, request: Request, principal: CurrentPrincipal, session: SessionDep) -> Handoff:
    """A one-time link that signs the desk client's user into `service` in the system browser, no password typed."""
    if principal.session.kind != "desk":
        # A kiosk is a shared terminal that does not browse: it shows the app's QR code instead.
        raise Forbidden("cas_desk_only", "单点登录仅用于桌面端")
    settings = _settings(request)
    ticket = cas.issue_handoff(session, user=principal.user, service=body.service, settings=settings)
    service = cas.normalise_service(body.service)
    query = urlencode({"service": service, "handoff": ticket})
    return Handoff(
        url=f"{public_base(request)}/cas/login?{query}", expires_in=int(settings.handoff_ttl.total_seconds())
    )


# -- the browser's pages ---------------------------------------------------------------------------------------
_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f2f4f7;
color:#1c2430}
header{background:#0f3d7a;color:#fff;padding:16px 20px;font-size:20px;font-weight:bold}
main{padding:20px;max-width:480px;margin:auto}
.card{background:#fff;border:1px solid #d5dbe3;border-radius:10px;padding:20px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 12px;color:#0f3d7a}
p{font-size:17px;line-height:1.6;margin:8px 0}
label{display:block;font-size:16px;margin:12px 0 6px}
input{width:100%;box-sizing:border-box;font-size:18px;padding:12px;border:1px solid #d5dbe3;border-radius:8px}
button{width:100%;font-size:19px;padding:14px;border-radius:8px;border:0;margin-top:14px;background:#1f6fd1;color:#fff}
.error{color:#c62828}.muted{color:#56606e;font-size:15px}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)}</title><style>{_STYLE}</style></head>
<body><header>郑州工商学院 · 统一身份认证</header><main>{body}</main></body></html>"""
    # DENY: a login page in someone else's frame is a clickjacking trap.
    return HTMLResponse(document, status_code=status, headers={**_NO_STORE, "X-Frame-Options": "DENY"})


def _message(title: str, text: str, status: int = 200) -> HTMLResponse:
    return _page(title, f'<div class="card"><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></div>', status)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or (public_base(request).startswith("https://"))


def _login_form(request: Request, service: str | None, error: str = "", status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    err = f'<p class="error">{html.escape(error)}</p>' if error else ""
    target = f'<input type="hidden" name="service" value="{html.escape(service)}">' if service else ""
    where = "登录后将进入所选应用。" if service else "登录后，打开其他已接入的校内系统无需再次输入密码。"
    response = _page(
        "统一身份认证",
        f"""<div class="card"><h1>统一身份认证登录</h1><p class="muted">{where}</p>{err}
<form method="post" action="/cas/login">{target}<input type="hidden" name="lt" value="{token}">
<label for="u">学号/工号</label>
<input id="u" name="username" autocomplete="username" autocapitalize="characters" required maxlength="32">
<label for="p">密码</label>
<input id="p" name="password" type="password" autocomplete="current-password" required maxlength="128">
<button type="submit">登录</button></form></div>""",
        status,
    )
    response.set_cookie(
        FORM_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/cas/", max_age=1800
    )
    return response


def _with_tgc(request: Request, response: Response, tgc: str | None) -> Response:
    if tgc:
        # A session cookie (the spec: it ends with the browser); the server ends it sooner (CAS_SSO_HOURS).
        # Lax, not strict: the browser must send it when a campus system sends the user to /cas/login.
        response.set_cookie(TGC_COOKIE, tgc, httponly=True, samesite="lax", secure=_secure(request), path="/cas/")
    return response


def _answer(request: Request, outcome: cas.LoginOutcome) -> Response:
    if outcome.kind == "unknown_service":
        # Shown here, never redirected: /cas/login must not send anyone to a site the school did not register.
        refusal = outcome.refusal
        assert refusal is not None
        return _message("无法登录该应用", "该应用未登记为统一身份认证服务，请联系信息中心。", status_of(refusal))
    if outcome.kind == "redirect":
        assert outcome.location is not None
        redirect = RedirectResponse(outcome.location, status_code=302, headers=_NO_STORE)
        return _with_tgc(request, redirect, outcome.tgc)
    if outcome.kind == "signed_in":
        page = _message("已登录", f"{outcome.user_name or ''}，您已登录统一身份认证，可以打开校内系统了。")
        return _with_tgc(request, page, outcome.tgc)
    refusal = outcome.refusal
    if refusal is not None:
        return _login_form(request, outcome.service, refusal.message, status_of(refusal))
    return _login_form(request, outcome.service, outcome.notice or "")


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1", "yes")


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    service: OptionalParam = None,
    renew: OptionalParam = None,
    gateway: OptionalParam = None,
    handoff: OptionalParam = None,
) -> Response:
    """Credential requestor: a ticket for the service when the browser is signed in (hand-off or SSO cookie),
    else the login form (renew=true: always; gateway=true: back to the service without a ticket)."""
    db: Database = request.app.state.db
    outcome = cas.login(
        db.sessions,
        service=service,
        renew=_flag(renew),
        gateway=_flag(gateway),
        handoff=handoff,
        tgc=request.cookies.get(TGC_COOKIE),
        settings=_settings(request),
    )
    return _answer(request, outcome)


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > 8192:
        raise TooLarge("payload_too_large", "表单过大")
    parsed = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


@router.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request) -> Response:
    """Credential acceptor: the form's user name and password."""
    form = await _form(request)
    service = form.get("service") or None
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not secrets.compare_digest(expected.encode(), form.get("lt", "").encode()):
        return _login_form(request, service, "页面已过期，请重新输入", 400)
    db: Database = request.app.state.db
    settings = _settings(request)

    def work() -> cas.LoginOutcome:
        return cas.login_with_password(
            db.sessions,
            db.read_sessions,
            user_id=form.get("username", "")[:64],
            password=form.get("password", "")[:256],
            address=client_address(request),
            service=service,
            settings=settings,
        )

    return _answer(request, await run_in_threadpool(work))


@router.get("/logout", response_class=HTMLResponse)
def logout(request: Request, service: OptionalParam = None) -> Response:
    """End the browser's single sign-on; back to `service` when it is a registered one."""
    db: Database = request.app.state.db
    back = cas.logout(db.sessions, tgc=request.cookies.get(TGC_COOKIE), service=service)
    response: Response = (
        RedirectResponse(back, status_code=302, headers=_NO_STORE)
        if back
        else _message("已退出", "您已退出统一身份认证。为了安全，请关闭浏览器。")
    )
    response.delete_cookie(TGC_COOKIE, path="/cas/")
    return response


# -- validation: what a campus system calls --------------------------------------------------------------------
def _validated(request: Request, ticket: str | None, service: str | None, renew: str | None) -> cas.Validated:
    db: Database = request.app.state.db
    return cas.validate(db.sessions, ticket=ticket, service=service, renew=_flag(renew))


def _xml(text: str) -> Response:
    return Response(text, media_type="application/xml; charset=utf-8", headers={"Cache-Control": "no-store"})


def _service_validate(
    request: Request,
    ticket: str | None,
    service: str | None,
    renew: str | None,
    response_format: str | None,
    *,
    v3: bool,
) -> Response:
    fmt = (response_format or "XML").upper() if v3 else "XML"
    if fmt not in ("XML", "JSON"):
        return _xml(cas.xml_failure(cas.CasFailure("INVALID_REQUEST", "format must be XML or JSON")))
    # pgtUrl is ignored: no proxy-granting tickets (docs/cas.md); the spec lets the validation succeed without.
    try:
        result = _validated(request, ticket, service, renew)
    except cas.CasFailure as failure:
        if fmt == "JSON":
            return Response(cas.json_failure(failure), media_type="application/json")
        return _xml(cas.xml_failure(failure))
    if fmt == "JSON":
        return Response(cas.json_success(result), media_type="application/json", headers={"Cache-Control": "no-store"})
    return _xml(cas.xml_success(result, with_attributes=v3))


@router.get("/serviceValidate", response_class=Response)
@router.get("/proxyValidate", response_class=Response, include_in_schema=False)
def service_validate(
    request: Request,
    ticket: OptionalParam = None,
    service: OptionalParam = None,
    renew: OptionalParam = None,
    pgt_url: PgtUrlParam = None,
) -> Response:
    """CAS 2.0: the ticket's user as <cas:serviceResponse> XML."""
    return _service_validate(request, ticket, service, renew, None, v3=False)


@router.get("/p3/serviceValidate", response_class=Response)
@router.get("/p3/proxyValidate", response_class=Response, include_in_schema=False)
def service_validate_v3(
    request: Request,
    ticket: OptionalParam = None,
    service: OptionalParam = None,
    renew: OptionalParam = None,
    pgt_url: PgtUrlParam = None,
    response_format: FormatParam = None,
) -> Response:
    """CAS 3.0: the ticket's user and attributes (uid, name, role, department, email, …), XML or format=JSON."""
    return _service_validate(request, ticket, service, renew, response_format, v3=True)


@router.get("/validate", response_class=PlainTextResponse)
def validate_v1(
    request: Request, ticket: OptionalParam = None, service: OptionalParam = None, renew: OptionalParam = None
) -> Response:
    """CAS 1.0: "yes\\n<user>\\n" or "no\\n\\n"."""
    try:
        result = _validated(request, ticket, service, renew)
    except cas.CasFailure:
        return PlainTextResponse("no\n\n", headers={"Cache-Control": "no-store"})
    return PlainTextResponse(f"yes\n{result.user_id}\n", headers={"Cache-Control": "no-store"})
