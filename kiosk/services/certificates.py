"""打印证明 without Qt (docs/certificates.md#printing): the application's certificate as the server last described
it (kept in the local store with its PDF, for an offline kiosk), whether this user may print a copy now, the
print itself through the kiosk's CUPS queue (kiosk/services/ipp.py), followed to its end, and the outbox
operation that records a printed copy. Blocking parts run on a worker thread.

A copy is recorded after its job completed, never before and never for a failed job. The server decides: it
counts at most the form's 份数 (`certificate_copies_used` past it). Offline, the kiosk prints only while its
own last-known count leaves a copy, and counts the copy locally in the transaction that queues the operation."""

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
from kiosk.services.ipp import ABORTED, CANCELED, COMPLETED, PRINTER_STOPPED, IppError, IppPrinter

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient

log = logging.getLogger(__name__)

# The page's words for each phase and fault (the view passes them to QML as they are).
PHASES = {"sending": "发送到打印机…", "printing": "正在打印…", "done": "已打印"}
FAULTS = {
    "no_paper": "打印机缺纸，本次未打印，也不计入份数。请联系大厅工作人员加纸后再试。",
    "offline": "打印机离线，本次未打印，也不计入份数。请联系大厅工作人员。",
    "failed": "打印失败（打印任务被中止或取消），不计入份数。请稍后再试。",
    "document": "证明文件校验不符，未打印。请联网后重试。",
    "download": "证明文件下载失败，本次未打印。请检查网络后重试。",
    "used": "未打印：该证明已不能再打印（份数已用完、已撤销或已过期；可能刚在另一台终端打印过）。",
}
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

    def refusal(self, today: date) -> str:
        """Why no copy may be printed now (Chinese), or ""."""
        if self.meta.get("status") == "revoked":
            return "该证明已被签发部门撤销，不能打印"
        if self.meta.get("status") == "expired" or str(self.meta.get("valid_until", "9999")) < today.isoformat():
            return "该证明已过有效期，不能打印"
        if self.copies_left <= 0:
            return f"{self.meta.get('copies_allowed', 1)} 份已全部打印；如需再次打印，请重新提交申请"
        if not self.fresh and not self.has_pdf:
            return "网络未连接，证明文件尚未下载到本机，联网后可打印"
        return ""

    def view(self, today: date) -> dict[str, Any]:
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
            "refusal": self.refusal(today),
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


def fetch_and_print(
    client: ApiClient,
    store: LocalStore,
    user_id: str,
    held: Held,
    uri: str,
    timeout: float,
    on_phase: Callable[[str], None],
) -> str:
    """The count asked again (online), the PDF (`document`), then one copy of it (`print_document`): "done" or a
    key of FAULTS. The count is asked right before the job, so a copy another kiosk printed since this page was
    read is not printed again ("used"); offline, the count held here decides."""
    try:
        latest = look_up(client, store, user_id, str(held.meta["application_id"]))
    except ApiError:
        latest = None
    if latest is not None and latest.fresh and latest.refusal(date.today()):
        return "used"
    try:
        pdf = document(client, store, user_id, held)
    except ValueError:
        return "document"
    except Exception as exc:  # the network, the store: nothing printed
        log.warning("certificate download: %s", getattr(exc, "code", type(exc).__name__))
        return "download"
    try:
        printer = IppPrinter(uri)
    except IppError:
        return "offline"
    return print_document(printer, pdf, str(held.meta.get("title") or "证明"), on_phase, timeout=timeout)


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
