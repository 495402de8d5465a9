"""Python's cyclic garbage collector, run on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate when a generation's threshold is crossed. The
kiosk's worker threads (kiosk/views/workers.py) allocate all the time, so a cycle holding Qt wrappers — a view,
its timers, a page's items — could be freed on a worker thread, and Qt objects must be destroyed on the thread
that owns them: a timer stopped or an object deleted from another thread aborts or crashes the process at a random
point. The suite saw exactly that: an abort while walking the item tree, a segfault in a worker's emit. So
automatic collection is switched off and a timer on the GUI thread collects with the same generation thresholds
(the pattern pyqtgraph's GarbageCollector uses)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        """Collect the oldest generation whose count crossed its threshold, as the automatic collector would."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def install() -> GuiThreadCollector | None:
    """Once per process, owned by the application object; call it on the GUI thread after the app exists."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    return GuiThreadCollector(app)
