"""Idle (QML singleton): the kiosk's "还在吗？" countdown after a quiet spell, ending in a logout."""

from __future__ import annotations

from PySide6.QtCore import Property, QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.views.context import singleton_for

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class Idle(QObject):
    """Kiosk only: after `timeout_s` without a touch or key, a countdown of `countdown_s`; then `timedOut`."""

    changed = Signal()
    timedOut = Signal()

    def __init__(self, timeout_s: int, countdown_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.countdown_s = countdown_s
        self._armed = False
        self._left = 0
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(timeout_s * 1000)
        self._quiet.timeout.connect(self._start_countdown)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        obj = singleton_for("Idle", engine)
        return obj

    def arm(self, armed: bool) -> None:
        """Watch for idleness only while someone is logged in on a kiosk."""
        self._armed = armed
        self._tick.stop()
        self._left = 0
        if armed:
            self._quiet.start()
        else:
            self._quiet.stop()
        self.changed.emit()

    def set_quiet_ms(self, ms: int) -> None:
        """How long without a touch before the countdown starts (the config's idle_timeout_s, in ms)."""
        self._quiet.setInterval(ms)

    def activity(self) -> None:
        if self._armed and self._left == 0:
            self._quiet.start()  # restart the quiet period; a running countdown needs the 继续 button

    @Slot()
    def stillHere(self) -> None:
        if self._armed:
            self._tick.stop()
            self._left = 0
            self._quiet.start()
            self.changed.emit()

    def _start_countdown(self) -> None:
        self._left = self.countdown_s
        self._tick.start()
        self.changed.emit()

    def _count_down(self) -> None:
        self._left -= 1
        self.changed.emit()
        if self._left <= 0:
            self._tick.stop()
            self._left = 0
            self.changed.emit()
            self.timedOut.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.activity()
        return False

    def _get_active(self) -> bool:
        return self._left > 0

    def _get_left(self) -> int:
        return self._left

    countdownActive = Property(bool, _get_active, notify=changed)
    secondsLeft = Property(int, _get_left, notify=changed)


_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}
