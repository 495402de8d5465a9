"""Nothing of the last user remains on the real QML: a student leaves traces (the password shown with the eye, a
hall search, a chosen category, scrolled lists, an open page and dialog, a toast), then logs out — by 退出 and by
the idle countdown running out — and each trace is checked gone; and no frame after a successful login still
shows the login form (its password) over 首页."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt
from PySide6.QtGui import QGuiApplication

from tests.helpers import NEW_PW, STUDENT, STUDENT_PW, LiveServer, activated, copy_sqlite
from tests.qml.steps import assert_forgotten, current_page, in_view, log_in, open_form_of

SEARCH = "证明"


@pytest.fixture
def server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"), workdir=tmp_path).start()
    activated(live, STUDENT, STUDENT_PW)
    yield live
    live.stop()


class FrameLog:
    """At each frame the window swaps: which page the stack shows and whether any part of the login form (its
    card, its password field) is visible, with whether someone is signed in by then."""

    def __init__(self, ui: Any) -> None:
        self.ui = ui
        self.frames: list[tuple[bool, str, bool]] = []
        self.pages: list[tuple[str, ...]] = []  # the stack's pages drawn in each frame
        # Signed in as the screen knows it: from Session.signedIn, which switches the page in the same call. (The
        # `loggedIn` getter turns true a moment earlier, when the server said yes and the store is still being
        # settled; the login form, busy, is what the screen rightly shows until then.)
        self.signed_in = bool(ui.state.session.property("loggedIn"))
        ui.state.session.signedIn.connect(self.mark_signed_in, Qt.ConnectionType.DirectConnection)
        ui.state.session.signedOut.connect(self.mark_signed_out, Qt.ConnectionType.DirectConnection)
        ui.window.frameSwapped.connect(self.record, Qt.ConnectionType.DirectConnection)

    def mark_signed_in(self) -> None:
        self.signed_in = True

    def mark_signed_out(self, _reason: str = "") -> None:
        self.signed_in = False

    def record(self) -> None:
        login_shown = any(i.objectName() in ("loginCard", "passwordField") and i.isVisible() for i in self.ui.items())
        stack = self.ui.find("pageStack")
        pages = tuple(c.objectName() for c in stack.childItems() if c.isVisible() and c.opacity() > 0)
        self.frames.append((self.signed_in, current_page(self.ui), login_shown))
        self.pages.append(pages)

    def stop(self) -> None:
        self.ui.window.frameSwapped.disconnect(self.record)
        self.ui.state.session.signedIn.disconnect(self.mark_signed_in)
        self.ui.state.session.signedOut.disconnect(self.mark_signed_out)


def _log_in_with_eye_open(ui: Any) -> FrameLog:
    """Sign in as a student would who checked the password with the eye; record every frame meanwhile."""
    ui.type_into("userField", STUDENT)
    ui.type_into("passwordField", NEW_PW)
    password = ui.find_visible("passwordField")
    ui.tap(ui.find_visible("revealButton", password))
    assert password.property("revealed") is True
    assert ui.find_visible("passwordFieldInput").property("displayText") == NEW_PW  # readable on the screen
    frames = FrameLog(ui)
    ui.tap("loginButton")
    ui.wait_for(lambda: current_page(ui) == "homePage")
    ui.settle(300)
    frames.stop()
    return frames


def _assert_no_login_frame_after_login(frames: FrameLog) -> None:
    signed_in = [f for f in frames.frames if f[0]]
    assert signed_in, "no frame was drawn after the login"
    shown = [f for f in signed_in if f[1] == "loginPage" or f[2]]
    assert not shown, f"{len(shown)} of {len(signed_in)} frames after login still show the login form: {shown[:3]}"


def _hall(ui: Any) -> None:
    QGuiApplication.inputMethod().hide()
    ui.settle(250)
    ui.tap(ui.find_visible("nav_hall"))
    ui.wait_for(lambda: current_page(ui) == "hallPage")
    ui.wait_for(lambda: ui.state.hall.property("indexReady"))


def _scroll_to_end(ui: Any, name: str) -> Any:
    view = ui.find_visible(name)
    ui.wait_for(lambda: view.property("contentHeight") > view.height())
    view.setProperty("contentY", view.property("contentHeight") - view.height())
    ui.settle(50)
    assert view.property("contentY") > 0
    return view


def _assert_fresh_hall(ui: Any) -> None:
    """The next user's 办事大厅: the home view from its top, no search text, no category, no scroll."""
    hall = ui.state.hall
    assert (hall.property("view"), hall.property("query"), hall.property("filter")) == ("home", "", "")
    _hall(ui)
    assert ui.find_visible("hallSearchInput").property("text") == ""
    assert ui.find_visible("hallTab_home").property("checked") is True
    home = ui.find_visible("hallHome")
    assert home.property("contentY") == 0
    assert SEARCH not in "\n".join(ui.texts(ui.find("hallPage")))


def _assert_fresh_login(ui: Any) -> None:
    ui.wait_for(lambda: current_page(ui) == "loginPage")
    assert ui.find_visible("userFieldInput").property("text") == ""
    assert ui.find_visible("passwordFieldInput").property("text") == ""
    assert ui.find_visible("passwordField").property("revealed") is False
    toast = ui.find("toast")
    assert not toast.isVisible() and toast.property("message") == ""
    # No dialog, sheet or popup of the last user is open over the login page.
    overlay = [i for i in ui.items() if i.metaObject().className() == "QQuickOverlay"]
    opened = [c.objectName() or c.metaObject().className() for o in overlay for c in o.childItems() if c.isVisible()]
    assert not opened, f"still open over the login page: {opened}"
    assert ui.state.idle.property("countdownActive") is False


def test_logout_leaves_no_trace(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    frames = _log_in_with_eye_open(ui)
    _assert_no_login_frame_after_login(frames)

    # Traces: a category chosen and its list scrolled, A–Z scrolled, then a typed search left in the box.
    _hall(ui)
    ui.tap(ui.find_visible("hallTab_az"))
    _scroll_to_end(ui, "azList")
    ui.tap(ui.find_visible("hallTab_home"))
    _scroll_to_end(ui, "hallHome")
    tile = next(i for i in ui.items() if i.objectName().startswith("category_") and i.isVisible())
    ui.tap(tile)
    assert ui.state.hall.property("view") == "category"
    ui.type_into("hallSearch", SEARCH)
    assert ui.state.hall.property("query") == SEARCH
    QGuiApplication.inputMethod().hide()
    ui.settle(250)
    # A toast the next user must not read (what Sync.saved says after a submit).
    QMetaObject.invokeMethod(ui.find("toast"), "show", Q_ARG(str, "已保存，待同步"))
    ui.settle(50)
    assert ui.find("toast").isVisible()
    ui.screenshot("kiosk-traces-before-logout")

    frames = FrameLog(ui)
    ui.tap("logoutButton")
    _assert_fresh_login(ui)
    ui.settle(300)
    frames.stop()
    # From the tap on 退出 on, no frame draws the last user's page (its search, its results) over the login page.
    after = [p for (signed_in, _, _), p in zip(frames.frames, frames.pages, strict=True) if not signed_in]
    assert after and all(p == ("loginPage",) for p in after), after
    assert_forgotten(ui, "王子涵", NEW_PW, "已保存，待同步")
    ui.screenshot("kiosk-traces-after-logout")

    # The next person (here the same student again) starts from a clean hall.
    frames = _log_in_with_eye_open(ui)
    _assert_no_login_frame_after_login(frames)
    _assert_fresh_hall(ui)


def test_idle_timeout_leaves_no_trace(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    idle = ui.state.idle
    idle.set_quiet_ms(1_500)  # the minute of quiet, shortened for the test
    idle.countdown_s = 2
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")

    # Traces: A–Z scrolled, a search typed, a process's guide open over the hall, the idle dialog itself.
    _hall(ui)
    ui.tap(ui.find_visible("hallTab_az"))
    _scroll_to_end(ui, "azList")
    ui.type_into("hallSearch", SEARCH)
    QGuiApplication.inputMethod().hide()
    ui.settle(250)
    card = next(i for i in ui.items() if i.objectName().startswith("process_") and i.isVisible())
    ui.tap(card)
    ui.wait_for(lambda: current_page(ui) == "formPage")
    QMetaObject.invokeMethod(ui.find("toast"), "show", Q_ARG(str, "已保存，待同步"))
    ui.settle(50)
    assert ui.find("toast").isVisible()
    dialog = ui.window.findChild(QObject, "idleDialog")
    ui.wait_for(lambda: dialog.property("opened"), timeout=8_000)
    ui.screenshot("kiosk-traces-idle-countdown")

    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=8_000)
    ui.settle(300)
    assert dialog.property("opened") is False and dialog.property("visible") is False
    _assert_fresh_login(ui)
    assert_forgotten(ui, "王子涵", NEW_PW, "已保存，待同步")
    ui.screenshot("kiosk-traces-after-idle")

    idle.set_quiet_ms(600_000)  # the next user is not timed out mid-check
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    _assert_fresh_hall(ui)


def test_idle_timeout_over_a_half_filled_form_and_its_date_picker(server: LiveServer, launch_ui: Any) -> None:
    ui = launch_ui(server.url)
    idle = ui.state.idle
    idle.countdown_s = 2
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    open_form_of(ui, "jw-zaidu-zhengming")
    in_view(ui, "field_receiver_org")
    ui.type_into("input_receiver_org", "ZX0311BANK")
    QGuiApplication.inputMethod().hide()
    ui.tap(in_view(ui, "input_wanted_date"))
    ui.wait_for(lambda: ui.find_visible("datePickerOk") is not None)
    idle.set_quiet_ms(500)  # the student walks away with the date picker open
    dialog = ui.window.findChild(QObject, "idleDialog")
    ui.wait_for(lambda: dialog.property("opened"), timeout=5_000)
    ui.screenshot("kiosk-traces-idle-over-date-picker")

    ui.wait_for(lambda: current_page(ui) == "loginPage", timeout=8_000)
    ui.settle(300)
    _assert_fresh_login(ui)
    assert not any(i.objectName() in ("datePickerOk", "confirmSubmit") and i.isVisible() for i in ui.items())
    assert_forgotten(ui, "王子涵", "ZX0311BANK", "410105200403150311", "2022010101")

    # The next user's form of the same process starts empty (a kiosk keeps no draft).
    idle.set_quiet_ms(600_000)
    log_in(ui, STUDENT, NEW_PW)
    ui.wait_for(lambda: current_page(ui) == "homePage")
    open_form_of(ui, "jw-zaidu-zhengming")
    assert ui.find_visible("input_receiver_orgInput").property("text") == ""
