"""Certificates: the holder's list and PDF, the issuing department's revocation, and the public verification —
/v/{code} (a page for people, who scan the QR code) and /api/v1/verify/{code} (JSON). Rules: core/certificates.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from sync_server.api.deps import CurrentPrincipal, ReadSessionDep, SessionDep
from sync_server.api.errors import error_responses
from sync_server.api.routes import certificates_page as view
from sync_server.core import certificate_prints, certificates, certificates_keys, clock
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


class Claim(BaseModel):
    job_id: str = Field(max_length=36)
    device_id: str = Field(default="", max_length=64)
    ttl_s: int = Field(default=180, ge=1, le=86_400)  # clamped to certificate_prints.CLAIM_TTL_S


@router.post("/api/v1/certificates/{certificate_id}/claims", responses=error_responses(401, 404, 409, 422))
def claim_copy(certificate_id: CertificateId, body: Claim, principal: CurrentPrincipal, session: SessionDep) -> Any:
    """An online kiosk holds one copy for its print job before sending it (409 `certificate_copies_used` /
    `certificate_copies_claimed` when none is left); the job's certificate.print op confirms it."""
    return certificate_prints.claim(session, principal.user, certificate_id, body.model_dump())


@router.delete("/api/v1/certificates/{certificate_id}/claims/{job_id}", responses=error_responses(401, 404, 422))
def release_copy(
    certificate_id: CertificateId,
    job_id: Annotated[str, Path(max_length=36)],
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Any:
    """The print job failed: its copy is let go (idempotent; `released` false when none was held)."""
    return certificate_prints.release(session, principal.user, certificate_id, job_id)


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
def public_key() -> dict[str, Any]:
    """The Ed25519 public key (base64url, 32 bytes) offline checkers verify certificates with, and the retired keys
    still listed (documents signed before a rotation name theirs by key id)."""
    text = certificates_keys.public_key_text()
    retired = [
        {"key_id": k.key_id, "public_key": certificates_keys.b64(k.public), "retired_on": k.retired_on}
        for k in certificates_keys.retired_keys()
    ]
    return {
        "algorithm": "Ed25519",
        "public_key": text,
        "key_id": certificates_keys.key_id(certificates_keys.unb64(text)),
        "retired": retired,
    }


@router.get("/api/v1/verify/{code}", responses=error_responses(404))
def verify_json(code: Code, session: ReadSessionDep) -> dict[str, Any]:
    """Anyone: a certificate's signed facts and status by its verification code."""
    return certificates.public_view(certificates.by_code(session, code), _today())


def _school(session: Any) -> tuple[str, str]:
    return certificates.school_names(session)


@router.get("/v/", response_class=HTMLResponse, include_in_schema=False)
def verify_lookup(session: ReadSessionDep, code: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    if code:
        return verify_page(code, session)
    return view.page("证明核验", _school(session), certificates.public_base(), view.lookup_form())


@router.get("/v/{code}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(
    code: Code,
    session: ReadSessionDep,
    d: Annotated[str | None, Query(max_length=2000)] = None,
    s: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The page a scanned QR code opens: the facts, masked, and valid / expired / revoked."""
    school, base = _school(session), certificates.public_base()
    try:
        row = certificates.by_code(session, code)
    except DomainError:
        body = view.verdict(
            "not_found",
            f"验证码 {code[:32]} 不对应任何由本校签发的证明：该证明可能是伪造的，或验证码输入有误。",
            "No certificate issued by the school has this code: it may be forged, or the code was mistyped.",
        )
        return view.page("未找到该证明", school, base, body + view.lookup_form(), status=404)
    facts = certificates.public_view(row, _today())
    matches = None
    if d and s:
        # The QR code's own signed copy of the facts must be this certificate's, signed by a listed key.
        carried = certificates.check_qr(d, s, certificates_keys.keyring())
        matches = carried is not None and carried == row.facts
    body = (
        view.verdict(facts["status"], *view.why(facts))
        + view.qr_note(matches)
        + view.key_note(facts)
        + view.facts_card(facts)
    )
    return view.page(f"证明核验：{view.VERDICTS[facts['status']][0]}", school, base, body)
