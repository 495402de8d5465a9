"""`image://qr/<key>`: the QR code registered under <key>, painted crisp at the requested size."""

from __future__ import annotations

import threading

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._lock = threading.Lock()  # QML may request images from its own loader threads
        self._codes: dict[str, list[list[bool]]] = {}

    def show(self, key: str, text: str) -> None:
        from kiosk.services.qr import qr_matrix  # qrcode is needed only once someone asks for a code

        matrix = qr_matrix(text)
        with self._lock:
            self._codes = {key: matrix}  # one code at a time: the old ticket's image is dropped

    def clear(self) -> None:
        with self._lock:
            self._codes = {}

    def requestImage(self, key: str, size: QSize, requested: QSize) -> QImage:
        with self._lock:
            matrix = self._codes.get(key)
        side = max(requested.width(), requested.height(), 256)
        image = QImage(side, side, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        if matrix:
            modules = len(matrix)
            cell = side // modules  # whole pixels per module: no blurred edges for the phone's camera
            offset = (side - cell * modules) // 2
            painter = QPainter(image)
            for y, row in enumerate(matrix):
                for x, dark in enumerate(row):
                    if dark:
                        painter.fillRect(QRect(offset + x * cell, offset + y * cell, cell, cell), Qt.GlobalColor.black)
            painter.end()
        if size is not None:
            size.setWidth(side)
            size.setHeight(side)
        return image
