"""`image://icon/<name>?color=<#rrggbb>`: the Tabler SVG icons, tinted and rendered at the requested size."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider
from PySide6.QtSvg import QSvgRenderer

from kiosk.resources import icons_dir

DEFAULT_SIZE = 48


@lru_cache(maxsize=128)
def _svg_source(name: str) -> bytes | None:
    if not name.replace("-", "").isalnum():
        return None
    path = icons_dir() / f"{name}.svg"
    return path.read_bytes() if path.is_file() else None


class IconProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, icon_id: str, size: QSize, requested: QSize) -> QImage:
        parts = urlsplit(icon_id)
        name = parts.path
        color = parse_qs(parts.query).get("color", ["#000000"])[0]
        if not QColor.isValidColorName(color):
            color = "#000000"
        width = requested.width() if requested.width() > 0 else DEFAULT_SIZE
        height = requested.height() if requested.height() > 0 else width
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        svg = _svg_source(name)
        if svg is not None:
            # Tabler icons draw with currentColor; substitute the colour QML asked for.
            renderer = QSvgRenderer(QByteArray(svg.replace(b"currentColor", color.encode())))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
        if size is not None:
            size.setWidth(width)
            size.setHeight(height)
        return image
