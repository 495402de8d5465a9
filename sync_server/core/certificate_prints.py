"""Printed copies of certificates (docs/certificates.md#printing): a kiosk prints the holder's certificate and,
once the print job has completed, sends a `certificate.print` operation through its outbox. Each is one copy,
counted against the cap — the application's 份数 (`copies`, else 1) — and the count can never pass it, whichever
terminals race for the last copy: the count is raised by one conditional UPDATE (`… WHERE copies_printed <
copies_allowed`), which PostgreSQL row-locks and re-checks and SQLite runs under its one writer, and each copy's
row is unique by (certificate, copy number) besides. A failed job sends nothing, so it is not counted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync_server.core import certificates
from sync_server.core.clock import campus_today, now
from sync_server.core.errors import Conflict
from sync_server.models import Certificate, CertificatePrint, User


def counts(row: Certificate) -> dict[str, int]:
    printed, allowed = int(row.copies_printed or 0), int(row.copies_allowed or 1)
    return {"copies_allowed": allowed, "copies_printed": printed, "copies_left": max(0, allowed - printed)}


def record(session: Session, user: User, payload: dict[str, Any]) -> dict[str, Any]:
    """The `certificate.print` handler: one printed copy of the user's own certificate, within its cap."""
    row = certificates.holders(session, user, str(payload["certificate_id"]))
    job_id = str(payload["job_id"]).lower()
    done = session.scalar(select(CertificatePrint).where(CertificatePrint.job_id == job_id))
    if done is not None:  # the same job sent again under another op id: counted once
        if done.certificate_id != row.id:
            raise Conflict("print_job_conflict", "打印任务编号已用于另一份证明")
        return {"certificate_id": row.id, "copy": done.copy_no, **counts(row)}
    status = certificates.status_of(row, campus_today(now()))
    if status == "revoked":
        raise Conflict("certificate_revoked", "该证明已撤销，不能再打印")
    if status == "expired":
        raise Conflict("certificate_expired", "该证明已过有效期，不能再打印")
    claimed = session.execute(
        update(Certificate)
        .where(Certificate.id == row.id, Certificate.copies_printed < Certificate.copies_allowed)
        .values(copies_printed=Certificate.copies_printed + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            "certificate_copies_used",
            f"该证明的 {row.copies_allowed} 份已全部打印，如需再打印请重新申请",
            copies_allowed=row.copies_allowed,
            copies_printed=row.copies_printed,
        )
    recorded_at: datetime = now()
    session.add(
        CertificatePrint(
            certificate_id=row.id,
            copy_no=row.copies_printed,
            job_id=job_id,
            user_id=user.user_id,
            device_id=str(payload.get("device_id") or ""),
            printed_at=str(payload["printed_at"]),
            recorded_at=recorded_at,
        )
    )
    session.flush()
    return {"certificate_id": row.id, "copy": row.copies_printed, **counts(row)}
