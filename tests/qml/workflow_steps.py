"""Steps the workflow UI tests share: sync and wait until the boxes were read again, log out, scroll the
progress page to an item as a finger would."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication

from tests.qml.steps import current_page


def synced(ui: Any) -> None:
    """立即同步, then wait until nothing is pending and the boxes were read again."""
    ui.state.sync.syncNow()
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=30_000)
    ui.wait_for(lambda: not ui.state.sync.property("syncing"), timeout=30_000)
    ui.state.inbox.reload()
    ui.settle(300)


def log_out(ui: Any) -> None:
    QGuiApplication.inputMethod().hide()
    ui.settle(200)
    ui.tap(ui.find_visible("logoutButton"))
    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=15_000)


def scrolled_to(ui: Any, name: str) -> Any:
    """Scroll the progress page so the item is on screen, above the keyboard (as a finger would)."""
    item = ui.find_visible(name)
    scroller = ui.find("applicationScroller")
    y = item.mapToItem(scroller.property("contentItem"), QPointF(0, 0)).y()
    room = scroller.property("contentHeight") - scroller.height()
    scroller.setProperty("contentY", max(0.0, min(y - 80, room)))
    ui.settle(60)
    return item
