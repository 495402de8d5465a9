"""Certificates (QML singleton): 打印证明 on a finished application's progress page — the certificate, its copies
left, the print at the kiosk's CUPS queue followed to its end (发送到打印机… / 正在打印… / 已打印, or the fault),
the printed copy recorded through the outbox; on a desk, 下载 (a file chosen in a dialog) and 打印 (the system's
print dialog). Rules and I/O: kiosk/services/certificates.py and ipp.py."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import certificates
from kiosk.services.certificate_texts import say
from kiosk.services.certificates import Held
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
        self._status = ""  # preparing | claiming | sending | printing | done | fault | ""
        self._said: tuple[str, dict[str, Any]] = ("", {})  # the message: a code of certificate_texts, its values
        self._language: Callable[[], str] = lambda: "zh_CN"
        self._writer: Writer | None = None
        self._printing: Held | None = None  # the certificate whose copy is being printed
        self._phase.connect(self._on_phase)
        self._ended.connect(self._on_ended)
        session.signedOut.connect(self._forget)
        sync.settled.connect(self._refresh)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Certificates", engine)

    def follow_language(self, language: Callable[[], str], changed: Any) -> None:
        """Say messages and refusals in the interface's language (`language()`), again whenever it `changed`."""
        self._language = language
        changed.connect(self.changed)

    def _set(self, status: str, code: str, **values: Any) -> None:
        self._status, self._said = status, (code, values)
        self.changed.emit()

    def _forget(self, _reason: str = "") -> None:
        self._application, self._held = "", None
        self._set("", "")

    # -- reading ------------------------------------------------------------------------------------------------
    @Slot(str)
    def show(self, application_id: str) -> None:
        """The progress page of `application_id` is open: look its certificate up (server, else held here)."""
        if application_id != self._application:
            self._held, self._status, self._said = None, "", ("", {})
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
        refusal = held.refusal_code(date.today())
        if refusal[0]:
            self._set("fault", refusal[0], **refusal[1])
            return
        writer, user = Writer.of(self._auth), self._auth.user_id
        if writer is None or user is None:
            return
        # Who printed what is taken now: the copy is theirs, of this certificate, even if the kiosk signs them out
        # or the page changes before the job ends.
        self._writer, self._printing = writer, held
        client = self._auth.client.with_token(current.access_token)
        uri, timeout = self._config.printer_uri, float(self._config.print_timeout_s)
        job_id, device = str(uuid.uuid4()), self._auth.device_id
        self._busy = True
        self._set("preparing", "preparing")

        def work() -> None:
            try:
                outcome = certificates.fetch_and_print(
                    client, store, user, held, uri, timeout, self._phase.emit, job_id=job_id, device_id=device
                )
            except Exception:  # never a page left at 正在打印… for ever
                log.exception("certificate print")
                outcome = "failed"
            self._ended.emit(outcome, job_id)

        threading.Thread(target=work, name="certificate-print", daemon=True).start()

    def _on_phase(self, phase: str) -> None:
        self._set(phase, phase)

    def _on_ended(self, outcome: str, job_id: str) -> None:
        self._busy = False
        held, writer, store = self._printing, self._writer, self._state.store
        self._writer = self._printing = None
        if outcome != "done" or held is None or writer is None or store is None:
            self._set("fault", outcome)
            self._refresh()  # "used": the card shows the count the server has now
            return
        self._set("done", "done", left=max(0, held.copies_left - 1))
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
        path = url.toLocalFile()
        self._desk(lambda pdf: Path(path).write_bytes(pdf), lambda _: ("saved", {"path": path}))

    @Slot()
    def printWithDialog(self) -> None:
        """打印 on a desk: the system's print dialog, then the pages drawn onto the chosen printer; without Qt's
        printing modules, the PDF written for the system's viewer (on the worker) and opened there."""
        from kiosk.views import desk_print  # widgets: desk only

        title = str(self._held.meta.get("title") or "证明") if self._held is not None else "证明"
        if desk_print.can_print_here():
            heading = "Print the certificate" if self._language() == "en_US" else "打印证明"
            self._desk(None, lambda pdf: desk_print.print_pdf(pdf, title, heading))
        else:
            self._desk(lambda pdf: desk_print.write_for_viewer(pdf, title), desk_print.open_in_viewer)

    def _desk(self, work: Any, then: Callable[[Any], tuple[str, dict[str, Any]]]) -> None:
        """The PDF (checked) on a worker, `work(pdf)` there too (file I/O); `then(its result)` on this thread."""
        held, store, current, user = self._held, self._state.store, self._auth.current, self._auth.user_id
        if self._busy or held is None or store is None or current is None or user is None:
            return
        client = self._auth.client.with_token(current.access_token)
        self._busy = True
        self._set("preparing", "downloading")

        def fetch() -> Any:
            pdf = certificates.document(client, store, user, held)
            return work(pdf) if work is not None else pdf

        def done(result: Any) -> None:
            self._busy = False
            code, values = then(result)
            self._set("done" if code not in ("desk_unreadable", "desk_printer_unusable") else "fault", code, **values)

        def failed(exc: Exception) -> None:
            self._busy = False
            if isinstance(exc, OSError):
                self._set("fault", "desk_write_failed", reason=exc.strerror or type(exc).__name__)
            else:
                self._set("fault", "desk_download_failed")

        self._workers.run(fetch, done, failed)

    # -- properties ---------------------------------------------------------------------------------------------
    def _info(self) -> dict[str, Any]:
        return self._held.view(date.today(), self._language()) if self._held is not None else {}

    def _message_get(self) -> str:
        code, values = self._said
        return say(code, self._language(), **values)

    def _elsewhere(self) -> str:
        english = self._language() == "en_US" and self._config.print_elsewhere_en
        return self._config.print_elsewhere_en if english else self._config.print_elsewhere

    def _available(self) -> bool:
        return self._held is not None

    def _busy_get(self) -> bool:
        return self._busy

    def _status_get(self) -> str:
        return self._status

    def _has_printer(self) -> bool:
        return bool(self._config.printer_uri)

    def _application_get(self) -> str:
        return self._application

    # The certificate as the card shows it (services/certificates.py Held.view: title, code, validUntil, status,
    # copiesAllowed, copiesPrinted, copiesLeft, offline, refusal), in the interface's language.
    card = Property(dict, _info, notify=changed)
    available = Property(bool, _available, notify=changed)
    busy = Property(bool, _busy_get, notify=changed)
    status = Property(str, _status_get, notify=changed)
    message = Property(str, _message_get, notify=changed)
    hasPrinter = Property(bool, _has_printer, notify=changed)
    printElsewhere = Property(str, _elsewhere, notify=changed)
    applicationId = Property(str, _application_get, notify=changed)
