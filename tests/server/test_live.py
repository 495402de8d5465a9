"""Live changes (core/live.py): a pull with `wait` is answered within a second of a change in its scopes, holds
its answer while nothing of its scopes changes, and lets the server stop at once. On PostgreSQL a change
committed by another process (here the test's own, straight into the database) wakes the server's waiters
through LISTEN/NOTIFY; on SQLite the wake is within the server process."""

from __future__ import annotations

import concurrent.futures
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync_server.core import auth
from sync_server.core.change_log import append_change, user_scope
from sync_server.db import Database
from sync_server.models import Process, User
from tests.helpers import LiveServer, bearer, copy_sqlite, create_pg_database

PULL = "/api/v1/sync/pull"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One server per backend for the module, and two signed-in demo users (tokens made in the database)."""
    workdir = tmp_path_factory.mktemp("live")
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("seeded_sqlite"), workdir)
    else:
        url = create_pg_database(template=request.getfixturevalue("seeded_pg"))
    db = Database(url)
    users, codes = _signed_in(db)
    server = LiveServer(db_url=url, workdir=workdir).start()
    yield {"name": request.param, "server": server, "db": db, "users": users, "codes": codes}
    server.stop()
    db.dispose()


def _signed_in(db: Database) -> tuple[list[dict[str, Any]], list[str]]:
    users = []
    with db.transaction() as session:
        codes = [p.code for p in session.scalars(select(Process)) if "学生" in p.audience]
        for user in session.scalars(select(User).where(User.role == "student").order_by(User.user_id).limit(2)):
            user.must_change_password = False
            issued = auth.create_session(session, user, "kiosk", device_id=f"live-{user.user_id}")
            users.append({"id": user.user_id, "headers": bearer(issued.access_token)})
    return users, codes


def _cursor(server: LiveServer, headers: dict[str, str]) -> int:
    cursor = 0
    while True:
        page = requests.get(server.url + PULL, params={"cursor": cursor, "limit": 1000}, headers=headers, timeout=10)
        page.raise_for_status()
        body = page.json()
        cursor = body["cursor"]
        if not body["has_more"]:
            return int(cursor)


def _star(server: LiveServer, headers: dict[str, str], code: str, on: bool = True) -> None:
    op: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": on},
        "created_at": datetime.now(UTC).isoformat(),
    }
    answer = requests.post(server.url + "/api/v1/sync/push", json={"device_id": "d", "ops": [op]}, headers=headers)
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied", answer.text


def _wait_pull(server: LiveServer, headers: dict[str, str], cursor: int, wait: float) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    answer = requests.get(
        server.url + PULL, params={"cursor": cursor, "wait": wait}, headers=headers, timeout=wait + 10
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Sync-Live-Wait"] == "25"
    return answer.json(), time.monotonic() - started


def test_health_offers_live_pulls(backend: dict[str, Any]) -> None:
    assert requests.get(backend["server"].url + "/healthz", timeout=5).json()["live_wait"] == 25


def test_a_change_wakes_its_users_waiting_pull_only(backend: dict[str, Any]) -> None:
    server, (alice, bob) = backend["server"], backend["users"]
    cursors = {u["id"]: _cursor(server, u["headers"]) for u in (alice, bob)}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        alices = pool.submit(_wait_pull, server, alice["headers"], cursors[alice["id"]], 10)
        bobs = pool.submit(_wait_pull, server, bob["headers"], cursors[bob["id"]], 1.5)
        time.sleep(0.5)  # both are waiting
        gauge = requests.get(server.url + "/metrics", timeout=5).text
        assert "\ncampus_live_waiting 2\n" in gauge, gauge[-400:]
        made = time.monotonic()
        _star(server, alice["headers"], backend["codes"][0], on=True)
        body, _ = alices.result()
        woke = time.monotonic() - made
        assert [c["entity"] for c in body["changes"]] == ["favorite"] and woke < 1.0, (body, woke)
        # Bob's scopes saw nothing: his pull answers empty at its timeout, with his cursor unchanged.
        body, elapsed = bobs.result()
        assert body["changes"] == [] and body["cursor"] == cursors[bob["id"]] and 1.4 < elapsed < 4, elapsed


def test_a_news_item_wakes_every_waiting_pull_each_with_its_own_page(backend: dict[str, Any]) -> None:
    """Pulls woken together are looked for together (core/live.py, core/sync.py pull_many): each still gets
    exactly what its own pull would, from its own cursor, in its own scopes."""
    server, (alice, bob) = backend["server"], backend["users"]
    with backend["db"].transaction() as session:
        admin = session.get(User, "ADMIN")
        assert admin is not None
        admin.must_change_password = False
        admin_headers = bearer(auth.create_session(session, admin, "desk", device_id="live-admin").access_token)
    cursors = {u["id"]: _cursor(server, u["headers"]) for u in (alice, bob)}
    public = _cursor(server, {})
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        waits = [
            pool.submit(_wait_pull, server, alice["headers"], cursors[alice["id"]], 10),
            pool.submit(_wait_pull, server, bob["headers"], cursors[bob["id"]], 10),
            pool.submit(_wait_pull, server, {}, public, 10),
        ]
        time.sleep(0.5)
        made = time.monotonic()
        posted = requests.post(
            server.url + "/api/v1/admin/content",
            json={"category": "学校新闻", "title": "实时推送", "body": "<p>测试</p>"},
            headers=admin_headers,
            timeout=10,
        )
        assert posted.status_code == 201, posted.text
        answers = [w.result()[0] for w in waits]
    assert time.monotonic() - made < 1.5
    for body, headers in zip(answers, (alice["headers"], bob["headers"], {}), strict=True):
        assert [(c["entity"], c["scope"]) for c in body["changes"]] == [("news", "public")], body
        assert body["changes"][0]["data"]["title"] == "实时推送" and not body["has_more"]
        # The same page an ordinary pull from that cursor gives.
        start = {0: cursors[alice["id"]], 1: cursors[bob["id"]], 2: public}[answers.index(body)]
        again = requests.get(server.url + PULL, params={"cursor": start}, headers=headers, timeout=10).json()
        assert again["changes"] == body["changes"] and again["cursor"] == body["cursor"]


def test_a_pull_with_news_answers_at_once(backend: dict[str, Any]) -> None:
    server, alice = backend["server"], backend["users"][0]
    body, elapsed = _wait_pull(server, alice["headers"], 0, 10)
    assert body["changes"] and elapsed < 2


def test_a_change_from_another_process(backend: dict[str, Any]) -> None:
    """A change written straight into the database by this process: PostgreSQL's NOTIFY reaches the server's
    listener; SQLite has no channel between processes, so the waiter learns of it at its timeout."""
    server, alice = backend["server"], backend["users"][0]
    cursor = _cursor(server, alice["headers"])
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        wait = 5 if backend["name"] == "postgres" else 1.5  # PostgreSQL must answer well before its timeout
        waiting = pool.submit(_wait_pull, server, alice["headers"], cursor, wait)
        time.sleep(0.5)
        made = time.monotonic()
        with backend["db"].transaction() as session:
            append_change(session, user_scope(alice["id"]), "notification", "999999", "delete", None)
        body, _ = waiting.result()
    took = time.monotonic() - made
    assert [c["id"] for c in body["changes"]] == ["999999"]
    if backend["name"] == "postgres":
        assert took < 1.0, took
    else:
        assert took > 0.9, took


def test_the_server_stops_at_once_with_pulls_waiting(seeded_sqlite: Path, tmp_path: Path) -> None:
    db = Database(copy_sqlite(seeded_sqlite, tmp_path))
    alice = _signed_in(db)[0][0]
    db.dispose()
    server = LiveServer(db_url=db.url, workdir=tmp_path).start()
    cursor = _cursor(server, alice["headers"])
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        waits = [pool.submit(_wait_pull, server, alice["headers"], cursor, 20) for _ in range(4)]
        time.sleep(0.7)
        started = time.monotonic()
        server.stop()
        stopped = time.monotonic() - started
        for waiting in waits:
            body, _ = waiting.result()
            assert body["changes"] == []
    assert stopped < 2.0, stopped
