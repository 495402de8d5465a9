"""HeldWrites: final actions (通过 at the last step, 不予办理, 终止) wait a few seconds before they go into the
outbox, so the undo bar can take them back. Held means not written at all: undo drops them and nothing was sent
or stored; when the time is up (or another final action comes, or the user leaves) they are written as usual."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

HOLD_MS = 5000


@dataclass(frozen=True)
class HeldWrite:
    application_id: str
    action: str
    write: Callable[[], bool]  # puts the op in the outbox; False when it could not


@QmlElement
@QmlUncreatable("HeldWrites comes from Inbox.held")
class HeldWrites(QObject):
    """The writes waiting for their undo time, one batch at a time."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, hold_ms: int = HOLD_MS) -> None:
        super().__init__(parent)
        self._writes: list[HeldWrite] = []
        self._batches = 0  # how many were held: the undo bar's countdown starts again with each
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.flush)

    def hold(self, writes: list[HeldWrite]) -> None:
        """A new batch: the one before goes out now (one undo bar, for the latest action)."""
        self.flush()
        self._writes = list(writes)
        self._batches += 1
        self._timer.start()
        self.changed.emit()

    def ids(self) -> set[str]:
        return {w.application_id for w in self._writes}

    @Slot()
    def flush(self) -> None:
        """Write the held batch now."""
        self._timer.stop()
        writes, self._writes = self._writes, []
        for w in writes:
            w.write()
        if writes:
            self.changed.emit()

    @Slot()
    def undo(self) -> None:
        """Take the batch back: nothing of it was written."""
        self._timer.stop()
        if self._writes:
            self._writes = []
            self.changed.emit()

    def _count(self) -> int:
        return len(self._writes)

    def _action(self) -> str:
        actions = {w.action for w in self._writes}
        return actions.pop() if len(actions) == 1 else ""

    def _batch(self) -> int:
        return self._batches

    def _seconds(self) -> int:
        return self._timer.interval() // 1000

    count = Property(int, _count, notify=changed)
    action = Property(str, _action, notify=changed)
    seconds = Property(int, _seconds, constant=True)
    batch = Property(int, _batch, notify=changed)
