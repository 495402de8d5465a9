"""Certificates (QML singleton): 打印证明 on a finished application's progress page — the certificate, its copies
left, the print at the kiosk's CUPS queue followed to its end (发送到打印机… / 正在打印… / 已打印, or the fault),
the printed copy recorded through the outbox; on a desk, 下载 (a file chosen in a dialog) and 打印 (the system's
print dialog). Rules and I/O: kiosk/services/certificates.py and ipp.py."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import certificates
from kiosk.services.certificates import FAULTS, PHASES, Held
from kiosk.services.outbox import Writer
from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.services.auth import AuthService
    from kiosk.services.config import KioskConfig
    from kiosk.views.app_state import AppState
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
@QmlSingleton
class Certificates(QObject):
    changed = Signal()
    # From the print thread to this (GUI) thread: queued by Qt, as the receiver lives here.
    _phase = Signal(str)
    _ended = Signal(str, str)  # outcome, job id

    def __init__(
        self, state: AppState, auth: AuthService, session: Session, sync: Sync, workers: WorkerPool, config: Any
    ) -> None:
        super().__init__(state)
        self._state, self._auth, self._sync, self._workers = state, auth, sync, workers
        self._config: KioskConfig = config
        self._application = ""
        self._held: Held | None = None
        self._busy = False
        self._status = ""  # sending | printing | done | fault | ""
        self._message = ""
        self._writer: Writer | None = None
        self._printing: Held | None = None  # the certificate whose copy is being printed
        self._phase.connect(self._on_phase)
        self._ended.connect(self._on_ended)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self._refresh)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Certificates", engine)

    def _forget(self, _reason: str = "") -> None:
        self._application, self._held, self._status, self._message = "", None, "", ""
        self.changed.emit()

    # -- reading ------------------------------------------------------------------------------------------------
    @Slot(str)
    def show(self, application_id: str) -> None:
        """The progress page of `application_id` is open: look its certificate up (server, else held here)."""
        if application_id != self._application:
            self._held, self._status, self._message = None, "", ""
        self._application = application_id
        self._load()

    @Slot(str)
    def leave(self, application_id: str) -> None:
        """The page closed: no more look-ups for it after each sync."""
        if application_id == self._application and not self._busy:
            self._application = ""

    def _refresh(self) -> None:
        if self._application and not self._busy:
            self._load()

    def _load(self) -> None:
        current, user, store = self._auth.current, self._auth.user_id, self._state.store
        if current is None or user is None or store is None or not self._application:
            return
        client = self._auth.client.with_token(current.access_token)
        application_id = self._application

        def done(held: Held | None) -> None:
            if self._auth.user_id == user and self._application == application_id:
                self._held = held
                self.changed.emit()

        def failed(exc: Exception) -> None:  # what was shown stays (a refusal of the server: logged)
            log.warning("certificate look-up: %s", getattr(exc, "code", type(exc).__name__))

        self._workers.run(lambda: certificates.look_up(client, store, user, application_id), done, failed)

    # -- printing at the kiosk ----------------------------------------------------------------------------------
    @Slot()
    def printCopy(self) -> None:
        """Print one copy (kiosk): the PDF (held, else downloaded and checked), the job followed to its end; a
        completed job is recorded through the outbox, a failed one is not."""
        held, store, current = self._held, self._state.store, self._auth.current
        if self._busy or held is None or store is None or current is None or not self._config.printer_uri:
            return
        if held.refusal(date.today()):
            self._status, self._message = "fault", held.refusal(date.today())
            self.changed.emit()
            return
        writer, user = Writer.of(self._auth), self._auth.user_id
        if writer is None or user is None:
            return
        # Who printed what is taken now: the copy is theirs, of this certificate, even if the kiosk signs them out
        # or the page changes before the job ends.
        self._writer, self._printing = writer, held
        client = self._auth.client.with_token(current.access_token)
        uri, timeout = self._config.printer_uri, float(self._config.print_timeout_s)
        job_id = str(uuid.uuid4())
        self._busy, self._status, self._message = True, "preparing", "正在准备证明文件…"
        self.changed.emit()

        def work() -> None:
            try:
                outcome = certificates.fetch_and_print(client, store, user, held, uri, timeout, self._phase.emit)
            except Exception:  # never a page left at 正在打印… for ever
                log.exception("certificate print")
                outcome = "failed"
            self._ended.emit(outcome, job_id)

        threading.Thread(target=work, name="certificate-print", daemon=True).start()

    def _on_phase(self, phase: str) -> None:
        self._status, self._message = phase, PHASES.get(phase, "")
        self.changed.emit()

    def _on_ended(self, outcome: str, job_id: str) -> None:
        self._busy = False
        held, writer, store = self._printing, self._writer, self._state.store
        self._writer = self._printing = None
        if outcome != "done" or held is None or writer is None or store is None:
            self._status, self._message = "fault", FAULTS[outcome]
            self.changed.emit()
            self._refresh()  # "used": the card shows the count the server has now
            return
        left = max(0, held.copies_left - 1)
        self._status, self._message = "done", f"已打印，请在打印机出纸口取走证明。还可打印 {left} 份。"
        self.changed.emit()
        application_id = str(held.meta["application_id"])
        op_type, payload, apply_local = certificates.print_write(
            writer.user_id, application_id, str(held.meta["id"]), self._auth.device_id, job_id
        )

        def saved(_op: dict[str, Any]) -> None:
            if self._auth.user_id == writer.user_id:
                self._reread(writer.user_id, application_id)

        if self._auth.user_id == writer.user_id:  # still signed in: queued and pushed as any write of theirs
            self._sync.enqueue(op_type, payload, apply_local, saved)
            return

        # They left while the job ran: the copy is still theirs, written with the key of the session it was
        # printed in and delivered without them (campus_common/op_signing.py).
        self._workers.run(lambda: writer.write(store, op_type, payload, apply_local), lambda _: self._sync.syncNow())

    def _reread(self, user_id: str, application_id: str) -> None:
        """After a print: the count as this terminal now holds it (the server's comes with the next sync)."""
        store = self._state.store
        if store is None:
            return

        def done(kept: tuple[dict[str, Any], bytes | None] | None) -> None:
            if kept is not None and self._held is not None and self._application == application_id:
                self._held = Held(kept[0], kept[1] is not None, self._held.fresh)
                self.changed.emit()

        self._workers.run(lambda: store.held_certificate(user_id, application_id), done)

    # -- a desk: 下载 and 打印 ------------------------------------------------------------------------------------
    @Slot(QUrl)
    def saveTo(self, url: QUrl) -> None:
        """下载: the PDF (checked) written to the file chosen in the dialog."""
        self._desk(lambda pdf: Path(url.toLocalFile()).write_bytes(pdf), "已保存到 " + url.toLocalFile())

    @Slot()
    def printWithDialog(self) -> None:
        """打印 on a desk: the system's print dialog, then the pages drawn onto the chosen printer."""
        self._desk(None, "")

    def _desk(self, write: Any, done_message: str) -> None:
        held, store, current, user = self._held, self._state.store, self._auth.current, self._auth.user_id
        if self._busy or held is None or store is None or current is None or user is None:
            return
        client = self._auth.client.with_token(current.access_token)
        self._busy, self._status, self._message = True, "preparing", "正在下载证明文件…"
        self.changed.emit()

        def fetch() -> bytes:
            pdf = certificates.document(client, store, user, held)
            if write is not None:
                write(pdf)
            return pdf

        def done(pdf: bytes) -> None:
            self._busy = False
            if write is None:
                from kiosk.views.desk_print import print_pdf  # widgets: desk only

                self._status, self._message = "done", print_pdf(pdf, str(held.meta.get("title") or "证明"))
            else:
                self._status, self._message = "done", done_message
            self.changed.emit()

        def failed(exc: Exception) -> None:
            self._busy, self._status = False, "fault"
            self._message = getattr(exc, "message", "") or "证明文件下载失败，请检查网络后重试"
            self.changed.emit()

        self._workers.run(fetch, done, failed)

    # -- properties ---------------------------------------------------------------------------------------------
    def _info(self) -> dict[str, Any]:
        return self._held.view(date.today()) if self._held is not None else {}

    def _title(self) -> str:
        return str(self._info().get("title", ""))

    def _code(self) -> str:
        return str(self._info().get("code", ""))

    def _valid_until(self) -> str:
        return str(self._info().get("validUntil", ""))

    def _allowed(self) -> int:
        return int(self._info().get("copiesAllowed", 0))

    def _printed(self) -> int:
        return int(self._info().get("copiesPrinted", 0))

    def _left(self) -> int:
        return int(self._info().get("copiesLeft", 0))

    def _offline(self) -> bool:
        return bool(self._info().get("offline", False))

    def _refusal(self) -> str:
        return str(self._info().get("refusal", ""))

    def _valid(self) -> bool:
        return self._info().get("status") == "valid"

    def _available(self) -> bool:
        return self._held is not None

    def _busy_get(self) -> bool:
        return self._busy

    def _status_get(self) -> str:
        return self._status

    def _message_get(self) -> str:
        return self._message

    def _has_printer(self) -> bool:
        return bool(self._config.printer_uri)

    def _elsewhere(self) -> str:
        return self._config.print_elsewhere

    def _application_get(self) -> str:
        return self._application

    # The certificate as the card shows it (services/certificates.py Held.view).
    title = Property(str, _title, notify=changed)
    code = Property(str, _code, notify=changed)
    validUntil = Property(str, _valid_until, notify=changed)
    copiesAllowed = Property(int, _allowed, notify=changed)
    copiesPrinted = Property(int, _printed, notify=changed)
    copiesLeft = Property(int, _left, notify=changed)
    offline = Property(bool, _offline, notify=changed)
    refusal = Property(str, _refusal, notify=changed)
    valid = Property(bool, _valid, notify=changed)  # not revoked, not expired
    available = Property(bool, _available, notify=changed)
    busy = Property(bool, _busy_get, notify=changed)
    status = Property(str, _status_get, notify=changed)
    message = Property(str, _message_get, notify=changed)
    hasPrinter = Property(bool, _has_printer, notify=changed)
    printElsewhere = Property(str, _elsewhere, notify=changed)
    applicationId = Property(str, _application_get, notify=changed)
