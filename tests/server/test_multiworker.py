"""Sync stays correct with more than one server process (the campus setup: `serve --workers 2` on PostgreSQL,
and on SQLite): concurrent pushes from many users across workers, each applied once; the same operation sent to
two workers at once applied once; and pullers running during the pushes never skip a change that commits late
(each sees every change of its scope exactly once, in order)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from sync_server.core import auth
from sync_server.core.change_log import MEMBERS_SCOPE
from sync_server.db import Database
from sync_server.models import AppliedOp, ChangeLog, Process, User
from tests.helpers import LiveServer

PUSHES_PER_USER = 25


@pytest.fixture
def two_workers(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(db_url=db_url, workdir=tmp_path, workers=2).start(timeout=60)
    yield server
    server.stop()


def _sessions(db_url: str, count: int, devices: int = 1) -> list[tuple[str, str, list[str]]]:
    """(user, access token, process codes the user may ★) for `count` demo users on `devices` terminals each,
    made directly in the database (argon2 logins would only slow the test down; the tokens are real)."""
    db = Database(db_url)
    out = []
    with db.transaction() as session:
        users = session.scalars(select(User).where(User.role.in_(["student", "staff"])).order_by(User.user_id))
        processes = session.scalars(select(Process)).all()
        for user in list(users)[:count]:
            user.must_change_password = False
            group = "学生" if user.role == "student" else "教工"
            codes = [p.code for p in processes if group in p.audience]
            for device in range(devices):
                issued = auth.create_session(session, user, "kiosk", device_id=f"dev-{user.user_id}-{device}")
                out.append((user.user_id, issued.access_token, codes))
    db.dispose()
    return out


def _op(seq: int, code: str, on: bool) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": on},
        "created_at": datetime.now(UTC).isoformat(),
    }


def test_many_users_across_two_workers(two_workers: LiveServer) -> None:
    url = two_workers.url
    # Three terminals per user push at once: concurrent writers to one scope, so a change numbered lower can
    # commit after one numbered higher — the case a cursor must not skip.
    users = _sessions(two_workers.db_url, 3, devices=3)
    sent: dict[str, list[str]] = {u: [] for u, _, _ in users}
    seen: dict[str, list[int]] = {u: [] for u, _, _ in users}
    errors: list[str] = []
    pushing = threading.Event()
    pushing.set()

    def pusher(user: str, token: str, codes: list[str]) -> None:
        http = requests.Session()  # keep-alive: the kernel spreads connections over both workers
        for n in range(PUSHES_PER_USER):
            op = _op(n + 1, codes[n % len(codes)], on=(n // len(codes)) % 2 == 0)
            response = http.post(
                url + "/api/v1/sync/push",
                json={"ops": [op]},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            if response.status_code != 200 or response.json()["results"][0]["status"] != "applied":
                errors.append(f"{user}: {response.status_code} {response.text[:200]}")
            sent[user].append(op["id"])

    def puller(user: str, token: str) -> None:
        http, cursor = requests.Session(), 0
        while True:
            done = not pushing.is_set()  # read before the pull, so the last pull starts after the last push
            page = http.get(
                url + "/api/v1/sync/pull",
                params={"cursor": cursor, "limit": 7},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            ).json()
            seen[user].extend(c["seq"] for c in page["changes"] if c["scope"] == "user")
            cursor = page["cursor"]
            if done and not page["has_more"]:
                return

    pushers = [threading.Thread(target=pusher, args=u) for u in users]
    pullers = [threading.Thread(target=puller, args=(u, t)) for u, t, _ in users[::3]]
    for thread in pushers + pullers:
        thread.start()
    for thread in pushers:
        thread.join(120)
    pushing.clear()
    for thread in pullers:
        thread.join(120)
    assert not errors, errors[:5]

    db = Database(two_workers.db_url)
    with db.sessions() as session:
        for user, ops in sent.items():
            # Each operation took effect exactly once …
            per_op = dict(
                session.execute(
                    select(ChangeLog.op_id, func.count()).where(ChangeLog.op_id.in_(ops)).group_by(ChangeLog.op_id)
                ).all()
            )
            assert per_op == dict.fromkeys(ops, 1), user
            # … and a puller that ran alongside saw every change of the user's scope once, in order: no change
            # that committed late was skipped by a cursor that had moved past its number.
            # The "user" changes it pulled are the user's own and those for every signed-in user.
            scopes = (f"user:{user}", MEMBERS_SCOPE)
            truth = list(
                session.scalars(select(ChangeLog.seq).where(ChangeLog.scope.in_(scopes)).order_by(ChangeLog.seq))
            )
            assert seen[user] == truth, user
    db.dispose()


def test_one_operation_raced_to_both_workers_applies_once(two_workers: LiveServer) -> None:
    (_user, token, codes), *_ = _sessions(two_workers.db_url, 1)
    ops = [_op(n + 1, codes[n], on=True) for n in range(10)]
    answers: list[list[str]] = []

    def send() -> None:
        http = requests.Session()  # a fresh connection each: the two may land on different workers
        body = http.post(
            two_workers.url + "/api/v1/sync/push",
            json={"device_id": "dev-race", "ops": ops},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        answers.append([r["status"] for r in body["results"]])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 4
    # Every operation: applied by exactly one request, duplicate for the others.
    for index in range(len(ops)):
        statuses = sorted(a[index] for a in answers)
        assert statuses == ["applied", "duplicate", "duplicate", "duplicate"], statuses
    db = Database(two_workers.db_url)
    with db.sessions() as session:
        ids = [op["id"] for op in ops]
        assert session.scalar(select(func.count()).select_from(AppliedOp).where(AppliedOp.op_id.in_(ids))) == 10
        assert session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.op_id.in_(ids))) == 10
    db.dispose()
