"""Drive the real QML: load the Kiosk module against a server, find items by objectName, click, touch and
type with QTest, and save a screenshot of every screen under test-artifacts/screens/."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QPointingDevice
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest

import kiosk.views  # noqa: F401  (registers Kiosk.Backend)
from kiosk.backend import Backend
from kiosk.resources import qml_dir
from kiosk.services.config import KioskConfig
from kiosk.views import app_state, context
from tests.helpers import save_screenshot

# The kiosk tests need the virtual keyboard's input method (conftest.py sets it for the whole process), so the
# desk-mode tests run under it too, which the desk app never does. A desk window has no InputPanel, and then Qt
# Virtual Keyboard opens a keyboard window of its own at the first focused field: it takes the activation from
# the app's window (the field never gets focus, keys go nowhere) and outlives it at teardown (an abort, or a
# hang). That was the hang of the first desk-mode form test. Without that window a desk test types as on a PC.
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

# Warnings that Qt's own modules print, which we cannot fix. Each entry says why it is allowed.
QT_OWN_WARNINGS = (
    # Qt Virtual Keyboard's PopupList overrides a ListView member; printed when its QML type is loaded.
    "qt.qml.propertyCache.append: Member contentWidth of the object PopupList",
    "Member contentWidth of the object PopupList",
    # Qt Multimedia (pulled in by the keyboard's sounds) probes for PipeWire, absent on a server.
    "Couldn't load pipewire-0.3 library",
    "Couldn't resolve pipewire-0.3 symbols",
)


@dataclass
class MessageLog:
    messages: list[tuple[QtMsgType, str]] = field(default_factory=list)

    def ours(self) -> list[str]:
        """Warnings and errors that are not on Qt's own allow-list."""
        return [
            text
            for kind, text in self.messages
            if kind != QtMsgType.QtDebugMsg
            and kind != QtMsgType.QtInfoMsg
            and not any(allowed in text for allowed in QT_OWN_WARNINGS)
        ]


@pytest.fixture(scope="session")
def qapp_cls() -> type[QGuiApplication]:
    return QGuiApplication


@pytest.fixture
def qt_messages() -> Iterator[MessageLog]:
    log = MessageLog()

    def handler(kind: QtMsgType, _ctx: Any, text: str) -> None:
        log.messages.append((kind, text))

    previous = qInstallMessageHandler(handler)
    yield log
    qInstallMessageHandler(previous)


class KioskUI:
    """The running application: its window, state singleton, and helpers to act on it as a person would."""

    def __init__(self, qtbot: Any, state: Backend, engine: QQmlApplicationEngine, window: QQuickWindow) -> None:
        self.qtbot = qtbot
        self.state = state
        self.engine = engine
        self.window = window
        # When the window last drew a frame: while anything moves (a page sliding, a dialog fading, a list
        # scrolling) it draws one per vsync; at rest it draws none (screenshot() waits for that rest).
        self.last_frame = time.monotonic()
        window.frameSwapped.connect(self._drew, Qt.ConnectionType.DirectConnection)

    def _drew(self) -> None:
        self.last_frame = time.monotonic()

    def items(self, root: QQuickItem | None = None) -> Iterator[QQuickItem]:
        """Every item in the visual tree below `root` (pages pushed by a StackView have no QObject parent
        in the tree, so findChild would miss them)."""
        stack = [root or self.window.contentItem()]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.childItems()))

    def find(self, name: str, root: QQuickItem | None = None) -> QQuickItem:
        for item in self.items(root):
            if item.objectName() == name:
                return item
        raise AssertionError(f"no item with objectName {name!r}")

    def find_visible(self, name: str, root: QQuickItem | None = None) -> QQuickItem:
        for item in self.items(root):
            if item.objectName() == name and item.isVisible():
                return item
        raise AssertionError(f"no visible item with objectName {name!r}")

    def texts(self, root: QQuickItem | None = None) -> list[str]:
        """Every visible text (and placeholder) below `root`: what a person can read."""
        out = []
        for item in self.items(root):
            if not item.isVisible():
                continue
            for prop in ("text", "placeholderText"):
                value = item.property(prop)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def center(self, item: QQuickItem) -> QPoint:
        point = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        return point.toPoint()

    def click(self, name: str | QQuickItem) -> None:
        self.wait_idle()  # a StackView drops every press while a page slides in or out
        item = self.find_visible(name) if isinstance(name, str) else name
        assert item.isVisible() and item.isEnabled(), f"{item.objectName()} is not clickable"
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, self.center(item))
        self.settle()

    def tap(self, name: str | QQuickItem) -> None:
        """A real touch press and release at the item's centre."""
        self.wait_idle()
        item = self.find_visible(name) if isinstance(name, str) else name
        device = _touch_device()
        point = self.center(item)
        QTest.touchEvent(self.window, device).press(0, point, self.window).commit()
        # A finger's 20 ms, without running the event loop: touch events carry the real time, and a TapHandler
        # takes a press held past the long-press threshold (800 ms) for no tap. While loaded (parallel workers),
        # an event run in a qWait here once took that long and the tap on nav_hall was lost.
        time.sleep(0.02)
        QTest.touchEvent(self.window, device).release(0, point, self.window).commit()
        self.settle()

    def type_into(self, name: str, text: str) -> QQuickItem:
        field = self.find_visible(name + "Input")
        self.click(field)
        assert field.hasActiveFocus(), f"{name} did not take focus"
        for char in text:  # keyClicks takes only QWidgets; a QWindow gets one key event per character
            if char.isascii():
                QTest.keyClick(self.window, char)
            else:
                # Chinese, emoji: what an input method (the virtual keyboard's Pinyin) delivers — a commit.
                event = QInputMethodEvent()
                event.setCommitString(char)
                QGuiApplication.sendEvent(self.window.activeFocusItem(), event)
        self.settle()
        return field

    def settle(self, ms: int = 30) -> None:
        """Let events run, and any page transition finish (input during one may hit the page leaving)."""
        QTest.qWait(ms)
        self.wait_idle()

    def wait_idle(self) -> None:
        """Until no page transition runs: the page stack ignores input while it is busy."""
        stack = next((i for i in self.items() if i.objectName() == "pageStack"), None)
        if stack is not None and stack.property("busy"):
            self.qtbot.waitUntil(lambda: not stack.property("busy"), timeout=2_000)

    def wait_for(self, predicate: Callable[[], bool], timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(predicate, timeout=timeout)

    def screenshot(self, name: str) -> Path:
        self.settle_frames()
        return save_screenshot(self.window, name)

    def settle_frames(self, quiet_ms: int = 80, most_ms: int = 250) -> None:
        """Let transitions (≤ 200 ms) finish: until the window has drawn no frame for `quiet_ms` (nothing moves),
        at least 50 ms (what a tap started has begun drawing), at most `most_ms` (a spinner never rests). A
        fixed 250 ms wait before each of the suite's ~280 screenshots cost ~70 s of mostly still screens."""
        started = time.monotonic()
        QTest.qWait(50)
        while (now := time.monotonic()) - started < most_ms / 1000 and now - self.last_frame < quiet_ms / 1000:
            QTest.qWait(10)
        self.wait_idle()


_TOUCH: list[QPointingDevice] = []


def _touch_device() -> QPointingDevice:
    if not _TOUCH:
        _TOUCH.append(QTest.createTouchDevice())
    return _TOUCH[0]


@pytest.fixture
def quick_health_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal's own health poll every second instead of every 15 s (app_state.POLL_ONLINE_MS), for a test
    that takes its server away: the poll still notices, without the test waiting out 15 s (what it checks is what
    the kiosk shows offline; four such tests waited ~14 s each)."""
    monkeypatch.setattr(app_state, "POLL_ONLINE_MS", 1_000)


@pytest.fixture
def launch_ui(qtbot: Any, qapp: QGuiApplication, tmp_path: Path) -> Iterator[Callable[..., KioskUI]]:
    """Start the real application UI: launch_ui(server_url, mode="kiosk", size=(1920, 1080), language="zh_CN")."""
    started: list[tuple[Backend, QQmlApplicationEngine]] = []

    def launch(
        server_url: str,
        mode: str = "kiosk",
        size: tuple[int, int] = (1920, 1080),
        language: str = "zh_CN",
        wait_online: bool = True,
        data_dir: str | None = None,
        **settings: Any,
    ) -> KioskUI:
        config = KioskConfig(
            server_url=server_url,
            mode=mode,
            language=language,
            data_dir=data_dir or str(tmp_path / f"kiosk-data-{len(started)}"),
            device_name="测试终端",
            **settings,  # any other setting of the config file (printer_uri …)
        )
        state = Backend(config)
        engine = QQmlApplicationEngine()
        state.attach(engine)
        engine.addImportPath(str(qml_dir()))
        state.prepare()
        engine.loadFromModule("Kiosk", "Main")
        assert engine.rootObjects(), "Main.qml failed to load"
        window = engine.rootObjects()[0]
        assert isinstance(window, QQuickWindow)
        state.watch_input(window)
        window.frameSwapped.connect(state.start, type=Qt.ConnectionType.SingleShotConnection)
        window.resize(*size)
        window.show()
        window.requestActivate()
        started.append((state, engine))
        ui = KioskUI(qtbot, state, engine, window)
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.isActive, timeout=5_000)  # key events go to the active window only
        if wait_online:
            ui.wait_for(lambda: state.state.connection == "online" and state.catalog.count > 0, timeout=15_000)
        ui.settle(100)
        return ui

    yield launch
    # The input method is the application's, not the window's: a keyboard left up by this test would still be
    # "visible" when the next test's window appears, and a kiosk hides its navigation bar under the keyboard, so
    # the next test found no nav_* until Qt got round to the new window's focus (a flake seen at load 15-20).
    QGuiApplication.inputMethod().hide()
    for state, engine in started:
        state.shutdown()
        for obj in engine.rootObjects():
            obj.deleteLater()
        engine.deleteLater()
    QTest.qWait(50)
    context.clear()
