"""Cycles are collected on the GUI thread only (kiosk/views/gui_gc.py): a worker thread that allocates never
triggers a collection that could destroy Qt objects on it."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtTest import QTest

from kiosk.views import gui_gc


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qt = QObject()  # a Qt wrapper in the cycle, as a view's timers and items would be


def test_worker_allocations_leave_collection_to_the_gui_thread(qapp: Any) -> None:
    collector = gui_gc.install()
    assert collector is not None and gui_gc.install() is collector  # once per process
    assert not gc.isenabled()
    threads: list[int] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    gc.callbacks.append(record)
    try:
        stop = threading.Event()

        def churn() -> None:  # far past the generation-0 threshold (700) many times over
            while not stop.is_set():
                _ = [_Cycle() for _ in range(2_000)]

        worker = threading.Thread(target=churn)
        worker.start()
        QTest.qWait(3 * gui_gc.INTERVAL_MS)
        stop.set()
        worker.join()
        QTest.qWait(2 * gui_gc.INTERVAL_MS)
    finally:
        gc.callbacks.remove(record)
    assert threads, "nothing was collected: the GUI thread's timer did not run"
    assert set(threads) == {threading.main_thread().ident}
