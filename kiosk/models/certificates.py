"""The user's certificates held on this terminal (migration 14, `certificates_held`): what the server last said
of each (status, copies printed and allowed) and the PDF once downloaded. Personal: logout's wipe deletes them
(kiosk/models/wipe.py), secure_delete zeroing the PDFs' pages."""

from __future__ import annotations

import json
from typing import Any

from kiosk.models.base import StoreBase


class CertificatesMixin(StoreBase):
    def held_certificate(self, user_id: str, application_id: str) -> tuple[dict[str, Any], bytes | None] | None:
        """(what the server last said of it, the PDF or None) of the application's certificate, if held."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT meta, pdf FROM certificates_held WHERE user_id = ? AND application_id = ?",
                (user_id, application_id),
            ).first()
        if row is None:
            return None
        return json.loads(row[0]), (bytes(row[1]) if row[1] is not None else None)

    def hold_certificate(self, user_id: str, meta: dict[str, Any], pdf: bytes | None = None) -> None:
        """Keep the server's description of a certificate (and its PDF, when given; a PDF already held is kept
        when the description is refreshed without one)."""
        with self.transaction() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO certificates_held (user_id, application_id, certificate_id, meta, pdf) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, application_id) DO UPDATE SET "
                "certificate_id = excluded.certificate_id, meta = excluded.meta, "
                "pdf = COALESCE(excluded.pdf, certificates_held.pdf)",
                (user_id, str(meta["application_id"]), str(meta["id"]), json.dumps(meta, sort_keys=True), pdf),
            )

    def hold_certificate_pdf(self, user_id: str, application_id: str, pdf: bytes) -> None:
        """Keep the downloaded PDF beside the description already held (which it leaves as it is)."""
        with self.transaction() as session:
            session.connection().exec_driver_sql(
                "UPDATE certificates_held SET pdf = ? WHERE user_id = ? AND application_id = ?",
                (pdf, user_id, application_id),
            )


def count_print(session: Any, user_id: str, application_id: str) -> None:
    """The local effect of a `certificate.print` op: one more copy printed, by this terminal's count (written in
    the op's transaction, so an offline kiosk's count cannot go past the cap between two prints)."""
    conn = session.connection()
    row = conn.exec_driver_sql(
        "SELECT meta FROM certificates_held WHERE user_id = ? AND application_id = ?", (user_id, application_id)
    ).first()
    if row is None:
        return
    meta = json.loads(row[0])
    printed = int(meta.get("copies_printed") or 0) + 1
    allowed = int(meta.get("copies_allowed") or 1)
    meta.update(copies_printed=printed, copies_left=max(0, allowed - printed))
    conn.exec_driver_sql(
        "UPDATE certificates_held SET meta = ? WHERE user_id = ? AND application_id = ?",
        (json.dumps(meta, sort_keys=True), user_id, application_id),
    )
