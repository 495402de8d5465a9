"""打印 on a desk: the system's print dialog (Qt Print Support), then each page of the PDF rendered by Qt PDF at the
printer's resolution and drawn onto it. A desk has a person and a print dialog; the kiosk prints through
CUPS's own PDF path instead (kiosk/services/ipp.py says why).

A client built without Qt PDF or Qt Print Support opens the PDF in the system's PDF viewer instead, whose own 打印
prints it; the file is the user's, in their cache directory, written on a worker thread (`write_for_viewer`), then
opened on the GUI thread (`open_in_viewer`). Each function answers a code of kiosk/services/certificate_texts.py
and its values."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter

Said = tuple[str, dict[str, Any]]


def can_print_here() -> bool:
    """Qt PDF and Qt Print Support are in this build (a bundle may leave them out)."""
    try:
        from PySide6.QtPdf import QPdfDocument  # noqa: F401
        from PySide6.QtPrintSupport import QPrintDialog  # noqa: F401
    except ImportError:
        return False
    return True


def print_pdf(pdf: bytes, title: str, dialog_title: str = "打印证明") -> Said:
    """Ask for a printer (the system's dialog) and print `pdf` (GUI thread)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer)
    dialog.setWindowTitle(dialog_title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return "desk_cancelled", {}
    return render_onto(printer, pdf)


def render_onto(printer: Any, pdf: bytes) -> Said:
    """Draw each page of `pdf` onto `printer` (a QPrinter), rendered at its resolution."""
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        return "desk_unreadable", {}
    painter = QPainter()
    if not painter.begin(printer):
        return "desk_printer_unusable", {}
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            # The page scaled into the printable area, its proportions kept.
            size = document.pagePointSize(page).toSize().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = document.render(page, size)
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
    return "desk_sent", {}


def write_for_viewer(pdf: bytes, title: str) -> Path:
    """The PDF written to the user's cache directory for the viewer (a worker thread: file I/O)."""
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation) or tempfile.gettempdir()
    folder = Path(cache) / "certificates"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    safe = "".join(c for c in title if c not in '/\\:*?"<>|').strip() or "certificate"
    path = folder / f"{safe}.pdf"
    path.write_bytes(pdf)
    return path


def open_in_viewer(path: Path) -> Said:
    """Open the written PDF in the system's viewer (GUI thread)."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return "desk_no_viewer", {"path": str(path)}
    return "desk_viewer", {}
