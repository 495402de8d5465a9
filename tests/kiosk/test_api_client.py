from __future__ import annotations

import socket
import threading
import time

import pytest

from kiosk.models.store import LocalStore
from kiosk.services.api_client import Abort, ApiClient, ApiError
from kiosk.services.catalog import refresh_catalog
from sync_server.migrate import head_revision
from tests.helpers import LiveServer


def test_health_and_catalog_from_a_live_server(shared_server: LiveServer, tmp_path) -> None:
    client = ApiClient(shared_server.url)
    health = client.health()
    assert health.status == "ok" and health.schema == head_revision() and health.epoch
    assert client.school()["name"] == "郑州工商学院"
    store = LocalStore(tmp_path / "kiosk.db")
    catalog = refresh_catalog(client, store)
    assert len(catalog) == 64
    assert len(client.processes(audience="校外人员")) == 2
    store.close()


def test_server_errors_keep_their_code(shared_server: LiveServer) -> None:
    client = ApiClient(shared_server.url)
    with pytest.raises(ApiError) as caught:
        client.processes(audience="nobody")
    assert caught.value.code == "invalid_audience" and caught.value.status == 422
    assert not caught.value.is_offline


def test_unreachable_server_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ApiError) as caught:
        ApiClient(f"http://127.0.0.1:{port}", timeout=2).health()
    assert caught.value.is_offline and caught.value.message == "无法连接服务器"


def test_a_qr_long_poll_ends_when_aborted(shared_server: LiveServer) -> None:
    """A code that leaves the screen (a fresh one, a login, the app quitting) ends its long poll at once: the
    worker, and the kiosk's exit, no longer wait out the server's 8 s (test_qr_taken's teardowns took 7 s)."""
    client = ApiClient(shared_server.url)
    ticket = client.qr_create("kiosk-abort", "测试终端")["ticket"]
    assert client.qr_poll(ticket, "kiosk-abort", wait=0, known=None, abort=Abort())["status"] == "pending"
    abort = Abort()
    threading.Timer(0.3, abort.abort).start()
    started = time.monotonic()
    with pytest.raises(ApiError) as caught:
        client.qr_poll(ticket, "kiosk-abort", wait=8, known="pending", abort=abort)
    assert caught.value.code == "aborted" and time.monotonic() - started < 3
    aborted_before = Abort()
    aborted_before.abort()
    with pytest.raises(ApiError) as caught:
        client.qr_poll(ticket, "kiosk-abort", wait=8, known="pending", abort=aborted_before)
    assert caught.value.code == "aborted"
    # Without an abort the long poll still waits its time out and answers.
    started = time.monotonic()
    assert client.qr_poll(ticket, "kiosk-abort", wait=0.5, known="pending")["status"] == "pending"
    assert time.monotonic() - started >= 0.5
