"""The small phone pages of QR login: /m/qr/{ticket}. Plain HTML and a form post, for any phone browser."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sync_server.api.deps import client_address
from sync_server.api.errors import status_of
from sync_server.core import auth
from sync_server.core import qr_login as qr
from sync_server.core.errors import DomainError, TooLarge
from sync_server.db import Database

router = APIRouter(prefix="/m", tags=["phone"], include_in_schema=True)
COOKIE = "campus_m"
TicketPath = Annotated[str, Path(max_length=64)]

_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f2f4f7;color:#1c2430}
header{background:#0f3d7a;color:#fff;padding:16px 20px;font-size:20px;font-weight:bold}
main{padding:20px;max-width:480px;margin:auto}
.card{background:#fff;border:1px solid #d5dbe3;border-radius:10px;padding:20px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 12px;color:#0f3d7a}
p{font-size:17px;line-height:1.6;margin:8px 0}
label{display:block;font-size:16px;margin:12px 0 6px}
input{width:100%;box-sizing:border-box;font-size:18px;padding:12px;border:1px solid #d5dbe3;border-radius:8px}
button{width:100%;font-size:19px;padding:14px;border-radius:8px;border:0;margin-top:14px}
.primary{background:#1f6fd1;color:#fff}.secondary{background:#fff;color:#1f6fd1;border:2px solid #1f6fd1}
.error{color:#c62828}.muted{color:#56606e;font-size:15px}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{html.escape(title)}</title><style>{_STYLE}</style></head>
<body><header>郑州工商学院 · 统一身份认证</header><main>{body}</main></body></html>"""
    return HTMLResponse(
        document, status_code=status, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    )


def _message(title: str, text: str, status: int = 200) -> HTMLResponse:
    return _page(title, f'<div class="card"><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></div>', status)


# What a phone is shown when core refuses to go on with a ticket (title, text); the status is the refusal's.
_REFUSALS = {
    "ticket_not_found": ("二维码无效", "请在自助终端上重新获取二维码。"),
    "ticket_expired": ("二维码已过期", "请在自助终端上点“刷新二维码”后重新扫码。"),
    "ticket_used": ("二维码已使用", "这个二维码已经用过了。如需再次登录，请在终端上刷新二维码。"),
    "ticket_denied": ("已取消登录", "您已取消在该终端登录。"),
    "ticket_taken": (
        "该二维码已被他人扫描",
        "这个二维码已由另一个账号扫描，您无法用它登录。如需登录，请在自助终端上点“刷新二维码”后重新扫码。",
    ),
    "qr_request_invalid": ("无法确认", "请求无效，请重新扫码。"),
}


def _refused(exc: DomainError) -> HTMLResponse:
    title, text = _REFUSALS.get(exc.code, ("无法继续", exc.message))
    return _message(title, text, status_of(exc))


def _login_form(ticket: str, device: str, error: str = "") -> HTMLResponse:
    err = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return _page(
        "登录以确认",
        f"""<div class="card"><h1>扫码登录自助终端</h1>
<p>终端：<b>{html.escape(device)}</b></p><p class="muted">请先用统一身份认证账号登录本手机。</p>{err}
<form method="post" action="/m/qr/{html.escape(ticket)}/login">
<label for="u">学号/工号</label><input id="u" name="user_id" autocomplete="username" autocapitalize="characters" required maxlength="32">
<label for="p">密码</label><input id="p" name="password" type="password" autocomplete="current-password" required maxlength="128">
<button class="primary" type="submit">登录</button></form></div>""",
    )


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > 4096:
        raise TooLarge("payload_too_large", "表单过大")
    parsed = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


@router.get("/qr/{ticket}", response_class=HTMLResponse)
def qr_page(request: Request, ticket: TicketPath) -> Response:
    db: Database = request.app.state.db
    try:
        shown = qr.scan(db.sessions, ticket=ticket, phone_token=request.cookies.get(COOKIE))
    except DomainError as exc:
        return _refused(exc)
    if shown.user is None:
        return _login_form(ticket, shown.enrolled.name if shown.enrolled else shown.device_name)
    user, token = shown.user, html.escape(shown.form_token or "")
    heading = f"<h1>登录自助终端 {html.escape(shown.device_name)}？</h1>"
    if shown.enrolled is not None:  # named as IT enrolled it (core/devices.py), not as it calls itself
        where = f"，位置：{html.escape(shown.enrolled.location)}" if shown.enrolled.location else ""
        heading = f'<h1>在 {html.escape(shown.enrolled.name)} 登录？</h1><p class="muted">已登记的终端{where}</p>'
    # Scanned: the terminal shows "已扫码，请在手机上确认".
    return _page(
        "确认登录",
        f"""<div class="card">{heading}
<p>账号：<b>{html.escape(user.name)}</b>（{html.escape(user.user_id)}）</p>
<p class="muted">确认后该终端将以您的身份登录。离开终端时请点“退出”。</p>
<form method="post" action="/m/qr/{html.escape(ticket)}/confirm"><input type="hidden" name="csrf" value="{token}">
<button class="primary" type="submit">确认登录</button></form>
<form method="post" action="/m/qr/{html.escape(ticket)}/deny"><input type="hidden" name="csrf" value="{token}">
<button class="secondary" type="submit">取消</button></form></div>""",
    )


@router.post("/qr/{ticket}/login", response_class=HTMLResponse)
async def qr_login(request: Request, ticket: TicketPath) -> Response:
    form = await _form(request)
    user_id, password = form.get("user_id", "")[:64], form.get("password", "")[:256]
    db: Database = request.app.state.db

    def work() -> Response:
        try:
            result = qr.sign_in_on_phone(
                db.sessions,
                ticket=ticket,
                user_id=user_id,
                password=password,
                address=client_address(request),
                user_agent=request.headers.get("user-agent"),
            )
        except DomainError as exc:
            return _refused(exc)
        if result.refusal is not None and result.refusal.code == "password_change_required":
            return _message(
                "请先修改初始密码", "首次登录需要修改密码：请在自助终端或电脑上用账号密码登录并修改后，再扫码登录。"
            )
        if result.refusal is not None or result.access_token is None:
            return _login_form(ticket, result.device_name, result.refusal.message if result.refusal else "")
        response = RedirectResponse(f"/m/qr/{ticket}", status_code=303)
        response.set_cookie(
            COOKIE,
            result.access_token,
            max_age=int(auth.ACCESS_TTL.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/m/",
        )
        return response

    return await run_in_threadpool(work)


async def _decide(request: Request, ticket: str, decision: str) -> Response:
    form = await _form(request)
    db: Database = request.app.state.db
    try:
        shown = qr.decide(
            db.sessions,
            ticket=ticket,
            phone_token=request.cookies.get(COOKIE),
            form_token=form.get("csrf", ""),
            decision=decision,
        )
    except DomainError as exc:
        return _refused(exc)
    if shown.user is None:
        return _login_form(ticket, shown.device_name, "登录已过期，请重新登录")
    if decision == "confirmed":
        return _message("已确认", "终端正在登录，请在终端上继续办理。")
    return _message("已取消登录", "您已取消在该终端登录。")


@router.post("/qr/{ticket}/confirm", response_class=HTMLResponse)
async def qr_confirm(request: Request, ticket: TicketPath) -> Response:
    return await _decide(request, ticket, "confirmed")


@router.post("/qr/{ticket}/deny", response_class=HTMLResponse)
async def qr_deny(request: Request, ticket: TicketPath) -> Response:
    return await _decide(request, ticket, "denied")
