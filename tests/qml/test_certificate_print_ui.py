"""打印证明 (issue 18, printing) through the real QML against a real server and a private CUPS scheduler
(tests/cups_server.py): a student's 在读学籍证明 (份数 3) reaches 办结; on the kiosk the progress page offers
打印证明 with the copies left; a tap prints — the file the queue received is the certificate, byte for byte —
and the copy is counted on the server; a disabled printer (离线, said in English too), an empty paper tray (缺纸)
and a failing job (打印失败) say so and count nothing; offline, the kiosk prints from the PDF it holds and the
copy reaches the server when it is back; the last copy spent, 打印证明 is disabled and says a new application is
needed; logout wipes the certificate and its PDF. A kiosk without a printer says where to print instead (in
English and Chinese). Two kiosks racing for the last copy (service level): one job reaches the queue."""

from __future__ import annotations

import hashlib
import re
import subprocess
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, QUrl

from kiosk.services import certificates
from kiosk.services.certificate_texts import say
from kiosk.services.ipp import IppPrinter
from tests.cups_server import PrivateCups, needs_cups
from tests.helpers import NEW_PW, LiveServer, copy_sqlite
from tests.qml.steps import current_page, log_in
from tests.qml.workflow_steps import log_out, scrolled_to, synced
from tests.server.certificate_helpers import BASE, CASES, reduced_font  # noqa: F401  (the module's font fixture)
from tests.server.workflow_helpers import Client, example

CODE = "jw-zaidu-zhengming"
pytestmark = needs_cups


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("print-server")
    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(workdir / "cert-key.pem"), "CAMPUS_SYNC_PUBLIC_URL": BASE}
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir / "db"), workdir=workdir, extra_env=env).start()
    yield live
    live.stop()


def finished(server: LiveServer, copies: int) -> tuple[Client, str, dict[str, Any]]:
    """The student's 在读学籍证明 (Chinese, `copies` copies) carried to 办结; its certificate as the server has it."""
    applicant, handler, answers, handling = CASES[CODE]
    me, them = Client(server, applicant), Client(server, handler)
    data = example(CODE, applicant, **{**answers, "copies": copies, "cert_language": "中文"})
    app_id = me.submit(CODE, data, next_handler=handler)
    response = them.act(app_id, "approve", data=example(CODE, handler, "handle", **handling))
    assert response.status_code == 200 and response.json()["status"] == "completed", response.text
    return me, app_id, me.get(f"/api/v1/applications/{app_id}/certificate").json()


def server_count(me: Client, app_id: str) -> int:
    return int(me.get(f"/api/v1/applications/{app_id}/certificate").json()["copies_printed"])


def open_application(ui: Any, app_id: str) -> None:
    ui.wait_for(lambda: current_page(ui) == "homePage", timeout=20_000)
    synced(ui)
    QMetaObject.invokeMethod(ui.window, "openTasks", Q_ARG(str, "mine"))
    ui.wait_for(lambda: ui.find_visible("workItem_" + app_id) is not None, timeout=20_000)
    ui.wait_for(lambda: not ui.find("pageStack").property("busy"))
    ui.tap(ui.find_visible("workItem_" + app_id))
    ui.wait_for(lambda: current_page(ui) == "applicationPage")
    ui.wait_for(lambda: ui.find_visible("certificateCard") is not None, timeout=20_000)


def status_text(ui: Any) -> str:
    return str(ui.find("printStatus").property("text"))


def copies_text(ui: Any) -> str:
    return str(ui.find("certificateCopies").property("text"))


def tap_print(ui: Any, expect: str) -> None:
    ui.wait_for(lambda: ui.find("printCertificate").isEnabled(), timeout=20_000)
    ui.tap(scrolled_to(ui, "printCertificate"))
    try:
        ui.wait_for(lambda: expect in status_text(ui), timeout=30_000)
    except Exception:
        raise AssertionError((expect, status_text(ui), ui.state.certificates.property("status"))) from None
    ui.wait_for(lambda: not ui.state.certificates.property("busy"))


def test_print_at_the_kiosk(server: LiveServer, cups: PrivateCups, launch_ui: Any) -> None:
    me, app_id, cert = finished(server, copies=3)
    assert cert["copies_allowed"] == 3
    ui = launch_ui(server.url, printer_uri=cups.uri("hall"))
    log_in(ui, me.user_id, NEW_PW)
    open_application(ui, app_id)
    ui.wait_for(lambda: "可打印 3 份" in copies_text(ui))
    ui.screenshot("certificate-1-ready")

    # A tap prints one copy (on a printer that takes two seconds: 正在打印… shows meanwhile): the queue received
    # the certificate itself, and the server counts it.
    before = len(cups.printed())
    cups.admin("lpadmin", "-p", "hall", "-v", f"slow:{cups.out}")
    try:
        ui.tap(scrolled_to(ui, "printCertificate"))
        ui.wait_for(lambda: "正在打印" in status_text(ui), timeout=20_000)
        assert not ui.find("printCertificate").isEnabled()  # one job at a time
        ui.screenshot("certificate-2a-printing")
        ui.wait_for(lambda: "已打印" in status_text(ui), timeout=30_000)
    finally:
        cups.admin("lpadmin", "-p", "hall", "-v", f"capture:{cups.out}")
    ui.screenshot("certificate-2-printed")
    printed = cups.printed()
    assert len(printed) == before + 1
    assert hashlib.sha256(printed[-1].read_bytes()).hexdigest() == cert["sha256"]
    ui.wait_for(lambda: server_count(me, app_id) == 1, timeout=20_000)
    ui.wait_for(lambda: "可打印 2 份" in copies_text(ui))

    # The printer disabled (离线), then a job the device fails (打印失败): said, nothing printed or counted.
    cups.admin("cupsdisable", "hall")
    try:
        tap_print(ui, "打印机离线")
        ui.screenshot("certificate-3-printer-offline")
        # In English the same fault, the count and the card are said in English (the view keeps the code).
        ui.state.display.setLanguage("en_US")
        ui.wait_for(lambda: "printer is offline" in status_text(ui))
        assert "Copies left to print: 2" in copies_text(ui), copies_text(ui)
        ui.screenshot("certificate-3-printer-offline-en")
        ui.state.display.setLanguage("zh_CN")
        ui.wait_for(lambda: "打印机离线" in status_text(ui))
    finally:
        cups.admin("cupsenable", "hall")
    # Out of paper: the kiosk pointed at the session's out-of-paper queue for one tap (a media-empty reason a
    # backend sets stays on its queue, so the hall queue is not used): said, nothing printed or counted.
    view = ui.state.certificates
    config = view._config
    view._config = config.with_overrides(printer_uri=cups.uri("nopaper"))
    try:
        tap_print(ui, "打印机缺纸")
        ui.screenshot("certificate-3b-no-paper")
    finally:
        view._config = config
    cups.admin("lpadmin", "-p", "hall", "-v", "fail:/")
    try:
        tap_print(ui, "打印失败")
    finally:
        cups.admin("lpadmin", "-p", "hall", "-v", f"capture:{cups.out}")
    synced(ui)
    assert len(cups.printed()) == before + 1 and server_count(me, app_id) == 1
    assert "可打印 2 份" in copies_text(ui)

    # Offline: the PDF held here prints, counted here; the copy reaches the server when it is back.
    port = server.port
    server.stop()
    ui.wait_for(lambda: ui.state.state.connection != "online", timeout=30_000)
    tap_print(ui, "已打印")
    assert hashlib.sha256(cups.printed()[-1].read_bytes()).hexdigest() == cert["sha256"]
    ui.wait_for(lambda: "可打印 1 份" in copies_text(ui))
    assert ui.state.sync.property("pendingCount") >= 1
    ui.screenshot("certificate-4-printed-offline")
    server.start(port=port)
    ui.wait_for(lambda: ui.state.state.connection == "online", timeout=30_000)
    synced(ui)
    ui.wait_for(lambda: server_count(me, app_id) == 2, timeout=20_000)

    # The last copy; then 打印证明 is disabled and says a reprint needs a new application.
    tap_print(ui, "已打印")
    ui.wait_for(lambda: server_count(me, app_id) == 3, timeout=20_000)
    ui.wait_for(lambda: "可打印 0 份" in copies_text(ui))
    ui.wait_for(lambda: ui.find_visible("certificateRefusal") is not None or "重新" in status_text(ui))
    assert not ui.find("printCertificate").isEnabled()
    assert "重新提交申请" in str(ui.find("certificateRefusal").property("text"))
    ui.screenshot("certificate-5-all-printed")
    assert len(cups.printed()) == before + 3

    # Logout wipes the certificate and its PDF with the rest of the user's data.
    pdf = printed[-1].read_bytes()
    log_out(ui)
    ui.state.workers.wait(10_000)
    store = ui.state.store
    assert store.held_certificate(me.user_id, app_id) is None
    on_disk = Path(store.path).read_bytes()
    wal = Path(str(store.path) + "-wal")
    on_disk += wal.read_bytes() if wal.exists() else b""
    assert cert["code"].encode() not in on_disk and pdf[2000:2100] not in on_disk


def test_a_kiosk_without_a_printer_says_where_to_print(server: LiveServer, launch_ui: Any) -> None:
    """In English too: the card and where to print (kiosk.toml's print_elsewhere_en)."""
    me, app_id, _ = finished(server, copies=1)
    ui = launch_ui(server.url, language="en_US")
    log_in(ui, me.user_id, NEW_PW)
    open_application(ui, app_id)
    note = ui.find_visible("printElsewhere")
    assert note is not None and "service hall" in str(note.property("text")), note.property("text")
    assert "has no printer" in str(note.property("text"))
    assert not ui.find("printCertificate").isVisible()
    ui.screenshot("certificate-6-no-printer-en")
    ui.state.display.setLanguage("zh_CN")
    ui.wait_for(lambda: "服务大厅" in str(ui.find("printElsewhere").property("text")))
    ui.screenshot("certificate-6-no-printer")


def test_printer_faults_are_told_apart(cups: PrivateCups) -> None:
    """Out of paper, a failing device, a disabled queue, an unreachable scheduler: each its own outcome, the
    job cancelled (nothing comes out later)."""
    pdf = b"%PDF-1.4\n% not printed\n%%EOF\n"
    phases: list[str] = []
    assert certificates.print_document(IppPrinter(cups.uri("nopaper")), pdf, "t", phases.append) == "no_paper"
    # Refused before the job if the queue already says media-empty (the UI test's tap), else met while printing.
    assert phases in ([], ["sending", "printing"])
    assert certificates.print_document(IppPrinter(cups.uri("broken")), pdf, "t", phases.append) == "failed"
    cups.admin("cupsdisable", "broken")
    try:
        assert certificates.print_document(IppPrinter(cups.uri("broken")), pdf, "t", phases.append) == "offline"
    finally:
        cups.admin("cupsenable", "broken")
    assert certificates.print_document(IppPrinter("ipp://127.0.0.1:9/printers/x"), pdf, "t", phases.append) == "offline"
    assert "缺纸" in say("no_paper") and "out of paper" in say("no_paper", "en_US")


def test_a_desk_downloads_the_certificate(
    server: LiveServer, launch_ui: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """下载 on a desk: the file written where the dialog said is the certificate (the dialog itself is the
    system's; its chosen URL is handed to the same slot). 打印 is offered beside it; a build without Qt's printing
    modules writes the PDF for the system's viewer on a worker thread, not the GUI thread."""
    me, app_id, cert = finished(server, copies=1)
    ui = launch_ui(server.url, mode="desk", size=(1440, 900))
    log_in(ui, me.user_id, NEW_PW)
    open_application(ui, app_id)
    assert ui.find_visible("deskPrintCertificate").isEnabled()
    assert not ui.find("printCertificate").isVisible() and not ui.find("printElsewhere").isVisible()
    target = tmp_path / "在读学籍证明.pdf"
    ui.state.certificates.saveTo(QUrl.fromLocalFile(str(target)))
    ui.wait_for(lambda: ui.state.certificates.property("status") == "done", timeout=20_000)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == cert["sha256"]
    assert str(target) in status_text(ui)
    ui.screenshot("certificate-7-desk")

    from kiosk.views import desk_print

    written: list[tuple[Path, bool]] = []
    opened: list[bool] = []

    def write(pdf: bytes, title: str) -> Path:
        path = tmp_path / "viewer.pdf"
        path.write_bytes(pdf)
        written.append((path, threading.current_thread() is threading.main_thread()))
        return path

    monkeypatch.setattr(desk_print, "can_print_here", lambda: False)
    monkeypatch.setattr(desk_print, "write_for_viewer", write)

    def open_it(path: Path) -> tuple[str, dict[str, Any]]:  # the system's viewer is not started in a test
        opened.append(path.exists())
        return "desk_viewer", {}

    monkeypatch.setattr(desk_print, "open_in_viewer", open_it)
    ui.state.certificates.printWithDialog()
    ui.wait_for(lambda: "PDF 阅读器" in status_text(ui), timeout=20_000)
    [(path, on_gui_thread)] = written
    assert not on_gui_thread and opened == [True]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == cert["sha256"]

    # 打印's drawing (the dialog aside): the page rendered onto a QPrinter, here one that writes a PDF.
    from PySide6.QtPrintSupport import QPrinter

    from kiosk.views.desk_print import render_onto

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # 96 dpi: cheap; a real printer's is its own
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "desk-print.pdf"))
    assert render_onto(printer, target.read_bytes()) == ("desk_sent", {})
    info = subprocess.run(["pdfinfo", str(tmp_path / "desk-print.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "(A4)" in info, info
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(tmp_path / "desk-print.pdf"), str(tmp_path / "p")])
    from PIL import Image

    page = Image.open(next(tmp_path.glob("p-*.png")))
    assert page.convert("L").getextrema()[0] < 100, "the printed page is blank"


def test_two_kiosks_race_for_the_last_copy(server: LiveServer, cups: PrivateCups, tmp_path: Path) -> None:
    """Two kiosks (their own stores and sessions, the real services, no UI) hold the certificate with one copy
    left and print at once: each claims the copy on the server before its job, so exactly one job reaches the
    queue; the other kiosk is told 份数已用完 and prints nothing. The winner's op confirms its claim; both then show
    none left. A job that fails lets its claim go, so the copy is free again at once."""
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient
    from kiosk.services.sync import SyncEngine
    from tests.helpers import login

    kiosks = []
    me, app_id, cert = finished(server, copies=1)
    for n in (1, 2):
        client = ApiClient(server.url)
        client.access_token = login(server, me.user_id, NEW_PW).json()["access_token"]
        store = LocalStore(tmp_path / f"kiosk-{n}.db")
        kiosks.append((client, store, SyncEngine(client, store, f"kiosk-{n}")))
    jobs = [str(uuid.uuid4()) for _ in kiosks]

    def print_at(n: int, held: Any, queue: str = "hall") -> str:
        client, store, _ = kiosks[n]
        return certificates.fetch_and_print(
            client, store, me.user_id, held, cups.uri(queue), 30, lambda _: None, job_id=jobs[n], device_id=f"k{n}"
        )

    helds = [certificates.look_up(c, s, me.user_id, app_id) for c, s, _ in kiosks]
    assert all(h is not None and h.copies_left == 1 for h in helds)
    # A failing job first: its claim is released, and the copy is not lost.
    assert print_at(0, helds[0], "broken") == "failed"
    jobs[0] = str(uuid.uuid4())

    before = len(cups.printed())
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def race(n: int) -> None:
        barrier.wait()
        outcomes[n] = print_at(n, helds[n])

    threads = [threading.Thread(target=race, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes.values()) == ["claimed", "done"], outcomes
    assert len(cups.printed()) == before + 1  # exactly one job reached the queue
    assert "份数已用完" in say("claimed") and "No copies left" in say("claimed", "en_US")

    winner = next(n for n, outcome in outcomes.items() if outcome == "done")
    _, store, engine = kiosks[winner]
    store.enqueue(me.user_id, *certificates.print_write(me.user_id, app_id, cert["id"], "k", jobs[winner]))
    assert engine.push(me.user_id).applied == 1  # the op confirms the winner's claim
    assert server_count(me, app_id) == 1
    for n, (client, store, _) in enumerate(kiosks):
        held = certificates.look_up(client, store, me.user_id, app_id)
        assert held is not None and held.copies_left == 0 and "重新提交申请" in held.refusal(date.today())
        # Asked again (a page left open), the kiosk is refused before any job.
        jobs[n] = str(uuid.uuid4())
        assert print_at(n, helds[n]) == "used"
        store.close()
    assert len(cups.printed()) == before + 1
