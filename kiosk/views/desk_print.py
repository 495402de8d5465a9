"""打印 on a desk: the system's print dialog (Qt Print Support), then each page of the PDF rendered by Qt PDF at the
printer's resolution and drawn onto it. A desk has a person and a print dialog; the kiosk prints through
CUPS's own PDF path instead (kiosk/services/ipp.py says why)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter


def print_pdf(pdf: bytes, title: str) -> str:
    """Ask for a printer and print `pdf`; returns what to tell the user."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer)
    dialog.setWindowTitle("打印证明")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return "已取消打印"
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
