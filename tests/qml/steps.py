"""What a person does in the real UI, shared by the UI tests: signing in, finding a process in the hall and
opening its form, scrolling a field into view, reading a field's error, and checking that a user is forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, QMetaObject, QPointF
from PySide6.QtGui import QGuiApplication


def current_page(ui: Any) -> str:
    item = ui.find("pageStack").property("currentItem")
    return item.objectName() if item is not None else ""


def log_in(ui: Any, user_id: str, password: str) -> None:
    ui.type_into("userField", user_id)
    ui.type_into("passwordField", password)
    ui.settle(100)
    button = ui.find_visible("loginButton")
    if ui.state.config.mode == "kiosk":  # the keyboard is up: the button must still be reachable above it
        panel = ui.find("inputPanel")
        assert ui.center(button).y() < panel.mapToScene(QPointF(0, 0)).y(), "登录 is hidden under the keyboard"
    ui.tap(button)


def store_bytes(ui: Any) -> bytes:
    """Everything on disk of the kiosk's local store: the database file and its WAL."""
    path = Path(ui.state.store.path)
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def assert_forgotten(ui: Any, *markers: str) -> None:
    ui.state.workers.wait(10_000)  # the wipe runs on a worker thread
    on_disk = store_bytes(ui)
    shown = "\n".join(ui.texts())
    for marker in markers:
        assert marker.encode() not in on_disk, f"{marker!r} still in the store or its WAL"
        assert marker not in shown, f"{marker!r} still on screen"
    assert ui.state.store.profile() is None
    assert ui.state.auth.current is None and ui.state.client.access_token is None
    assert ui.state.session.devices.rowCount() == 0


def in_view(ui: Any, name: str) -> Any:
    """Scroll the form so the item is on screen (a finger cannot reach what is scrolled away)."""
    item = ui.find_visible(name)
    scroller = ui.find("formScroller")
    content = scroller.property("contentItem")
    if not any(parent is content for parent in _ancestors(item)):
        return item  # outside the scrolling part (the actions row stays in view)
    # While the keyboard slides in the form keeps the focused field in view on every step of its height, which
    # would scroll back what a finger scrolled meanwhile: scroll again until the item stays put.
    for _ in range(20):
        y = item.mapToItem(content, QPointF(0, 0)).y()
        fits = item.height() <= scroller.height()
        # Some room above for what comes before, the whole item when it fits, else its top.
        wanted = max(y - 40, y + item.height() - scroller.height()) if fits else y
        limit = scroller.property("contentHeight") - scroller.height()
        scroller.setProperty("contentY", max(0.0, min(wanted, limit)))
        ui.settle(60)
        top = item.mapToItem(scroller, QPointF(0, 0)).y()
        if top >= -1 and (top + item.height() <= scroller.height() + 1 if fits else top <= 1):
            return item
    raise AssertionError(f"{name} cannot be scrolled into view")


def _ancestors(item: Any) -> Iterator[Any]:
    while item is not None:
        yield item
        item = item.parentItem()


def find_in_hall(ui: Any, code: str) -> Any:
    """Go to 办事大厅 and search for the process by its name, as a user would; returns its card."""
    QGuiApplication.inputMethod().hide()  # the keyboard's ⌄ key: the navigation bar comes back
    ui.wait_for(lambda: ui.find_visible("nav_hall") is not None)
    ui.tap(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))
    # The list models are read as attributes: QObject.property() cannot hand Python a property typed with a
    # Python class ("Can't find converter for 'ProcessListModel*'"); QML reads them either way.
    name = next(r.name for r in ui.state.catalog.processes.rows() if r.code == code)
    search = ui.find_visible("hallSearchInput")
    search.setProperty("text", "")
    ui.type_into("hallSearch", name)
    QGuiApplication.inputMethod().hide()  # done typing: the results get the whole page
    ui.settle(100)
    ui.wait_for(lambda: ui.find_visible("process_" + code) is not None)
    return ui.find_visible("process_" + code)


def open_form(ui: Any, code: str) -> None:
    """A tap on the process's card opens its form at once (as the manual: the process's name starts it)."""
    ui.tap(find_in_hall(ui, code))
    ui.wait_for(lambda: current_page(ui) == "formPage")


def field_error(ui: Any, name: str) -> str:
    return str(ui.find("fieldError", ui.find("field_" + name)).property("text"))


def open_form_of(ui: Any, code: str) -> Any:
    window = ui.window
    QGuiApplication.inputMethod().hide()
    panel = next((i for i in ui.items() if i.objectName() == "inputPanel"), None)
    if panel is not None:  # the keyboard slides away first; a tap meanwhile would land on it
        ui.wait_for(lambda: not panel.isVisible() or panel.property("active") is False)
        ui.settle(250)
    # What a tap on the process's card calls (finding 64 cards by search is test_hall_forms.py's part).
    QMetaObject.invokeMethod(window, "openProcess", Q_ARG(str, code))
    ui.wait_for(lambda: current_page(ui) == "formPage")
    page = ui.find("pageStack").property("currentItem")
    assert page.property("processCode") == code
    controller = next(c for c in page.children() if type(c).__name__ == "FormController")
    ui.wait_for(lambda: controller.property("state") in ("ready", "missing"))
    assert controller.property("state") == "ready", (code, controller.property("state"))
    return controller


def back_to_start(ui: Any) -> None:
    QMetaObject.invokeMethod(ui.find("pageStack"), "popToIndex", Q_ARG(int, 0))
    ui.settle(50)


def on_home(ui: Any, name: str, root: Any = None) -> Any:
    """Scroll 首页 until the item is on screen, as a finger would; returns the item."""
    item = ui.find_visible(name, root)
    flick = ui.find("homeScroll")
    content = flick.property("contentItem")
    y = item.mapToItem(content, QPointF(0, 0)).y()
    limit = max(0.0, flick.property("contentHeight") - flick.height())
    flick.setProperty("contentY", max(0.0, min(y - 40, limit)))
    ui.settle(100)
    return item


def sign_out_from_profile(ui: Any) -> None:
    """退出登录 at the end of 个人中心, scrolled to first (as with the wheel): the page is longer than a desk window."""
    ui.wait_idle()
    profile = ui.find("profileScroll")
    button = ui.find("profileLogoutButton")

    def in_view() -> bool:
        # Scrolled to the end again each time: the page grows while its cards load (under load, after the first
        # scroll), and a click at a button below the window goes nowhere.
        profile.setProperty("contentY", max(0.0, profile.property("contentHeight") - profile.height()))
        bottom = button.mapToScene(QPointF(0, button.height())).y()
        return button.isVisible() and 0 < bottom <= ui.window.height()

    ui.wait_for(in_view)
    ui.settle(60)
    ui.click(button)
