"""The kiosk's sync engine against a real server: durable enqueue, ordered idempotent push (a lost response
costs nothing), rejections recorded and not blocking, pull by cursor into the local store, epoch change."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kiosk.models.store import LocalStore
from kiosk.models.tables import LocalFavorite
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.sync import BACKOFF_CAP_S, SyncEngine, backoff_delay
from sync_server.core.meta import rotate_epoch
from sync_server.db import Database
from sync_server.seed import SEED_DIR
from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated

SEED_FORMS = SEED_DIR / "forms"


def _engine(server: LiveServer, tmp_path: Path, token: str) -> tuple[SyncEngine, LocalStore]:
    client = ApiClient(server.url)
    client.access_token = token
    store = LocalStore(tmp_path / "kiosk.db")
    return SyncEngine(client, store, "kiosk-test"), store


def _favorite(store: LocalStore, code: str, on: bool = True) -> dict[str, Any]:
    def local(session: Any) -> None:
        if on:
            session.merge(LocalFavorite(user_id=STUDENT, process_code=code))

    return store.enqueue(STUDENT, "favorite.set", {"process_code": code, "on": on}, local)


def test_enqueue_is_one_durable_transaction(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    first = _favorite(store, "jw-xiuxue")
    second = _favorite(store, "jw-chengjidan")
    assert (first["seq"], second["seq"]) == (1, 2)
    # Visible to another connection at once: committed, not buffered.
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        assert conn.execute("select count(*) from outbox where status='pending'").fetchone() == (2,)
        assert conn.execute("select count(*) from favorites").fetchone() == (2,)
    with pytest.raises(ZeroDivisionError):  # a failing local effect leaves no operation behind
        store.enqueue(STUDENT, "favorite.set", {"process_code": "x", "on": True}, lambda s: 1 / 0)
    assert store.outbox_counts(STUDENT)["pending"] == 2
    store.close()


def _changes(db_url: str, scope: str, entity: str) -> int:
    from sqlalchemy import func, select

    from sync_server.models import ChangeLog

    db = Database(db_url)
    try:
        with db.sessions() as session:
            query = select(func.count()).select_from(ChangeLog)
            query = query.where(ChangeLog.scope == scope, ChangeLog.entity == entity)
            return int(session.scalar(query) or 0)
    finally:
        db.dispose()


def test_push_pull_and_a_lost_response(live_server: LiveServer, tmp_path: Path) -> None:
    token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    engine, store = _engine(live_server, tmp_path, token)
    _favorite(store, "jw-xiuxue")
    _favorite(store, "no-such-process")
    _favorite(store, "jw-chengjidan")

    # The server applies the batch but the answer is lost: the ops stay pending and go again.
    original = engine.client.push_ops

    def lose_answer(device_id: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
        original(device_id, ops)
        raise ApiError("offline", "无法连接服务器")

    engine.client.push_ops = lose_answer  # type: ignore[method-assign]
    with pytest.raises(ApiError):
        engine.push(STUDENT)
    assert store.outbox_counts(STUDENT)["pending"] == 3
    engine.client.push_ops = original  # type: ignore[method-assign]
    report = engine.push(STUDENT)
    assert (report.sent, report.applied, report.rejected) == (3, 2, 1)
    counts = store.outbox_counts(STUDENT)
    assert counts == {"pending": 0, "applied": 2, "rejected": 1, "parked": 0}

    # The rejected optimistic ★ was undone at once; pull brings the server's truth.
    assert store.favorites(STUDENT) == ["jw-chengjidan", "jw-xiuxue"]
    with store.transaction() as session:
        session.query(LocalFavorite).delete()
    # Public "form" and "workflow" changes come along, one per process, and for a signed-in user the holders of
    # each process's posts (workflow_handlers: those with a step assigned by post).
    workflows = [json.loads(p.read_text(encoding="utf-8")) for p in (SEED_DIR / "workflows").glob("*.json")]
    by_post = sum(1 for w in workflows if any("post" in step["assign"] for step in w["steps"]))
    forms = len(list(SEED_FORMS.glob("*.json"))) + len(workflows) + by_post
    # And the student's own calendar (docs/calendar.md): one change per timetable slot of their class; and the
    # portal's news, public, one change per item (docs/content.md).
    calendar = _changes(live_server.db_url, f"user:{STUDENT}", "calendar_event")
    news = _changes(live_server.db_url, "public", "news")
    # And the demo's past 办结 applications of the student's (我的申请).
    applications = _changes(live_server.db_url, f"user:{STUDENT}", "application")
    assert calendar > 0 and news > 0
    assert engine.pull(STUDENT) == 2 + forms + calendar + news + applications  # each op once, despite the replay
    assert store.favorites(STUDENT) == ["jw-chengjidan", "jw-xiuxue"]
    assert engine.pull(STUDENT) == 0  # resumes from the cursor

    # The server is restored from a backup (new epoch): the kiosk starts over and keeps its pending ops.
    _favorite(store, "jw-kecheng-huankao", on=True)
    db = Database(live_server.db_url)
    with db.transaction() as session:
        rotate_epoch(session)
    db.dispose()
    assert engine.pull(STUDENT) == 2 + forms + calendar + news + applications
    assert store.outbox_counts(STUDENT)["pending"] == 1
    store.close()


def test_backoff_is_exponential_capped_and_jittered() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(n, rng) for n in range(12)]
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0 and 8.0 <= delays[4] <= 16.0
    assert all(BACKOFF_CAP_S / 2 <= d <= BACKOFF_CAP_S for d in delays[6:])
    assert len({round(d, 3) for d in delays}) == len(delays)  # jitter: no two alike
