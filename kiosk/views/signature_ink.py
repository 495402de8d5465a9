"""SignatureInk (QML element): the PNG of a signature pad's strokes, drawn with QPainter from the points the pad
collected. The pad shows its ink with Qt Quick Shapes and asks for the image here when a stroke ends; it used a
Canvas (toDataURL in onPainted), and the suite's process died now and then inside those strokes (SIGABRT,
SIGBUS, SIGSEGV under the software renderer) — the app's only Canvas, gone with it."""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPointF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtQml import QmlElement

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

INK = QColor("#1c2430")
MAX_SIDE = 2000  # a pad is a few hundred pixels; a bigger request is not a pad's


def _point(value: Any) -> QPointF | None:
    if isinstance(value, QPointF):
        return value
    if isinstance(value, dict) and "x" in value and "y" in value:
        try:
            return QPointF(float(value["x"]), float(value["y"]))
        except (TypeError, ValueError):
            return None
    return None


def signature_png(strokes: list[Any], width: int, height: int, line_width: float) -> bytes:
    """The strokes as a transparent PNG of width × height, ink in round-capped lines; b"" for no ink."""
    width, height = max(1, min(int(width), MAX_SIDE)), max(1, min(int(height), MAX_SIDE))
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(INK, line_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    inked = False
    for stroke in strokes or []:
        points = [p for p in (_point(v) for v in (stroke or [])) if p is not None]
        if not points:
            continue
        inked = True
        if len(points) == 1:  # a tap is a dot
            painter.drawPoint(points[0])
            continue
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)
    painter.end()
    if not inked:
        return b""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@QmlElement
class SignatureInk(QObject):
    @Slot("QVariantList", float, float, float, result=str)
    def dataUrl(self, strokes: list[Any], width: float, height: float, line_width: float) -> str:
        """The strokes' PNG as a data URL ("" for none); a few milliseconds for a pad's worth of points."""
        png = signature_png(strokes, int(width), int(height), line_width)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""
