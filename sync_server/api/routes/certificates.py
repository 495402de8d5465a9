"""Certificates: the holder's list and PDF, the issuing department's revocation, and the public verification —
/v/{code} (a page for people, who scan the QR code) and /api/v1/verify/{code} (JSON). Rules: core/certificates.py.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from sync_server.api.deps import CurrentPrincipal, ReadSessionDep, SessionDep
from sync_server.api.errors import error_responses
from sync_server.core import certificates, certificates_keys, clock
from sync_server.core.errors import DomainError

router = APIRouter(tags=["certificates"])
CertificateId = Annotated[str, Path(max_length=64)]
Code = Annotated[str, Path(max_length=64)]


def _today() -> Any:
    return clock.campus_today(clock.now())


@router.get("/api/v1/certificates", responses=error_responses(401))
def my_certificates(principal: CurrentPrincipal, session: ReadSessionDep) -> dict[str, Any]:
    """The signed-in user's certificates, newest first."""
    return {"items": [certificates.view(r, _today()) for r in certificates.mine(session, principal.user)]}


@router.get("/api/v1/applications/{application_id}/certificate", responses=error_responses(401, 404))
def application_certificate(
    application_id: Annotated[str, Path(max_length=64)], principal: CurrentPrincipal, session: ReadSessionDep
) -> dict[str, Any]:
    """The certificate issued at the application's 办结 (its applicant only)."""
    return certificates.view(certificates.for_application(session, principal.user, application_id), _today())


@router.get(
    "/api/v1/certificates/{certificate_id}/pdf",
    responses={200: {"content": {"application/pdf": {}}}, **error_responses(401, 404)},
    response_class=Response,
)
def certificate_pdf(certificate_id: CertificateId, principal: CurrentPrincipal, session: ReadSessionDep) -> Response:
    """The PDF exactly as issued (its SHA-256 in X-Content-SHA256); its holder only."""
    row = certificates.holders(session, principal.user, certificate_id)
    return Response(
        row.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{row.code}.pdf"',
            "X-Content-SHA256": row.sha256,
            "Cache-Control": "private, no-store",
        },
    )


class Revocation(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


@router.post("/api/v1/certificates/{certificate_id}/revoke", responses=error_responses(401, 403, 404, 409, 422))
def revoke_certificate(
    certificate_id: CertificateId, body: Revocation, principal: CurrentPrincipal, session: SessionDep
) -> dict[str, Any]:
    """The issuing department revokes a certificate (audited on the application; the holder is notified)."""
    row = certificates.revoke(session, principal.user, certificate_id, body.reason, clock.now())
    return certificates.public_view(row, _today())


@router.get("/api/v1/certificates/public-key")
def public_key() -> dict[str, str]:
    """The Ed25519 public key (base64url, 32 bytes) offline checkers verify certificates with."""
    text = certificates_keys.public_key_text()
    return {
        "algorithm": "Ed25519",
        "public_key": text,
        "key_id": certificates_keys.key_id(certificates_keys.unb64(text)),
    }


@router.get("/api/v1/verify/{code}", responses=error_responses(404))
def verify_json(code: Code, session: ReadSessionDep) -> dict[str, Any]:
    """Anyone: a certificate's signed facts and status by its verification code."""
    return certificates.public_view(certificates.by_code(session, code), _today())


STATUS_TEXT = {
    "valid": ("有效", "Valid", "#1a7f37"),
    "expired": ("已过期", "Expired", "#9a6700"),
    "revoked": ("已撤销", "Revoked", "#cf222e"),
}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:'Noto Sans CJK SC',sans-serif;margin:0;background:#f5f5f5;color:#222}"
        "main{max-width:640px;margin:24px auto;background:#fff;padding:24px 28px;border-radius:8px;"
        "box-shadow:0 1px 4px rgba(0,0,0,.12)}h1{font-size:22px;margin:0 0 16px}"
        "table{border-collapse:collapse;width:100%;font-size:16px}th{text-align:left;color:#555;width:38%;"
        "font-weight:normal}th,td{padding:8px 4px;border-bottom:1px solid #eee;vertical-align:top}"
        ".status{font-size:24px;font-weight:bold;padding:12px 0}.small{font-size:12px;color:#666;"
        "word-break:break-all}form{margin-top:20px}input{font-size:18px;padding:6px;width:260px}"
        "</style></head><body><main>" + body + "</main></body></html>"
    )
    return HTMLResponse(document, status_code=status, headers={"Cache-Control": "no-store"})


def _lookup_form() -> str:
    return (
        '<form method="get" action="/v/"><label>验证码 Verification code：<br>'
        '<input name="code" placeholder="XXXX-XXXX-XXXX-XXXX" maxlength="24"></label> '
        "<button>核验 Verify</button></form>"
    )


@router.get("/v/", response_class=HTMLResponse, include_in_schema=False)
def verify_lookup(session: ReadSessionDep, code: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    if code:
        return verify_page(code, session)
    return _page("证明核验", "<h1>证明核验 · Certificate verification</h1>" + _lookup_form())


@router.get("/v/{code}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(
    code: Code,
    session: ReadSessionDep,
    d: Annotated[str | None, Query(max_length=2000)] = None,
    s: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The page a scanned QR code opens: the facts, masked, and valid / expired / revoked."""
    try:
        row = certificates.by_code(session, code)
    except DomainError:
        body = (
            "<h1>证明核验 · Certificate verification</h1>"
            f'<p class="status" style="color:#cf222e">未找到该证明 · Not found</p>'
            f"<p>验证码 {html.escape(code[:32])} 不对应任何由本校签发的证明。该证明可能是伪造的，或验证码输入有误。</p>"
            "<p>No certificate issued by the school has this code: it may be forged, or the code was mistyped.</p>"
            + _lookup_form()
        )
        return _page("未找到该证明", body, status=404)
    facts = certificates.public_view(row, _today())
    zh, en, colour = STATUS_TEXT[facts["status"]]
    qr_note = ""
    if d and s:
        # The QR code's own signed copy of the facts must be this certificate's.
        public = certificates_keys.public_raw(certificates_keys.private_key().public_key())
        carried = certificates.check_qr(d, s, public)
        if carried is None or carried != row.facts:
            qr_note = (
                '<p style="color:#cf222e">二维码中的签名与本校记录不符：该二维码可能被篡改。'
                " The QR code's signature does not match.</p>"
            )
        else:
            qr_note = '<p style="color:#1a7f37">二维码签名有效。 The QR code\'s signature is valid.</p>'
    rows = [
        ("证明类型 Type", facts["title"]),
        ("编号 No.", facts["serial"]),
        ("持有人 Holder", facts["holder"]),
        ("身份证号 ID No.", facts["id"] or "—"),
        ("签发单位 Issuer", facts["issuer"]),
        ("签发日期 Issued", facts["issued"]),
        ("有效期至 Valid until", facts["valid_until"]),
    ]
    if facts["revoked_on"]:
        rows.append(("撤销日期 Revoked", facts["revoked_on"]))
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    body = (
        "<h1>证明核验 · Certificate verification</h1>"
        f'<div class="status" style="color:{colour}">{zh} · {en}</div>{qr_note}<table>{table}</table>'
        f'<p class="small">验证码 Code：{html.escape(facts["code"])}<br>'
        f"PDF SHA-256：{facts['sha256']}</p>"
        '<p class="small">请核对纸质或电子证明上的内容与以上信息一致。 Compare the document with the facts above.</p>'
    )
    return _page(f"证明核验：{zh}", body)
