"""The sync server as a CAS server (core/cas.py, api/routes/cas.py), driven by a real CAS client library
(python-cas) and a browser's requests against a real server on loopback, on SQLite and PostgreSQL: the desk
client's hand-off, validation 2.0/3.0/1.0, replay, expiry, services that are not registered, the password form
with its SSO cookie, renew, gateway and logout; the registry's CLI; and nothing a client sends answers 500."""

from __future__ import annotations

import html
import json
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cas import CASClientV1, CASClientV2, CASClientV3

from sync_server.core import cas
from sync_server.core.clock import set_clock
from sync_server.core.errors import Forbidden
from sync_server.db import Database
from sync_server.models import User
from tests.helpers import (
    LIU,
    LIU_PW,
    NEW_PW,
    STUDENT,
    STUDENT_PW,
    LiveServer,
    activated,
    bearer,
    login,
    run_server_cli,
)

JWXT = "https://jwxt.ztbu.example/login/cas"
OA = "https://oa.ztbu.example/portal/?from=campus"
NS = {"cas": "http://www.yale.edu/tp/cas"}


def desk_token(server: LiveServer, user_id: str = LIU, initial: str = LIU_PW) -> str:
    activated(server, user_id, initial)
    response = login(server, user_id, NEW_PW, kind="desk")
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture
def desk(live_server: LiveServer) -> str:
    return desk_token(live_server)


def handoff_url(server: LiveServer, token: str, service: str) -> str:
    response = requests.post(
        server.url + "/api/v1/cas/handoff", json={"service": service}, headers=bearer(token), timeout=10
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["expires_in"] == 60
    return str(body["url"])


def ticket_from(response: requests.Response, service: str) -> str:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(service.split("?")[0])
    tickets = parse_qs(urlsplit(location).query)["ticket"]
    assert len(tickets) == 1 and tickets[0].startswith("ST-") and len(tickets[0]) == 32
    return tickets[0]


def sign_in_by_handoff(server: LiveServer, token: str, service: str, browser: requests.Session | None = None) -> str:
    """What the desk client does for a tap on an app: the hand-off, opened in the browser → the service ticket."""
    browser = browser or requests.Session()
    return ticket_from(browser.get(handoff_url(server, token, service), allow_redirects=False, timeout=10), service)


def client(version: int, server: LiveServer, service: str) -> Any:
    kind = {1: CASClientV1, 2: CASClientV2, 3: CASClientV3}[version]
    return kind(service_url=service, server_url=server.url + "/cas/")


def raw_validate(server: LiveServer, path: str, **params: str) -> str:
    response = requests.get(f"{server.url}/cas/{path}", params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.text


def failure_code(xml: str) -> str | None:
    import xml.etree.ElementTree as ET

    failure = ET.fromstring(xml).find("cas:authenticationFailure", NS)
    return None if failure is None else failure.get("code")


# -- the hand-off and validation -------------------------------------------------------------------------------
def test_a_handoff_signs_in_and_real_cas_clients_validate(live_server: LiveServer, desk: str) -> None:
    ticket = sign_in_by_handoff(live_server, desk, JWXT)
    user, attributes, pgtiou = client(3, live_server, JWXT).verify_ticket(ticket)
    assert user == LIU and pgtiou is None
    assert attributes["uid"] == LIU and attributes["name"] == "刘诗宏" and attributes["role"] == "staff"
    assert attributes["department"] == "现代教育技术中心"
    assert attributes["isFromNewLogin"] == "false"  # a hand-off is not a password typed for this service
    assert datetime.fromisoformat(attributes["authenticationDate"].replace("Z", "+00:00")) <= datetime.now(UTC)

    # CAS 2.0: the user, no attributes; a service URL with a query of its own keeps it, the ticket appended.
    ticket = sign_in_by_handoff(live_server, desk, OA)
    assert client(2, live_server, OA).verify_ticket(ticket) == (LIU, None, None)
    # CAS 1.0
    ticket = sign_in_by_handoff(live_server, desk, JWXT)
    assert client(1, live_server, JWXT).verify_ticket(ticket) == (LIU, None, None)
    # CAS 3.0 as JSON
    ticket = sign_in_by_handoff(live_server, desk, JWXT)
    body = requests.get(
        live_server.url + "/cas/p3/serviceValidate",
        params={"ticket": ticket, "service": JWXT, "format": "JSON"},
        timeout=10,
    ).json()
    success = body["serviceResponse"]["authenticationSuccess"]
    assert success["user"] == LIU and success["attributes"]["name"] == "刘诗宏"


def test_a_ticket_and_a_handoff_work_once(live_server: LiveServer, desk: str) -> None:
    ticket = sign_in_by_handoff(live_server, desk, JWXT)
    v3 = client(3, live_server, JWXT)
    assert v3.verify_ticket(ticket)[0] == LIU
    assert v3.verify_ticket(ticket) == (None, {}, None)
    assert failure_code(raw_validate(live_server, "serviceValidate", ticket=ticket, service=JWXT)) == "INVALID_TICKET"

    # The hand-off link opened a second time (copied, or from history) shows the login form instead.
    url = handoff_url(live_server, desk, JWXT)
    assert requests.get(url, allow_redirects=False, timeout=10).status_code == 302
    again = requests.get(url, allow_redirects=False, timeout=10)
    assert again.status_code == 200 and "登录链接已失效" in again.text and "location" not in again.headers


def test_a_ticket_is_bound_to_its_service(live_server: LiveServer, desk: str) -> None:
    ticket = sign_in_by_handoff(live_server, desk, JWXT)
    answer = raw_validate(live_server, "p3/serviceValidate", ticket=ticket, service=OA)
    assert failure_code(answer) == "INVALID_SERVICE"
    # The spec: a ticket presented for the wrong service is spent.
    assert client(3, live_server, JWXT).verify_ticket(ticket) == (None, {}, None)
    # A hand-off for A cannot be turned into a ticket for B either.
    url = handoff_url(live_server, desk, JWXT).replace("jwxt.ztbu.example%2Flogin%2Fcas", "oa.ztbu.example%2F")
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 200 and "location" not in response.headers


@pytest.mark.parametrize(
    "service",
    [
        "https://evil.example/",
        "https://jwxt.ztbu.example.evil.example/",  # a registered host as a prefix of another
        "https://jwxt.ztbu.example@evil.example/",  # user info
        "http://jwxt.ztbu.example/",  # registered for https only
        "https://jwxt.ztbu.example/a/../../x",
        "javascript:alert(1)//jwxt.ztbu.example/",
        "//evil.example/",
    ],
)
def test_a_service_not_registered_is_refused_without_a_redirect(
    live_server: LiveServer, desk: str, service: str
) -> None:
    response = requests.post(
        live_server.url + "/api/v1/cas/handoff", json={"service": service}, headers=bearer(desk), timeout=10
    )
    assert response.status_code in (403, 422) and response.json()["error"]["code"] in (
        "cas_service_unknown",
        "cas_service_invalid",
    )
    for params in ({"service": service}, {"service": service, "gateway": "true"}):
        page = requests.get(live_server.url + "/cas/login", params=params, allow_redirects=False, timeout=10)
        assert page.status_code in (403, 422) and "location" not in page.headers and "未登记" in page.text
    logout = requests.get(live_server.url + "/cas/logout", params={"service": service}, allow_redirects=False)
    assert logout.status_code == 200 and "location" not in logout.headers


def test_handoff_is_for_a_signed_in_desk_client(live_server: LiveServer) -> None:
    kiosk_token = activated(live_server, STUDENT, STUDENT_PW)["access_token"]
    response = requests.post(
        live_server.url + "/api/v1/cas/handoff", json={"service": JWXT}, headers=bearer(kiosk_token), timeout=10
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "cas_desk_only"
    anonymous = requests.post(live_server.url + "/api/v1/cas/handoff", json={"service": JWXT}, timeout=10)
    assert anonymous.status_code == 401


def test_tickets_expire(db_url: str, tmp_path: Path) -> None:
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env={"CAMPUS_SYNC_CAS_TICKET_TTL": "1"}).start()
    try:
        token = desk_token(server)
        ticket = sign_in_by_handoff(server, token, JWXT)
        time.sleep(1.3)
        answer = raw_validate(server, "p3/serviceValidate", ticket=ticket, service=JWXT)
        assert failure_code(answer) == "INVALID_TICKET" and "expired" in answer
        fresh = sign_in_by_handoff(server, token, JWXT)
        assert client(3, server, JWXT).verify_ticket(fresh)[0] == LIU  # validated within its second
    finally:
        server.stop()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    fake = Clock()
    set_clock(fake)
    yield fake
    set_clock(None)


def test_a_handoff_expires_after_its_minute(db_url: str, clock: Clock) -> None:
    db = Database(db_url)
    settings = cas.CasSettings()
    try:
        with db.transaction() as session:
            user = session.get(User, LIU)
            assert user is not None
            user.must_change_password = False
            late = cas.issue_handoff(session, user=user, service=JWXT, settings=settings)
            in_time = cas.issue_handoff(session, user=user, service=JWXT, settings=settings)

        def open_link(handoff: str) -> cas.LoginOutcome:
            return cas.login(
                db.sessions, service=JWXT, renew=False, gateway=False, handoff=handoff, tgc=None, settings=settings
            )

        clock.now += timedelta(seconds=59)
        assert open_link(in_time).kind == "redirect"
        clock.now += timedelta(seconds=2)
        assert open_link(late).kind == "form"
    finally:
        db.dispose()


# -- the browser without a hand-off: the form, the SSO cookie, renew, gateway, logout --------------------------
def fill_form(
    server: LiveServer, browser: requests.Session, page: requests.Response, user_id: str, password: str
) -> requests.Response:
    """What a person does on the login page: the form's token and service kept, the name and password typed."""
    assert 'name="password"' in page.text, page.text
    lt = page.text.split('name="lt" value="', 1)[1].split('"', 1)[0]
    hidden = page.text.split('name="service" value="', 1)
    service = html.unescape(hidden[1].split('"', 1)[0]) if len(hidden) == 2 else ""
    data = {"username": user_id, "password": password, "lt": lt, **({"service": service} if service else {})}
    return browser.post(server.url + "/cas/login", data=data, allow_redirects=False, timeout=20)


def test_password_login_then_single_sign_on_renew_gateway_and_logout(live_server: LiveServer) -> None:
    activated(live_server, LIU, LIU_PW)
    browser = requests.Session()
    login_url = live_server.url + "/cas/login"
    first = browser.get(login_url, params={"service": JWXT}, allow_redirects=False, timeout=10)
    wrong = fill_form(live_server, browser, first, LIU, "wrong-password")
    assert wrong.status_code == 401 and "学号/工号或密码错误" in wrong.text
    signed = fill_form(live_server, browser, wrong, LIU, NEW_PW)
    ticket = ticket_from(signed, JWXT)
    user, attributes, _ = client(3, live_server, JWXT).verify_ticket(ticket)
    assert user == LIU and attributes["isFromNewLogin"] == "true"
    assert signed.cookies.get("CASTGC", "").startswith("TGC-")

    # A second system: no password, thanks to the cookie; its ticket says so, and fails a renew validation.
    sso = ticket_from(browser.get(login_url, params={"service": OA}, allow_redirects=False, timeout=10), OA)
    answer = raw_validate(live_server, "serviceValidate", ticket=sso, service=OA, renew="true")
    assert failure_code(answer) == "INVALID_TICKET_SPEC"
    # renew=true asks for the password again although the browser is signed in.
    renew = browser.get(login_url, params={"service": OA, "renew": "true"}, allow_redirects=False, timeout=10)
    assert renew.status_code == 200 and 'name="password"' in renew.text

    # gateway=true: a browser with no session goes back to the service without a ticket, and is not asked.
    stranger = requests.get(login_url, params={"service": OA, "gateway": "true"}, allow_redirects=False, timeout=10)
    assert stranger.status_code == 302 and stranger.headers["location"] == OA

    out = browser.get(live_server.url + "/cas/logout", params={"service": JWXT}, allow_redirects=False, timeout=10)
    assert out.status_code == 302 and out.headers["location"] == JWXT
    after = browser.get(login_url, params={"service": OA}, allow_redirects=False, timeout=10)
    assert after.status_code == 200 and 'name="password"' in after.text


def test_the_form_counts_failures_toward_the_lockout(live_server: LiveServer) -> None:
    browser = requests.Session()
    page = browser.get(live_server.url + "/cas/login", params={"service": JWXT}, timeout=10)
    for _ in range(5):
        page = fill_form(live_server, browser, page, STUDENT, "not-it")
        assert page.status_code == 401
    # Five wrong: locked for 15 minutes (core/auth.py's rule), and the right password does not get past it.
    locked = fill_form(live_server, browser, page, STUDENT, STUDENT_PW)
    assert locked.status_code == 423 and "锁定" in locked.text and "location" not in locked.headers


def test_the_form_refuses_a_post_without_its_token(live_server: LiveServer) -> None:
    forged = requests.post(
        live_server.url + "/cas/login",
        data={"username": LIU, "password": LIU_PW, "service": JWXT, "lt": "guess"},
        allow_redirects=False,
        timeout=10,
    )
    assert forged.status_code == 400 and "location" not in forged.headers


def test_a_first_login_must_change_the_initial_password_first(live_server: LiveServer) -> None:
    browser = requests.Session()
    page = browser.get(live_server.url + "/cas/login", params={"service": JWXT}, timeout=10)
    refused = fill_form(live_server, browser, page, LIU, LIU_PW)
    assert refused.status_code == 403 and "修改初始密码" in refused.text and "location" not in refused.headers


# -- the registry's CLI ----------------------------------------------------------------------------------------
def test_cas_service_cli_adds_lists_and_removes(db_url: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_server_cli("cas-service", *args, db_url=db_url)

    added = run("add", "https://Lib.ZTBU.example/opac", "--name", "图书馆系统", "--app", "library")
    assert added.returncode == 0 and "https://lib.ztbu.example/opac" in added.stdout, added.stderr
    listed = run("list").stdout
    assert "https://lib.ztbu.example/opac\t图书馆系统\tlibrary" in listed and "教务系统" in listed
    assert run("add", "https://lib.ztbu.example/opac", "--name", "again").returncode == 1
    assert run("add", "ftp://lib.ztbu.example/", "--name", "ftp").returncode == 1

    db = Database(db_url)
    try:
        with db.transaction() as session:
            assert cas.allowed_service(session, "https://lib.ztbu.example/opac/search?q=1")
            with pytest.raises(Forbidden):
                cas.allowed_service(session, "https://lib.ztbu.example/opacity")  # a prefix stops at a "/"
        assert run("remove", "https://lib.ztbu.example/opac").returncode == 0
        with db.transaction() as session, pytest.raises(Forbidden):
            cas.allowed_service(session, "https://lib.ztbu.example/opac/search")
    finally:
        db.dispose()
    assert run("remove", "https://lib.ztbu.example/opac").returncode == 1


# -- nothing a client sends answers 500 ------------------------------------------------------------------------
BAD_SERVICES = [
    "",
    "x" * 10_000,
    "https://jwxt.ztbu.example/" + "a" * 5_000,
    "https://jwxt.ztbu.example:99999/",
    "https://[::1/",
    "https://jwxt.ztbu.example/\x00",
    "https://jwxt.ztbu.example/%ff%fe",
    "https://jwxt.ztbu.example/\ud800",
    "https://jwxt.ztbu.example\\@evil.example/",
]


def test_nothing_a_client_sends_answers_500(live_server: LiveServer, desk: str) -> None:
    base = live_server.url
    for service in BAD_SERVICES:
        encoded = service.encode("utf-8", "surrogatepass").decode("latin-1")
        json_body = json.dumps({"service": service})  # a lone surrogate goes as the escape \ud800
        answers = [
            requests.post(
                base + "/api/v1/cas/handoff",
                data=json_body,
                headers={**bearer(desk), "Content-Type": "application/json"},
                timeout=10,
            ),
            requests.get(base + "/cas/login", params={"service": encoded, "handoff": "HO-" + "x" * 300}, timeout=10),
            requests.get(base + "/cas/logout", params={"service": encoded}, allow_redirects=False, timeout=10),
            requests.get(base + "/cas/serviceValidate", params={"service": encoded, "ticket": "ST-x"}, timeout=10),
            requests.get(base + "/cas/p3/serviceValidate", params={"service": encoded, "ticket": "x" * 9000}),
            requests.get(base + "/cas/validate?ticket=ST-%ED%A0%80x&service=" + encoded[:3000], timeout=10),
        ]
        for answer in answers:
            assert answer.status_code < 500, (service[:40], answer.request.url[:120], answer.text[:300])
    odd = [
        requests.get(base + "/cas/p3/serviceValidate", params={"format": "YAML", "ticket": "ST-1", "service": JWXT}),
        requests.get(base + "/cas/p3/serviceValidate?ticket&service&format=JSON"),
        requests.get(base + "/cas/serviceValidate", params={"ticket": "PT-1", "service": JWXT, "pgtUrl": "x"}),
        requests.get(base + "/cas/login?service=%ZZ&renew=%ff&gateway=" + "1" * 5000),
        requests.get(base + "/cas/login", cookies={"CASTGC": "TGC-" + "x" * 4000}),
        requests.post(base + "/cas/login", data=b"\xff\xfe=\x00&lt=&username=" + b"A" * 7000),
        requests.post(base + "/cas/login", data=b"x" * 9000),
        requests.post(base + "/cas/login", data="username=a&password=b&lt=c", cookies={"cas_lt": "c"}),
        requests.post(base + "/api/v1/cas/handoff", data=b"[]", headers=bearer(desk)),
        requests.post(base + "/api/v1/cas/handoff", json={"service": 5}, headers=bearer(desk)),
    ]
    for answer in odd:
        assert answer.status_code < 500, (answer.request.url[:120], answer.text[:300])
    assert failure_code(odd[0].text) == "INVALID_REQUEST"
    assert odd[1].json()["serviceResponse"]["authenticationFailure"]["code"] == "INVALID_REQUEST"
    assert failure_code(odd[2].text) == "INVALID_TICKET_SPEC"


def test_a_password_change_ends_the_browsers_single_sign_on(live_server: LiveServer, desk: str) -> None:
    browser = requests.Session()
    sign_in_by_handoff(live_server, desk, JWXT, browser)  # the hand-off left the browser signed in
    login_url = live_server.url + "/cas/login"
    assert browser.get(login_url, params={"service": OA}, allow_redirects=False, timeout=10).status_code == 302
    changed = requests.post(
        live_server.url + "/api/v1/auth/password",
        json={"old_password": NEW_PW, "new_password": "Another2026ok"},
        headers=bearer(desk),
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    after = browser.get(login_url, params={"service": OA}, allow_redirects=False, timeout=10)
    assert after.status_code == 200 and 'name="password"' in after.text


def test_across_two_workers_a_ticket_presented_at_once_validates_once(db_url: str, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    server = LiveServer(db_url=db_url, workdir=tmp_path, workers=2).start()
    try:
        token = desk_token(server)
        tickets = [sign_in_by_handoff(server, token, JWXT) for _ in range(5)]

        def attempt(ticket: str) -> str | None:
            # A fresh connection each time, so the two workers share the attempts.
            with requests.Session() as fresh:
                v3 = CASClientV3(service_url=JWXT, server_url=server.url + "/cas/", session=fresh)
                return v3.verify_ticket(ticket)[0]

        with ThreadPoolExecutor(max_workers=4) as pool:
            for ticket in tickets:
                users = list(pool.map(attempt, [ticket] * 4))
                assert sorted(users, key=str) == [LIU, None, None, None], users
    finally:
        server.stop()
