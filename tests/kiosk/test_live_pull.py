"""The kiosk's live wait without Qt (kiosk/services/live_pull.py): cancelled from another thread it ends at once
even while the server holds the request (a socket that accepts and never answers); a server that cuts the
connection is an `offline` failure; and the schedule falls back to polling after repeated failures."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.live_pull import LiveSchedule, LiveWait


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[socket.socket]]]:
    """Accepts connections and reads, never answers (a server holding a long poll); `cut` closes them."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    # The thread ends before the socket closes: a thread still blocked in accept() on a closed descriptor whose
    # number the next test's server reused took that server's connections (a whole run hung in test_updates).
    stop.set()
    thread.join(5)
    listener.close()
    for conn in accepted:
        conn.close()


def _pull_in_thread(waiter: LiveWait) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            waiter.pull(0)
        except ApiError as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def test_a_cancelled_wait_ends_at_once(silent_server: tuple[str, list[socket.socket]]) -> None:
    url, accepted = silent_server
    waiter = LiveWait(ApiClient(url), wait=20)
    thread, errors = _pull_in_thread(waiter)
    deadline = time.monotonic() + 5
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # the request is written; the reader blocks
    started = time.monotonic()
    waiter.cancel()
    thread.join(2)
    assert not thread.is_alive() and time.monotonic() - started < 0.5
    assert [e.code for e in errors if isinstance(e, ApiError)] == ["cancelled"]


def test_a_cut_connection_is_offline(silent_server: tuple[str, list[socket.socket]]) -> None:
    url, accepted = silent_server
    waiter = LiveWait(ApiClient(url), wait=20)
    thread, errors = _pull_in_thread(waiter)
    deadline = time.monotonic() + 5
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    accepted[0].shutdown(socket.SHUT_RDWR)  # a proxy giving up on the request
    thread.join(2)
    assert [e.code for e in errors if isinstance(e, ApiError)] == ["offline"]


def test_the_schedule_polls_for_a_while_after_three_failures() -> None:
    schedule = LiveSchedule()
    assert schedule.enabled(0.0)
    delays = [schedule.failed(10.0) for _ in range(2)]
    assert schedule.enabled(10.0) and 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0  # backoff_delay's
    schedule.succeeded()  # a wait that went through starts the count again
    for _ in range(2):
        schedule.failed(20.0)
    assert schedule.enabled(20.0)
    schedule.failed(20.0)
    assert not schedule.enabled(20.0 + LiveSchedule.REST_S - 1) and schedule.enabled(20.0 + LiveSchedule.REST_S)
