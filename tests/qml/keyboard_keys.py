"""The virtual keyboard as a finger meets it: its layout and locale, and a key by the character it types
(shared by the keyboard tests and the ten-taps run)."""

from __future__ import annotations

from typing import Any


def keyboard(ui: Any) -> Any:
    panel = ui.find("inputPanel")
    return next(i for i in ui.items(panel) if i.metaObject().className().startswith("Keyboard_QMLTYPE"))


def layout_of(ui: Any) -> tuple[str, str]:
    """What the keyboard shows: its layout type (main, digits, symbols …) and its locale."""
    ui.settle(150)
    board = keyboard(ui)
    return str(board.property("layoutType")), str(board.property("locale"))


def key(ui: Any, text: str) -> Any:
    """A key of the keyboard by the character it types, as a finger finds it."""
    panel = ui.find("inputPanel")
    return next(
        i
        for i in ui.items(panel)
        if i.isVisible() and "Key" in i.metaObject().className() and i.property("text") == text and i.width() > 0
    )
