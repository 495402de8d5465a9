"""打印证明 without Qt (docs/certificates.md#printing): the application's certificate as the server last described
it (kept in the local store with its PDF, for an offline kiosk), whether this user may print a copy now, the
print itself through the kiosk's CUPS queue (kiosk/services/ipp.py), followed to its end, and the outbox
operation that records a printed copy. Blocking parts run on a worker thread.

A copy is recorded after its job completed, never before and never for a failed job. The server decides: it
counts at most the form's 份数 (`certificate_copies_used` past it). Online, the kiosk first claims the copy on the
server (`claim_copy`), so two kiosks at the last copy cannot both print it: the loser is told 份数已用完 and sends
nothing. Offline, the kiosk prints only while its own last-known count leaves a copy, and counts the copy locally
in the transaction that queues the operation."""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from campus_common import ops
from kiosk.services.api_client import ApiError
from kiosk.services.certificate_texts import say
from kiosk.services.ipp import ABORTED, CANCELED, COMPLETED, PRINTER_STOPPED, IppError, IppPrinter

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient

log = logging.getLogger(__name__)

# The outcomes of one copy (said by kiosk/services/certificate_texts.py): "done", or why nothing was printed.
FAULTS = ("no_paper", "offline", "failed", "document", "download", "used", "claimed")
# A claim lives for the kiosk's print timeout plus this: the PDF's download (≤ 30 s) and the job's own sending
# before the timeout starts, and the confirming op's push right after the job completes.
CLAIM_MARGIN_S = 60
NO_PAPER = ("media-empty", "media-needed", "media-jam", "input-tray-missing")
OFFLINE = ("offline", "paused", "shutdown", "stopped", "connecting-to-device", "timed-out")


@dataclass(frozen=True)
class Held:
    """A certificate as this terminal knows it: the server's description and whether its PDF is here."""

    meta: dict[str, Any]
    has_pdf: bool
    fresh: bool  # read from the server just now (else from the local store: offline)

    @property
    def copies_left(self) -> int:
        allowed = int(self.meta.get("copies_allowed") or 1)
        return max(0, allowed - int(self.meta.get("copies_printed") or 0))

    def refusal_code(self, today: date) -> tuple[str, dict[str, Any]]:
        """Why no copy may be printed now (a code of certificate_texts and its values), or ("", {})."""
        if self.meta.get("status") == "revoked":
            return "revoked", {}
        if self.meta.get("status") == "expired" or str(self.meta.get("valid_until", "9999")) < today.isoformat():
            return "expired", {}
        if self.copies_left <= 0:
            return "all_printed", {"allowed": self.meta.get("copies_allowed", 1)}
        if not self.fresh and not self.has_pdf:
            return "no_pdf_offline", {}
        return "", {}

    def refusal(self, today: date, language: str = "zh_CN") -> str:
        """Why no copy may be printed now, in `language`, or ""."""
        code, values = self.refusal_code(today)
        return say(code, language, **values)

    def view(self, today: date, language: str = "zh_CN") -> dict[str, Any]:
        return {
            "id": self.meta.get("id", ""),
            "title": self.meta.get("title") or "证明",
            "code": self.meta.get("code", ""),
            "validUntil": self.meta.get("valid_until", ""),
            "status": self.meta.get("status", ""),
            "copiesAllowed": int(self.meta.get("copies_allowed") or 1),
            "copiesPrinted": int(self.meta.get("copies_printed") or 0),
            "copiesLeft": self.copies_left,
            "offline": not self.fresh,
            "refusal": self.refusal(today, language),
        }


def look_up(client: ApiClient, store: LocalStore, user_id: str, application_id: str) -> Held | None:
    """The application's certificate: asked of the server (and kept), else as held here; None when it has none."""
    kept = store.held_certificate(user_id, application_id)
    try:
        meta = client.application_certificate(application_id)
    except ApiError as exc:
        unreachable = exc.is_offline or (exc.status or 0) >= 500
        if exc.code == "certificate_not_found" or (unreachable and kept is None):
            return None  # none issued; or offline with none held here (nothing to print offline anyway)
        if unreachable and kept is not None:
            return Held(kept[0], kept[1] is not None, fresh=False)
        raise
    held_pdf = kept[1] if kept is not None and kept[0].get("sha256") == meta.get("sha256") else None
    if kept is not None and int(kept[0].get("copies_printed") or 0) > int(meta.get("copies_printed") or 0):
        # Copies printed here whose operations the server has not had yet: the count never goes back.
        printed = int(kept[0]["copies_printed"])
        meta = {**meta, "copies_printed": printed}
        meta["copies_left"] = max(0, int(meta.get("copies_allowed") or 1) - printed)
    store.hold_certificate(user_id, meta, held_pdf)
    return Held(meta, held_pdf is not None, fresh=True)


def document(client: ApiClient, store: LocalStore, user_id: str, held: Held) -> bytes:
    """The PDF to print: the one held, else downloaded — its SHA-256 checked against both the header and the
    certificate's description — and kept. ValueError when it does not match."""
    application_id, expected = str(held.meta["application_id"]), str(held.meta.get("sha256", ""))
    kept = store.held_certificate(user_id, application_id)
    if kept is not None and kept[1] is not None and hashlib.sha256(kept[1]).hexdigest() == expected:
        return kept[1]
    data, header = client.certificate_pdf(str(held.meta["id"]))
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected or header.lower() != expected:
        raise ValueError("the certificate's PDF does not match its SHA-256")
    if kept is None:
        store.hold_certificate(user_id, held.meta, data)
    else:  # the count held here may be newer than `held`'s: only the PDF is added
        store.hold_certificate_pdf(user_id, application_id, data)
    return data


def fault_of(reasons: tuple[str, ...], state: int = 0, accepting: bool = True) -> str:
    """The printer's fault ("no_paper", "offline") from its state and printer-state-reasons, or ""."""
    if any(r.startswith(NO_PAPER) for r in reasons):
        return "no_paper"
    if state == PRINTER_STOPPED or not accepting or any(r.startswith(OFFLINE) for r in reasons):
        return "offline"
    return ""


def print_document(
    printer: IppPrinter,
    pdf: bytes,
    title: str,
    on_phase: Callable[[str], None],
    *,
    timeout: float = 120.0,
    poll: float = 0.4,
) -> str:
    """Print one copy and follow the job: "done", or the fault ("no_paper", "offline", "failed"). A job that
    meets a fault is cancelled (it must not come out later, with nobody at the kiosk)."""
    try:
        state = printer.printer()
        fault = fault_of(state.reasons, state.state, state.accepting)
        if fault:
            return fault
        on_phase("sending")
        job = printer.print_pdf(pdf, title)
    except IppError:
        return "offline"
    on_phase("printing")
    deadline = time.monotonic() + timeout
    while True:
        try:
            status = printer.job(job)
            if status.state == COMPLETED:
                return "done"
            if status.state in (CANCELED, ABORTED):
                return "failed"
            state = printer.printer()
            fault = fault_of(state.reasons, state.state, state.accepting)
        except IppError:
            fault = "offline"
        if not fault and time.monotonic() > deadline:
            fault = "offline"
        if fault:
            printer.cancel(job)
            return fault
        time.sleep(poll)


def claim_copy(client: ApiClient, held: Held, job_id: str, device_id: str, timeout: float) -> str:
    """Hold one copy on the server for `job_id` before its job: "held"; "unreachable" (offline: the count held
    here decides); or why not — "used" (none left, revoked, expired), "claimed" (another kiosk is printing the
    copies left), "failed" (any other refusal: the session ended, …)."""
    ttl = int(timeout) + CLAIM_MARGIN_S
    try:
        client.claim_certificate_copy(str(held.meta["id"]), job_id, device_id, ttl)
    except ApiError as exc:
        if exc.is_offline or (exc.status or 0) >= 500:
            return "unreachable"
        if exc.code == "certificate_copies_claimed":
            return "claimed"
        if exc.status in (404, 409):
            return "used"
        log.warning("certificate claim: %s", exc.code)
        return "failed"
    return "held"


def release_copy(client: ApiClient, held: Held, job_id: str) -> None:
    """Let go of the copy held for a job that printed nothing (best effort: a claim not released expires)."""
    try:
        client.release_certificate_copy(str(held.meta["id"]), job_id)
    except ApiError as exc:
        log.info("certificate claim not released (it expires): %s", exc.code)


def fetch_and_print(
    client: ApiClient,
    store: LocalStore,
    user_id: str,
    held: Held,
    uri: str,
    timeout: float,
    on_phase: Callable[[str], None],
    *,
    job_id: str,
    device_id: str,
) -> str:
    """One copy: claimed on the server (`claim_copy`; offline, the count held here has decided already), the PDF
    (`document`), the job followed to its end (`print_document`): "done" or a key of FAULTS. A job that printed
    nothing lets its claim go; a completed one is confirmed by its certificate.print op (the caller's)."""
    on_phase("claiming")
    claim = claim_copy(client, held, job_id, device_id, timeout)
    if claim not in ("held", "unreachable"):
        return claim
    outcome = "failed"
    try:
        pdf = document(client, store, user_id, held)
        printer = IppPrinter(uri)
        outcome = print_document(printer, pdf, str(held.meta.get("title") or "证明"), on_phase, timeout=timeout)
    except ValueError:
        outcome = "document"
    except IppError:
        outcome = "offline"
    except Exception as exc:  # the network, the store: nothing printed
        log.warning("certificate download: %s", getattr(exc, "code", type(exc).__name__))
        outcome = "download"
    finally:
        if outcome != "done" and claim == "held":
            release_copy(client, held, job_id)
    return outcome


def print_write(
    user_id: str, application_id: str, certificate_id: str, device_id: str, job_id: str | None = None
) -> tuple[str, dict[str, Any], Callable[[Any], None]]:
    """(op type, payload, local effect) of one printed copy, for `Writer.write`."""
    payload = {
        "certificate_id": certificate_id,
        "job_id": job_id or str(uuid.uuid4()),
        "device_id": device_id[:64],
        "printed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }

    def apply_local(session: Any) -> None:
        from kiosk.models.certificates import count_print  # SQLAlchemy: not on the start-up path

        count_print(session, user_id, application_id)

    return ops.CERTIFICATE_PRINT, payload, apply_local
