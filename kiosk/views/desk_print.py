"""打印 on a desk: the system's print dialog (Qt Print Support), then each page of the PDF rendered by Qt PDF at the
printer's resolution and drawn onto it. A desk has a person and a print dialog; the kiosk prints through
CUPS's own PDF path instead (kiosk/services/ipp.py says why).

A client built without Qt PDF or Qt Print Support (the bundle leaves them out: installer/bundle) opens the PDF in
the system's PDF viewer instead, whose own 打印 prints it; the file is the user's, in their cache directory."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter


def print_pdf(pdf: bytes, title: str) -> str:
    """Ask for a printer and print `pdf`; returns what to tell the user."""
    try:
        from PySide6.QtPdf import QPdfDocument  # noqa: F401  (render_onto's; here to know it is there)
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    except ImportError:
        return _in_viewer(pdf, title)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer)
    dialog.setWindowTitle("打印证明")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return "已取消打印"
    return render_onto(printer, pdf)


def render_onto(printer: Any, pdf: bytes) -> str:
    """Draw each page of `pdf` onto `printer` (a QPrinter), rendered at its resolution."""
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        return "证明文件无法读取，未打印"
    painter = QPainter()
    if not painter.begin(printer):
        return "打印机无法使用，未打印"
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
    return "已发送到打印机"


def _in_viewer(pdf: bytes, title: str) -> str:
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation) or tempfile.gettempdir()
    folder = Path(cache) / "certificates"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{title or 'certificate'}.pdf"
    path.write_bytes(pdf)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return f"无法打开 PDF 阅读器；证明文件已保存在 {path}"
    return "已在 PDF 阅读器中打开证明，请从阅读器的菜单打印"
