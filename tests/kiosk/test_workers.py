"""The worker pool (kiosk/views/workers.py): each job's result or exception reaches its own callback, once, on
the GUI thread — also thousands of short jobs finishing while the GUI thread is busy delivering, the pattern
that once crashed the process inside a worker's emit."""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtTest import QTest

from kiosk.views.workers import WorkerPool


def test_results_and_errors_reach_their_callbacks_on_the_gui_thread(qapp: Any) -> None:
    pool = WorkerPool(max_threads=2)
    gui = threading.get_ident()
    seen: list[tuple[str, Any, bool]] = []
    pool.run(lambda: threading.get_ident(), lambda worker: seen.append(("done", worker != gui, True)))
    pool.run(
        lambda: 1 / 0,
        lambda _r: seen.append(("wrong", None, False)),
        lambda exc: seen.append(("error", type(exc).__name__, threading.get_ident() == gui)),
    )
    pool.run(lambda: 1 / 0)  # no on_error: logged, nothing else
    assert pool.wait(5_000)
    for _ in range(50):
        if len(seen) == 2:
            break
        QTest.qWait(10)
    assert sorted(seen) == [("done", True, True), ("error", "ZeroDivisionError", True)]
    del pool


def test_thousands_of_short_jobs_each_delivered_once(qapp: Any) -> None:
    pool = WorkerPool(max_threads=4)
    delivered: dict[int, int] = {}
    threads: set[bool] = set()
    gui = threading.get_ident()

    def record(n: int) -> None:
        threads.add(threading.get_ident() == gui)
        delivered[n] = delivered.get(n, 0) + 1

    total = 4000
    for n in range(total):
        pool.run(lambda n=n: n, record)  # type: ignore[misc]
        if n % 200 == 0:
            QTest.qWait(1)  # deliver while workers are still emitting
    assert pool.wait(20_000)
    for _ in range(500):
        if len(delivered) == total:
            break
        QTest.qWait(10)
    assert len(delivered) == total and set(delivered.values()) == {1}
    assert threads == {True}


def test_a_long_wait_does_not_hold_the_drain_of_the_screens_work(qapp: Any) -> None:
    # The live pull waits on its own lane for up to 25 s: waiting for the screens' jobs must not wait for it
    # (tests and views call wait() to let the work settle), while the shutdown's drain() does.
    pool = WorkerPool(max_threads=2)
    release = threading.Event()
    pool.run(lambda: release.wait(10), long_wait=True)
    pool.run(lambda: 1)
    started = time.monotonic()
    assert pool.wait(5_000)
    assert time.monotonic() - started < 1.0
    assert not pool.drain(200)  # the long wait still runs
    release.set()
    assert pool.drain(5_000)
