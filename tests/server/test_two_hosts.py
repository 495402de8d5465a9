"""Two server processes ("hosts") on one PostgreSQL behind one nginx that hands requests round-robin to them,
and a client whose requests therefore alternate: nothing that must be shared lives in one process. A QR login
started on one host is scanned and confirmed on the other; a push retried on the other host is a duplicate; a
long poll waiting on one host is woken by a change pushed through the other (LISTEN/NOTIFY); failed logins
count across both, so the lockout holds. Each request carries an X-Request-ID and the hosts' access logs say
which served it, so the test checks that the two halves of each case did land on different hosts."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.helpers import (
    LIU,
    LIU_PW,
    NEW_PW,
    NGINX,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    create_pg_database,
    start_nginx,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(NGINX is None, reason="nginx missing (./run test installs nginx-light)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Pair:
    hosts: dict[str, LiveServer]
    url: str  # nginx

    def served_by(self, request_id: str, timeout: float = 3.0) -> str:
        """Which host's access log holds this request (the line is written as the response goes out)."""
        needle = f'"request_id": "{request_id}"'
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [name for name, host in self.hosts.items() if needle in host.log_path.read_text()]
            if found:
                assert len(found) == 1, found
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no host logged {request_id}")

    def call(self, method: str, path: str, **kwargs: Any) -> tuple[requests.Response, str]:
        rid = uuid.uuid4().hex[:16]
        headers = {**kwargs.pop("headers", {}), "X-Request-ID": rid}
        response = requests.request(
            method, self.url + path, headers=headers, timeout=kwargs.pop("timeout", 30), **kwargs
        )
        return response, rid


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, seeded_pg: str) -> Iterator[Pair]:
    url = create_pg_database(template=seeded_pg)
    work = tmp_path_factory.mktemp("two-hosts")
    hosts = {}
    for name in ("a", "b"):
        (work / name).mkdir()
        hosts[name] = LiveServer(db_url=url, workdir=work / name).start()
    port = _free_port()
    nginx = start_nginx(work, port, [h.port for h in hosts.values()])
    pair = Pair(hosts, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 15
    while True:
        try:
            if requests.get(pair.url + "/healthz", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline and nginx.poll() is None, (work / "error.log").read_text()
        time.sleep(0.05)
    activated(hosts["a"], LIU, LIU_PW)
    yield pair
    os.killpg(nginx.pid, signal.SIGTERM)
    nginx.wait(10)
    for host in hosts.values():
        host.stop()


def _login(pair: Pair, user_id: str, password: str) -> tuple[requests.Response, str]:
    body = {"user_id": user_id, "password": password, "kind": "kiosk", "device_id": "two-hosts", "device_name": "t"}
    return pair.call("POST", "/api/v1/auth/login", json=body)


def test_requests_alternate_between_the_hosts(pair: Pair) -> None:
    served = [pair.served_by(pair.call("GET", "/healthz")[1]) for _ in range(4)]
    assert sorted(served) == ["a", "a", "b", "b"] and served[0] != served[1], served


def test_qr_login_started_on_one_host_is_confirmed_on_the_other(pair: Pair) -> None:
    created, rid_create = pair.call("POST", "/api/v1/auth/qr", json={"device_id": "kiosk-2h", "device_name": "二号机"})
    ticket, path = created.json()["ticket"], "/m/qr/" + created.json()["ticket"]
    phone = requests.Session()
    page = phone.get(pair.url + path, timeout=10)
    assert page.status_code == 200
    phone.post(pair.url + path + "/login", data={"user_id": LIU, "password": NEW_PW}, timeout=10)  # then its page
    rid_page = uuid.uuid4().hex[:16]
    form = phone.get(pair.url + path, headers={"X-Request-ID": rid_page}, timeout=10)
    assert "刘诗宏" in form.text, form.text
    if pair.served_by(rid_page) != pair.served_by(rid_create):
        pair.call("GET", "/healthz")  # so that the confirmation, next, goes to the host that did not make it
    csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    rid_confirm = uuid.uuid4().hex[:16]
    confirmed = phone.post(
        pair.url + path + "/confirm", data={"csrf": csrf}, headers={"X-Request-ID": rid_confirm}, timeout=10
    )
    assert confirmed.status_code == 200, confirmed.text
    polled, _ = pair.call("GET", f"/api/v1/auth/qr/{ticket}", params={"device_id": "kiosk-2h"})
    assert polled.json()["status"] == "confirmed", polled.text
    me = requests.get(pair.url + "/api/v1/me", headers=bearer(polled.json()["tokens"]["access_token"]), timeout=10)
    assert me.json()["name"] == "刘诗宏"
    assert pair.served_by(rid_create) != pair.served_by(rid_confirm)  # made on one host, confirmed on the other


def _push(pair: Pair, token: str, op: dict[str, Any]) -> tuple[requests.Response, str]:
    return pair.call("POST", "/api/v1/sync/push", json={"device_id": "two-hosts", "ops": [op]}, headers=bearer(token))


def _star_op(code: str, on: bool) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "seq": 1,
        "type": "favorite.set",
        "payload": {"process_code": code, "on": on},
        "created_at": datetime.now(UTC).isoformat(),
    }


def test_a_push_retried_on_the_other_host_is_a_duplicate(pair: Pair) -> None:
    token = _login(pair, LIU, NEW_PW)[0].json()["access_token"]
    op = _star_op("xj-diannao-weixiu", True)
    first, rid_first = _push(pair, token, op)
    again, rid_again = _push(pair, token, op)
    assert [r["status"] for r in (first.json()["results"][0], again.json()["results"][0])] == ["applied", "duplicate"]
    assert again.json()["results"][0]["result"] == first.json()["results"][0]["result"]
    assert pair.served_by(rid_first) != pair.served_by(rid_again)


def test_a_long_poll_on_one_host_is_woken_by_a_push_through_the_other(pair: Pair) -> None:
    token = _login(pair, LIU, NEW_PW)[0].json()["access_token"]
    cursor, more = 0, True
    while more:
        page = pair.call("GET", "/api/v1/sync/pull", params={"cursor": cursor, "limit": 1000}, headers=bearer(token))
        cursor, more = page[0].json()["cursor"], page[0].json()["has_more"]

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(
            pair.call, "GET", "/api/v1/sync/pull", params={"cursor": cursor, "wait": 20}, headers=bearer(token)
        )
        time.sleep(0.7)  # the wait is in place (nginx has handed it on)
        made = time.monotonic()
        pushed, rid_push = _push(pair, token, _star_op("xj-diannao-weixiu", False))
        assert pushed.json()["results"][0]["status"] == "applied"
        answer, rid_wait = waiting.result()
    took = time.monotonic() - made
    assert [c["entity"] for c in answer.json()["changes"]] == ["favorite"] and took < 1.0, (answer.text, took)
    assert pair.served_by(rid_push) != pair.served_by(rid_wait)


def test_failed_logins_count_across_both_hosts(pair: Pair) -> None:
    served = []
    for _ in range(5):
        refused, rid = _login(pair, STUDENT, "not-the-password")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_credentials"
        served.append(pair.served_by(rid))
    assert set(served) == {"a", "b"}  # neither host saw all five
    locked, _ = _login(pair, STUDENT, STUDENT_PW)  # the right password, but the account is locked now
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "account_locked", locked.text
    locked_again, _ = _login(pair, STUDENT, STUDENT_PW)  # and on the other host too
    assert locked_again.json()["error"]["code"] == "account_locked"
