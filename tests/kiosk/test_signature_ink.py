"""The signature's PNG (kiosk/views/signature_ink.py) drawn from the pad's points: ink where the strokes ran and
nowhere else, a tap as a dot, nothing for no ink, and points QML could not have meant ignored."""

from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image
from PySide6.QtCore import QPointF

from kiosk.views.signature_ink import SignatureInk, signature_png


def dark(png: bytes) -> set[tuple[int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    return {
        (x, y)
        for y in range(height)
        for x in range(width)
        if pixels[x, y][3] > 128 and sum(pixels[x, y][:3]) < 3 * 128  # type: ignore[index]
    }


def test_strokes_are_drawn_where_they_ran(qapp: Any) -> None:
    horizontal = [QPointF(20, 50), QPointF(120, 50), QPointF(180, 50)]
    vertical = [{"x": 150, "y": 10}, {"x": 150, "y": 90}]  # a QML object point arrives as a dict
    png = signature_png([horizontal, vertical], 200, 100, 4)
    assert Image.open(io.BytesIO(png)).size == (200, 100)
    ink = dark(png)
    assert all(18 <= x <= 182 and 10 - 3 <= y <= 90 + 3 for x, y in ink)
    assert {(x, 50) for x in (20, 100, 180)} <= ink  # the line's ends and middle
    assert {(150, y) for y in (10, 30, 90)} <= ink
    assert (60, 20) not in ink and (60, 80) not in ink  # no ink away from the strokes
    # 4 px wide: a line of ~160 + 80 px has several hundred dark pixels, not thousands.
    assert 600 < len(ink) < 1400
    corner = Image.open(io.BytesIO(png)).convert("RGBA").getpixel((0, 0))
    assert corner[3] == 0  # transparent where there is no ink  # type: ignore[index]


def test_a_tap_is_a_dot_and_no_ink_is_no_image(qapp: Any) -> None:
    dot = dark(signature_png([[QPointF(40, 40)]], 80, 80, 6))
    assert (40, 40) in dot and len(dot) < 60
    assert signature_png([], 80, 80, 4) == b""
    assert signature_png([[], [None, "x", {"x": "a", "y": 1}]], 80, 80, 4) == b""


def test_the_data_url_qml_gets(qapp: Any) -> None:
    ink = SignatureInk()
    url = ink.dataUrl([[QPointF(5, 5), QPointF(60, 30)]], 64.0, 40.0, 3.0)
    assert url.startswith("data:image/png;base64,")
    assert Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).size == (64, 40)
    assert ink.dataUrl([], 64.0, 40.0, 3.0) == ""
    # A size no pad has is clamped, not allocated.
    huge = ink.dataUrl([[QPointF(1, 1), QPointF(9, 9)]], 1e9, 1e9, 3.0)
    assert Image.open(io.BytesIO(base64.b64decode(huge.split(",", 1)[1]))).size == (2000, 2000)
