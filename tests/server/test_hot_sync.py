"""The hot path (api/hot_sync.py): the up-to-date pull and the push with a token, answered without FastAPI and the
ORM. It must give exactly the routes' answers for what it takes, and hand everything else to them untouched.

Two levels: the middleware called directly over a real SQLite database with a recording app behind it (so a test
knows who answered), and a real server on both backends where each answer of the hot path is compared with the
route's answer to the same request (a parameter the hot path does not take sends a request to the route)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select, text, update

from sync_server.api.hot_sync import HotSyncPaths, pull_query
from sync_server.api.middleware import Admission
from sync_server.api.routes import sync as sync_routes
from sync_server.core import auth, devices, live, sync
from sync_server.core.change_log import append_change, user_scope
from sync_server.db import Database
from sync_server.models import AuthSession, Process, User
from tests.helpers import LiveServer, bearer, copy_sqlite, create_pg_database

PULL = "/api/v1/sync/pull"
PUSH = "/api/v1/sync/push"


# -- the middleware itself ------------------------------------------------------------------------------------
class Recorder:
    """The app behind the middleware: records what reached it (and the body it could read) and answers 299."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        if scope["method"] == "POST":
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
        self.calls.append((scope["path"] + "?" + scope.get("query_string", b"").decode(), body))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"route"})


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[dict[str, Any]]:
    """A copy of the demo database, sessions of several kinds made in it, and a middleware over it."""
    db = Database(copy_sqlite(seeded_sqlite, tmp_path_factory.mktemp("hot")))
    tokens: dict[str, str] = {}
    with db.transaction() as session:
        students = list(session.scalars(select(User).where(User.role == "student").order_by(User.user_id).limit(3)))
        for user in students[:2]:
            user.must_change_password = False
        ready, other, fresh = students
        tokens["desk"] = auth.create_session(session, ready, "desk", device_id="pc-1").access_token
        tokens["fresh"] = auth.create_session(session, fresh, "desk", device_id="pc-2").access_token
        gone = auth.create_session(session, other, "desk", device_id="pc-3")
        gone.session.revoked_at = datetime.now(UTC)
        tokens["revoked"] = gone.access_token
        old = auth.create_session(session, other, "desk", device_id="pc-4")
        old.session.access_expires_at = datetime.now(UTC) - timedelta(seconds=1)
        tokens["expired"] = old.access_token
        enrolled = devices.enroll(session, name="图书馆自助机")
        device, credential = devices.exchange(session, code=enrolled.code)
        tokens["kiosk"] = auth.create_session(
            session, ready, "kiosk", device_id="k-1", device_ref=device.id
        ).access_token
        codes = [p.code for p in session.scalars(select(Process)) if "学生" in p.audience]
        user_ids = {"ready": ready.user_id, "other": other.user_id}
    executor = ThreadPoolExecutor(4)
    yield {
        "db": db,
        "tokens": tokens,
        "credential": credential,
        "codes": codes,
        "users": user_ids,
        "executor": executor,
    }
    executor.shutdown()
    db.dispose()


def _call(
    local: dict[str, Any],
    method: str,
    path: str,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    *,
    enforce_devices: bool = False,
) -> tuple[int, bytes, Recorder]:
    recorder = Recorder()
    hot = HotSyncPaths(
        recorder,
        db=local["db"],
        gate=Admission(4, 1.0),
        hub=live.LiveHub(),
        live_wait=25,
        max_body_bytes=1_048_576,
        enforce_devices=enforce_devices,
        readers=local["executor"],
        writers=local["executor"],
    )
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        + ([(b"content-length", str(len(body)).encode())] if method == "POST" else []),
        "client": ("127.0.0.1", 5000),
    }
    chunks = [body[: len(body) // 2], body[len(body) // 2 :]]  # the body in two messages, as a client may send it

    async def receive() -> dict[str, Any]:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(hot(scope, receive, send))
    status = sent[0]["status"]
    return status, b"".join(m.get("body", b"") for m in sent[1:]), recorder


def _route_pull(db: Database, user_id: str | None, cursor: int, limit: int) -> dict[str, Any]:
    with db.read_sessions() as session:
        return sync.pull_answer(session, user_id=user_id, cursor=cursor, limit=limit)


@pytest.mark.parametrize("who", ["anonymous", "desk", "kiosk"])
@pytest.mark.parametrize(("cursor", "limit"), [(0, 1), (0, 7), (10, 1000), (10**12, 500)])
def test_a_pull_gets_what_the_route_would_give(local: dict[str, Any], who: str, cursor: int, limit: int) -> None:
    headers = {} if who == "anonymous" else {"Authorization": f"Bearer {local['tokens'][who]}"}
    if who == "kiosk":
        headers["X-Device-Credential"] = local["credential"]
    status, body, recorder = _call(
        local, "GET", PULL, f"cursor={cursor}&limit={limit}", headers, enforce_devices=who == "kiosk"
    )
    assert (status, recorder.calls) == (200, [])
    expected = _route_pull(local["db"], None if who == "anonymous" else local["users"]["ready"], cursor, limit)
    assert json.loads(body) == expected
    assert expected["changes"] or cursor > 0  # the demo log has public changes from 0 on: the case is not empty


@pytest.mark.parametrize(
    "query",
    [
        "cursor=0&count_remaining=true",
        "cursor=0&wait=26",  # longer than the route allows: its 422
        "cursor=0&wait=1e1",
        "cursor=0&wait=-1",
        "cursor=0&wait=",
        "cursor=0&cursor=5",
        "cursor=-1",
        "cursor=1e3",
        "cursor=%EF%BC%91",  # a full-width digit: int() would take it, the route's validation decides
        "limit=0",
        "limit=1001",
        "cursor=0&colour=blue",
        "cursor=" + "9" * 20,
    ],
)
def test_a_pull_the_hot_path_does_not_take_reaches_the_route(local: dict[str, Any], query: str) -> None:
    status, body, recorder = _call(local, "GET", PULL, query)
    assert (status, body, [c[0] for c in recorder.calls]) == (299, b"route", [PULL + "?" + query])


@pytest.mark.parametrize(
    ("authorization", "device"),
    [
        ("Bearer not-a-token", None),
        ("Basic abc", None),
        ("Bearer ", None),
        ("Bearer " + "x" * 300, None),
        ("revoked", None),
        ("expired", None),
        ("fresh", None),  # the initial password is still to change: the route says 403
        ("kiosk", None),  # a kiosk session without its device's credential
        ("kiosk", "someone-else's"),
    ],
)
def test_a_caller_the_route_would_refuse_reaches_the_route(
    local: dict[str, Any], authorization: str, device: str | None
) -> None:
    token = local["tokens"].get(authorization)
    headers = {"Authorization": f"Bearer {token}" if token else authorization}
    if device:
        headers["X-Device-Credential"] = device
    status, _, recorder = _call(local, "GET", PULL, "cursor=0", headers, enforce_devices=True)
    assert (status, len(recorder.calls)) == (299, 1)


def _push_body(local: dict[str, Any], ops: list[tuple[str, bool]], device: str = "pc-1") -> bytes:
    return json.dumps(
        {
            "device_id": device,
            "ops": [
                {
                    "id": op_id,
                    "seq": n,
                    "type": "favorite.set",
                    "payload": {"process_code": local["codes"][n % len(local["codes"])], "on": on},
                    "created_at": "2026-12-06T08:00:00+00:00",
                }
                for n, (op_id, on) in enumerate(ops)
            ],
        }
    ).encode()


def test_a_push_is_applied_once_and_its_replay_is_a_duplicate(local: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {local['tokens']['desk']}", "Content-Type": "application/json"}
    ops = [(str(uuid.uuid4()), True), (str(uuid.uuid4()), False)]
    body = _push_body(local, ops)
    status, answer, recorder = _call(local, "POST", PUSH, "", headers, body)
    assert (status, recorder.calls) == (200, [])
    assert [r["status"] for r in json.loads(answer)["results"]] == ["applied", "applied"]
    status, answer, recorder = _call(local, "POST", PUSH, "", headers, body)
    assert (status, recorder.calls) == (200, [])
    assert [r["status"] for r in json.loads(answer)["results"]] == ["duplicate", "duplicate"]
    # The same id with another payload: refused as a whole, as api/errors.py answers it.
    status, answer, recorder = _call(local, "POST", PUSH, "", headers, _push_body(local, [(ops[0][0], False)]))
    assert (status, json.loads(answer)["error"]["code"], recorder.calls) == (409, "idempotency_conflict", [])


def test_a_push_records_the_tokens_use_at_most_once_a_minute(local: dict[str, Any]) -> None:
    token = local["tokens"]["desk"]
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with local["db"].transaction() as session:
        session.execute(
            update(AuthSession).where(AuthSession.access_hash == auth.token_hash(token)).values(last_seen_at=long_ago)
        )
    headers = {"Authorization": f"Bearer {token}"}
    assert _call(local, "POST", PUSH, "", headers, _push_body(local, [(str(uuid.uuid4()), True)]))[0] == 200
    with local["db"].read_sessions() as session:
        seen = session.scalar(select(AuthSession.last_seen_at).where(AuthSession.access_hash == auth.token_hash(token)))
    assert seen is not None and seen.replace(tzinfo=UTC) > long_ago + timedelta(minutes=4)


@pytest.mark.parametrize(
    ("who", "body"),
    [
        ("desk", b'{"ops": "not a list"}'),
        ("desk", b"{not json"),
        ("desk", "dup"),  # one id twice in the batch
        ("fresh", "ok"),  # must change the password first
        (None, "ok"),  # no token: a departed session's signed ops, the route's business
    ],
)
def test_a_push_the_hot_path_does_not_take_reaches_the_route_with_its_body(
    local: dict[str, Any], who: str | None, body: bytes | str
) -> None:
    if body == "dup":
        same = str(uuid.uuid4())
        body = _push_body(local, [(same, True), (same, False)])
    elif body == "ok":
        body = _push_body(local, [(str(uuid.uuid4()), True)])
    assert isinstance(body, bytes)
    headers = {"Authorization": f"Bearer {local['tokens'][who]}"} if who else {}
    status, answer, recorder = _call(local, "POST", PUSH, "", headers, body)
    assert (status, answer, recorder.calls) == (299, b"route", [(PUSH + "?", body)])


def test_the_query_parser_takes_only_plain_bounded_numbers() -> None:
    assert pull_query(b"") == (0, 500, 0)
    assert pull_query(b"cursor=42&limit=1000") == (42, 1000, 0)
    assert pull_query(b"limit=3") == (0, 3, 0)
    assert pull_query(b"cursor=7&wait=25") == (7, 500, 25)
    assert pull_query(b"cursor=7&wait=0.5") == (7, 500, 0.5)
    for refused in (
        b"cursor=",
        b"cursor=+1",
        b"cursor= 1",
        b"limit=1000000",
        b"cursor=4611686018427387905",
        b"wait=25.001",
        b"wait=nan",
        b"wait=.5",
    ):
        assert pull_query(refused) is None, refused


def test_a_waiting_pull_is_answered_here_when_its_change_comes(local: dict[str, Any]) -> None:
    """A pull with `wait` at the newest cursor waits on the hub (no thread, no connection) and is answered by
    the hot path, with the page of the shared look, within a moment of the commit; the route never sees it."""
    db, user_id = local["db"], local["users"]["ready"]
    newest = _route_pull(db, user_id, 0, 1000)
    while newest["has_more"]:
        newest = _route_pull(db, user_id, newest["cursor"], 1000)
    recorder, sent = Recorder(), []
    gone = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def scenario() -> float:
        hub = live.LiveHub()
        hub.start(asyncio.get_running_loop())
        hub.look_many = partial(sync_routes.look_many, db)
        hot = HotSyncPaths(
            recorder,
            db=db,
            gate=Admission(4, 1.0),
            hub=hub,
            live_wait=25,
            max_body_bytes=1_048_576,
            enforce_devices=False,
            readers=local["executor"],
            writers=local["executor"],
        )
        scope = {
            "type": "http",
            "method": "GET",
            "path": PULL,
            "query_string": f"cursor={newest['cursor']}&wait=20".encode(),
            "headers": [(b"authorization", f"Bearer {local['tokens']['desk']}".encode())],
            "client": ("127.0.0.1", 5000),
        }
        answered = asyncio.ensure_future(hot(scope, receive, send))
        deadline = time.monotonic() + 5
        while hub.waiting < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert hub.waiting == 1 and not sent
        made = time.monotonic()
        with db.transaction() as session:  # its commit publishes to the hubs of this process (core/live.py)
            append_change(session, user_scope(user_id), "notification", "999999", "delete", None)
        await asyncio.wait_for(answered, 5)
        gone.set()
        hub.close()
        return time.monotonic() - made

    took = asyncio.run(scenario())
    assert took < 1.0
    assert recorder.calls == []
    assert sent[0]["status"] == 200
    page = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert [(c["entity"], c["id"]) for c in page["changes"]] == [("notification", "999999")]
    assert page == _route_pull(db, user_id, newest["cursor"], 500)


# -- a real server, both backends -------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("hot-served")
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("seeded_sqlite"), workdir)
    else:
        url = create_pg_database(template=request.getfixturevalue("seeded_pg"))
    db = Database(url)
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.role == "student").order_by(User.user_id)).first()
        assert user is not None
        user.must_change_password = False
        token = auth.create_session(session, user, "desk", device_id="pc-hot").access_token
        codes = [p.code for p in session.scalars(select(Process)) if "学生" in p.audience]
    server = LiveServer(db_url=url, workdir=workdir).start()
    yield {"server": server, "headers": bearer(token), "codes": codes}
    server.stop()
    db.dispose()


def test_over_http_the_hot_answers_are_the_routes(served: dict[str, Any]) -> None:
    server, headers = served["server"], served["headers"]
    ops = [
        {
            "id": str(uuid.uuid4()),
            "seq": n,
            "type": "favorite.set",
            "payload": {"process_code": code, "on": True},
            "created_at": "2026-12-06T08:00:00+00:00",
        }
        for n, code in enumerate(served["codes"][:3])
    ]
    pushed = requests.post(server.url + PUSH, json={"device_id": "pc-hot", "ops": ops}, headers=headers, timeout=10)
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"] * 3
    assert pushed.headers["x-request-id"]
    for who in (headers, {}):
        cursor, changes = 0, []
        while True:
            params = {"cursor": cursor, "limit": 40}
            hot = requests.get(server.url + PULL, params=params, headers=who, timeout=10)
            # count_remaining=false is not the hot path's: the route answers the same request.
            route = requests.get(
                server.url + PULL, params={**params, "count_remaining": "false"}, headers=who, timeout=10
            )
            assert (hot.status_code, route.status_code) == (200, 200)
            assert hot.json() == route.json()
            assert hot.headers["x-sync-live-wait"] == route.headers["x-sync-live-wait"]
            changes += hot.json()["changes"]
            if not hot.json()["has_more"]:
                break
            cursor = hot.json()["cursor"]
        stars = [c for c in changes if c["entity"] == "favorite"]
        assert len(stars) == (3 if who else 0)  # for their owner only
    # A waiting pull at the newest cursor, answered by the hot path when the user's next ★ commits.
    newest = requests.get(server.url + PULL, params={"cursor": 0, "limit": 1000}, headers=headers, timeout=10).json()
    assert not newest["has_more"]
    waited: dict[str, Any] = {}
    waiting = threading.Thread(
        target=lambda: waited.update(
            answer=requests.get(
                server.url + PULL, params={"cursor": newest["cursor"], "wait": 10}, headers=headers, timeout=20
            )
        )
    )
    waiting.start()
    time.sleep(0.5)
    star = {**ops[0], "id": str(uuid.uuid4()), "payload": {"process_code": served["codes"][3], "on": True}}
    made = time.monotonic()
    pushed = requests.post(server.url + PUSH, json={"device_id": "pc-hot", "ops": [star]}, headers=headers, timeout=10)
    assert pushed.status_code == 200, pushed.text
    waiting.join(15)
    assert time.monotonic() - made < 2.0
    answer = waited["answer"]
    route = requests.get(
        server.url + PULL, params={"cursor": newest["cursor"], "count_remaining": "false"}, headers=headers, timeout=10
    )
    assert answer.status_code == 200 and answer.json() == route.json()
    assert [c["id"] for c in answer.json()["changes"]] == [served["codes"][3]]
    # The refusals are the routes' (the hot path hands the request over).
    refused = requests.get(server.url + PULL, params={"cursor": 0}, headers=bearer("nope"), timeout=10)
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "invalid_token")
    metrics = requests.get(server.url + "/metrics", timeout=10).text
    assert 'route="/api/v1/sync/pull"' in metrics and 'route="/api/v1/sync/push"' in metrics


@pytest.mark.postgres
def test_after_postgresql_dropped_every_connection_the_pulls_go_on(tmp_path: Path, seeded_pg: str) -> None:
    """The hot path's pool does not ping before each checkout (a round trip): a connection PostgreSQL has closed
    fails its statement, the route answers that request (its pool pings), and the hot pool drops the connection."""
    url = create_pg_database(template=seeded_pg)
    db = Database(url)
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.role == "student").order_by(User.user_id)).first()
        assert user is not None
        user.must_change_password = False
        headers = bearer(auth.create_session(session, user, "desk", device_id="pc-hot").access_token)
    server = LiveServer(db_url=url, workdir=tmp_path).start()
    try:
        for _ in range(20):  # connections in both pools
            assert requests.get(server.url + PULL, params={"cursor": 0, "limit": 5}, headers=headers, timeout=10).ok
        with db.transaction() as session:
            ended = session.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert ended >= 1
        answers = [
            requests.get(server.url + PULL, params={"cursor": 0, "limit": 5}, headers=headers, timeout=10)
            for _ in range(20)
        ]
        assert [a.status_code for a in answers] == [200] * 20
        assert all(a.json() == answers[0].json() for a in answers)
    finally:
        server.stop()
        db.dispose()
