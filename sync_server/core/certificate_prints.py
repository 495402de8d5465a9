"""Printed copies of certificates (docs/certificates.md#printing): a kiosk prints the holder's certificate and,
once the print job has completed, sends a `certificate.print` operation through its outbox. Each is one copy,
counted against the cap — the application's 份数 (`copies`, else 1) — and the count can never pass it, whichever
terminals race for the last copy: the count is raised by one conditional UPDATE (`… WHERE copies_printed <
copies_allowed - claimed by others`) under the certificate's row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite:
its one writer, BEGIN IMMEDIATE), and each copy's row is unique by (certificate, copy number) besides. A failed job
sends nothing, so it is not counted.

The paper: an online kiosk **claims** a copy (`claim`) before it sends the job. Claims count against the cap with
the printed copies, so of two kiosks at the last copy one is told 份数已用完 before anything is printed. The job's
op confirms its claim (same job id); a failed job releases it (`release`); a claim neither confirmed nor released
— its kiosk died mid-job — expires (`expires_at`, the kiosk's print timeout plus a margin, within CLAIM_TTL_S)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sync_server.core import certificates
from sync_server.core.clock import as_utc, campus_today, iso, now
from sync_server.core.errors import Conflict, Invalid
from sync_server.models import Certificate, CertificateClaim, CertificatePrint, User

# How long a claim may hold a copy, in seconds (the kiosk asks for its print timeout + a margin, clamped to this).
CLAIM_TTL_S = (30, 900)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def counts(row: Certificate) -> dict[str, int]:
    printed, allowed = int(row.copies_printed or 0), int(row.copies_allowed or 1)
    return {"copies_allowed": allowed, "copies_printed": printed, "copies_left": max(0, allowed - printed)}


def _locked(session: Session, user: User, certificate_id: str) -> Certificate:
    """The user's own certificate (else certificate_not_found), its row locked until the transaction ends: claims
    and prints of one certificate are decided one at a time."""
    row = certificates.holders(session, user, certificate_id)
    session.execute(select(Certificate.id).where(Certificate.id == row.id).with_for_update())
    session.refresh(row)
    return row


def _printable(row: Certificate) -> None:
    status = certificates.status_of(row, campus_today(now()))
    if status == "revoked":
        raise Conflict("certificate_revoked", "该证明已撤销，不能再打印")
    if status == "expired":
        raise Conflict("certificate_expired", "该证明已过有效期，不能再打印")


def _claimed_by_others(session: Session, row: Certificate, job_id: str, at: datetime) -> int:
    """Copies other jobs hold now (expired claims are let go on the way)."""
    session.execute(
        delete(CertificateClaim)
        .where(CertificateClaim.certificate_id == row.id, CertificateClaim.expires_at <= at)
        .execution_options(synchronize_session=False)
    )
    query = select(func.count()).where(CertificateClaim.certificate_id == row.id, CertificateClaim.job_id != job_id)
    return int(session.scalar(query.select_from(CertificateClaim)) or 0)


def _job(payload_job: object) -> str:
    job_id = str(payload_job or "").lower()
    if not UUID.fullmatch(job_id):
        raise Invalid("invalid_job_id", "打印任务编号无效")
    return job_id


def _used(row: Certificate, others: int) -> Conflict:
    if int(row.copies_printed) >= int(row.copies_allowed):
        return Conflict(
            "certificate_copies_used",
            f"份数已用完：该证明的 {row.copies_allowed} 份已全部打印，如需再打印请重新申请",
            copies_allowed=row.copies_allowed,
            copies_printed=row.copies_printed,
        )
    return Conflict(
        "certificate_copies_claimed",
        "份数已用完：剩下的份数正在另一台终端打印；如那次打印失败，稍后可再打印",
        copies_allowed=row.copies_allowed,
        copies_printed=row.copies_printed,
        copies_claimed=others,
    )


def claim(
    session: Session, user: User, certificate_id: str, body: dict[str, Any], at: datetime | None = None
) -> dict[str, Any]:
    """Hold one copy of the user's certificate for print job `job_id` for `ttl_s` seconds, if the printed copies
    and the other jobs' claims leave one. The same job asking again gets its claim back (renewed)."""
    at = as_utc(at or now())
    job_id = _job(body.get("job_id"))
    ttl = min(max(int(body.get("ttl_s") or CLAIM_TTL_S[0]), CLAIM_TTL_S[0]), CLAIM_TTL_S[1])
    row = _locked(session, user, certificate_id)
    done = session.scalar(select(CertificatePrint).where(CertificatePrint.job_id == job_id))
    if done is not None:  # recorded already: nothing to hold
        if done.certificate_id != row.id:
            raise Conflict("print_job_conflict", "打印任务编号已用于另一份证明")
        return {"job_id": job_id, "confirmed": True, "expires_at": None, **counts(row)}
    _printable(row)
    others = _claimed_by_others(session, row, job_id, at)  # after which `mine`, if found, is live
    mine = session.get(CertificateClaim, job_id)
    if mine is not None and (mine.certificate_id != row.id or mine.user_id != user.user_id):
        raise Conflict("print_job_conflict", "打印任务编号已用于另一份证明")
    if int(row.copies_printed) + others >= int(row.copies_allowed):
        raise _used(row, others)
    expires = at + timedelta(seconds=ttl)
    if mine is None:
        device = str(body.get("device_id") or "")[:64]
        session.add(
            CertificateClaim(
                job_id=job_id, certificate_id=row.id, user_id=user.user_id, device_id=device, claimed_at=at,
                expires_at=expires,
            )
        )  # fmt: skip
    else:
        mine.expires_at = expires
    session.flush()
    return {"job_id": job_id, "confirmed": False, "expires_at": iso(expires), **counts(row)}


def release(session: Session, user: User, certificate_id: str, job_id: str) -> dict[str, Any]:
    """Let go of the user's claim for `job_id` (its job failed): idempotent, `released` says whether one was held."""
    row = _locked(session, user, certificate_id)
    job = _job(job_id)
    gone = session.execute(
        delete(CertificateClaim)
        .where(
            CertificateClaim.job_id == job,
            CertificateClaim.certificate_id == row.id,
            CertificateClaim.user_id == user.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    return {"job_id": job, "released": gone.rowcount == 1, **counts(row)}  # type: ignore[attr-defined]


def record(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `certificate.print` handler: one printed copy of the user's own certificate, within its cap; it
    confirms the job's claim, if any."""
    row = _locked(session, user, str(payload["certificate_id"]))
    job_id = str(payload["job_id"]).lower()
    done = session.scalar(select(CertificatePrint).where(CertificatePrint.job_id == job_id))
    if done is not None:  # the same job sent again under another op id: counted once
        if done.certificate_id != row.id:
            raise Conflict("print_job_conflict", "打印任务编号已用于另一份证明")
        return {"certificate_id": row.id, "copy": done.copy_no, **counts(row)}
    _printable(row)
    # Others' live claims are copies being printed now: a copy without a claim of its own (printed offline, or
    # its claim expired) comes after them.
    others = _claimed_by_others(session, row, job_id, as_utc(now()))
    raised = session.execute(
        update(Certificate)
        .where(Certificate.id == row.id, Certificate.copies_printed + others < Certificate.copies_allowed)
        .values(copies_printed=Certificate.copies_printed + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        raise _used(row, others)
    session.execute(
        delete(CertificateClaim)
        .where(
            CertificateClaim.job_id == job_id,
            CertificateClaim.certificate_id == row.id,
            CertificateClaim.user_id == user.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    session.add(
        CertificatePrint(
            certificate_id=row.id,
            copy_no=row.copies_printed,
            job_id=job_id,
            user_id=user.user_id,
            device_id=str(payload.get("device_id") or ""),
            printed_at=str(payload["printed_at"]),
            recorded_at=now(),
        )
    )
    session.flush()
    return {"certificate_id": row.id, "copy": row.copies_printed, **counts(row)}
