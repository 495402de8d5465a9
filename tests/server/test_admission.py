"""Overload: the server lets a bounded number of requests in at once, queues the rest on the event loop, and
refuses a request that waited too long with a quick 503 — instead of stalling every request until the pool
and busy timeouts (bench/README.md, "500 kiosks at once")."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from sync_server.api.middleware import AdmissionMiddleware
from sync_server.core import auth
from sync_server.db import Database
from sync_server.models import ChangeLog, Process, User
from tests.helpers import LiveServer, copy_sqlite


def _request(path: str) -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": path, "headers": []}


def test_admission_queues_then_refuses_with_503() -> None:
    async def scenario() -> list[tuple[str, int, dict[bytes, bytes]]]:
        release = asyncio.Event()
        inside = 0
        most_inside = 0

        async def app(scope: Any, receive: Any, send: Any) -> None:
            nonlocal inside, most_inside
            admitted = scope["path"] != "/healthz"
            inside += admitted
            most_inside = max(most_inside, inside)
            if scope["path"] == "/slow":
                await release.wait()
            inside -= admitted
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"{}"})

        gate = AdmissionMiddleware(app, limit=2, queue_timeout=0.3)
        outcomes: list[tuple[str, int, dict[bytes, bytes]]] = []

        async def call(name: str, path: str) -> None:
            async def receive() -> dict[str, Any]:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    outcomes.append((name, message["status"], dict(message["headers"])))

            await gate(_request(path), receive, send)

        holders = [asyncio.create_task(call(f"holder{n}", "/slow")) for n in range(2)]
        await asyncio.sleep(0.05)
        # Both slots are taken: the health check still answers at once, a third request waits, then gets 503.
        await call("health", "/healthz")
        await call("late", "/slow")
        # A request that queues while a slot frees up gets in.
        waiter = asyncio.create_task(call("waiter", "/fast"))
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*holders, waiter)
        assert most_inside == 2
        return outcomes

    outcomes = asyncio.run(scenario())
    by_name = {name: (status, headers) for name, status, headers in outcomes}
    assert by_name["health"][0] == 200
    assert by_name["late"][0] == 503
    assert by_name["late"][1][b"retry-after"] == b"2"
    assert by_name["holder0"][0] == by_name["holder1"][0] == by_name["waiter"][0] == 200


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(db_url=db_url, workdir=tmp_path).start(timeout=60)
    yield server
    server.stop()


BURST = 150  # before admission control, 45 requests at once already stalled a SQLite server for 30 s and more


def test_a_burst_of_kiosks_is_served_without_stalling(server: LiveServer) -> None:
    """Every kiosk pulls and pushes at the same instant, as when the network comes back for all of them."""
    db = Database(server.db_url)
    sessions: list[tuple[str, str, str]] = []
    with db.transaction() as session:
        users = session.scalars(select(User).where(User.role.in_(["student", "staff"])).order_by(User.user_id)).all()
        codes = {p.code: p.audience for p in session.scalars(select(Process))}
        for n in range(BURST):
            user = users[n % len(users)]
            user.must_change_password = False
            group = "学生" if user.role == "student" else "教工"
            code = [c for c, audience in codes.items() if group in audience][n // len(users)]
            issued = auth.create_session(session, user, "kiosk", device_id=f"burst-{n}")
            sessions.append((user.user_id, issued.access_token, code))
    start = threading.Barrier(BURST)
    statuses: list[int] = []
    op_ids: list[str] = []

    def kiosk(token: str, code: str) -> None:
        http = requests.Session()
        headers = {"Authorization": f"Bearer {token}"}
        op_id = str(uuid.uuid4())
        op = {
            "id": op_id,
            "seq": 1,
            "type": "favorite.set",
            "payload": {"process_code": code, "on": True},
            "created_at": datetime.now(UTC).isoformat(),
        }
        start.wait(30)
        try:
            # /me runs in a request-scoped transaction (on SQLite, the write lock, held across thread hops).
            me = http.get(server.url + "/api/v1/me", headers=headers, timeout=60)
            pulled = http.get(server.url + "/api/v1/sync/pull", params={"limit": 200}, headers=headers, timeout=60)
            pushed = http.post(server.url + "/api/v1/sync/push", json={"ops": [op]}, headers=headers, timeout=60)
            statuses.extend([me.status_code, pulled.status_code, pushed.status_code])
            if pushed.ok and pushed.json()["results"][0]["status"] == "applied":
                op_ids.append(op_id)
        except requests.RequestException as exc:  # a stall shows up as read timeouts
            statuses.append(-1)
            print(exc)

    threads = [threading.Thread(target=kiosk, args=(token, code)) for _, token, code in sessions]
    began = datetime.now(UTC)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    took = (datetime.now(UTC) - began).total_seconds()
    assert statuses.count(200) == 3 * BURST, sorted(set(statuses))
    assert took < 60, f"{BURST} kiosks took {took:.0f} s"
    with db.sessions() as session:
        applied = session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.op_id.in_(op_ids)))
    assert applied == BURST
    db.dispose()
    assert '"status": 500' not in server.log_path.read_text()


@pytest.fixture
def impatient_server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """A SQLite server that waits only 300 ms for the database's write lock."""
    server = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, tmp_path / "db"),
        workdir=tmp_path,
        extra_env={"CAMPUS_SYNC_SQLITE_BUSY_MS": "300"},
    ).start(timeout=60)
    yield server
    server.stop()


def test_a_write_that_cannot_get_the_database_in_time_is_503_and_can_be_retried(impatient_server: LiveServer) -> None:
    """Someone holds SQLite's write lock too long: the push gets 503 server_busy (retryable, nothing written),
    never a 500; sent again once the lock is free, the same operation is applied once."""
    db = Database(impatient_server.db_url)
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.role == "student").order_by(User.user_id)).first()
        assert user is not None
        user.must_change_password = False
        token = auth.create_session(session, user, "kiosk", device_id="busy-kiosk").access_token
        code = next(p.code for p in session.scalars(select(Process)) if "学生" in p.audience)
    db.dispose()
    op = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": True},
        "created_at": datetime.now(UTC).isoformat(),
    }
    headers = {"Authorization": f"Bearer {token}"}
    path = impatient_server.db_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # the write lock, held by another process's connection
    try:
        busy = requests.post(
            impatient_server.url + "/api/v1/sync/push", json={"ops": [op]}, headers=headers, timeout=30
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert busy.status_code == 503, busy.text
    assert busy.json()["error"]["code"] == "server_busy"
    assert busy.headers["retry-after"] == "2"
    again = requests.post(impatient_server.url + "/api/v1/sync/push", json={"ops": [op]}, headers=headers, timeout=30)
    assert again.status_code == 200
    assert again.json()["results"][0]["status"] == "applied"
    db = Database(impatient_server.db_url)
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.op_id == op["id"])) == 1
    db.dispose()
    assert '"status": 500' not in impatient_server.log_path.read_text()
