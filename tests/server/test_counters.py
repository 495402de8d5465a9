"""首页's counters from real sources: unread mail from a real dovecot over IMAP, loans and overdue items from a SIP2
responder speaking the real framing, 待办 from the workflow engine, the demo figures, and what each shows when
its source is down, slow or not configured — never an invented number, and no other counter affected."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from sync_server.core.config import Settings
from sync_server.core.counters import CounterBoard, SourceError
from sync_server.core.counters.imap import ImapUnread
from sync_server.core.counters.sip2 import Sip2Library, checksum, checksum_ok, frame
from tests.helpers import LiveServer
from tests.server.counter_sources import MASTER, MASTER_PW, Dovecot, Sip2Responder
from tests.server.workflow_helpers import JIA, LIU, REPAIR, REPAIR_CODE, STUDENT, STUDENT_2, Client

TIMEOUT = 1.5  # the live servers' bound per source, seconds


def library(responder: Sip2Responder, **overrides: Any) -> Sip2Library:
    settings: dict[str, Any] = dict(
        host="127.0.0.1",
        port=responder.port,
        institution="ZZTU",
        login_user="selfcheck",
        login_password="sc-secret",
        timeout=TIMEOUT,
    )
    return Sip2Library(**{**settings, **overrides})


def mailbox(dovecot: Dovecot, **overrides: Any) -> ImapUnread:
    settings: dict[str, Any] = dict(
        host="127.0.0.1", port=dovecot.port, master_user=MASTER, master_password=MASTER_PW, security="plain"
    )
    return ImapUnread(**{**settings, **overrides})


def source_error(fetch: Any, *args: Any) -> str:
    with pytest.raises(SourceError) as caught:
        fetch(*args)
    return caught.value.code


# -- SIP2 ---------------------------------------------------------------------------------------------------------


def test_sip2_checksum_matches_the_specification_example() -> None:
    # The SC Status example of the 3M SIP2 specification: 9900302.00AY1AZFCA5.
    assert checksum(b"9900302.00AY1AZ") == "FCA5"
    assert checksum_ok(b"9900302.00AY1AZFCA5") and checksum_ok(b"9900302.00AY1AZfca5")
    assert not checksum_ok(b"9900302.01AY1AZFCA5") and not checksum_ok(b"9900302.00")
    framed = frame("63001AO图书馆|AA2022010101|", 7)
    assert framed.endswith(b"\r") and b"AY7AZ" in framed and checksum_ok(framed[:-1])


def test_sip2_loans_and_overdue_for_a_student_and_a_staff_member(sip2: Sip2Responder) -> None:
    source = library(sip2)
    assert source.fetch(STUDENT) == {"loans": 4, "overdue": 1}
    assert source.fetch(LIU) == {"loans": 3, "overdue": 0}  # none overdue: 0, as the manual says
    assert source.fetch(STUDENT_2) == {"loans": 2, "overdue": 0}
    # Each read logged in first, then asked with the configured institution and the user as patron.
    assert [(r["AO"], r["AA"], r["AC"]) for r in sip2.requests] == [
        ("ZZTU", STUDENT, ""),
        ("ZZTU", LIU, ""),
        ("ZZTU", STUDENT_2, ""),
    ]


def test_sip2_refusals(sip2: Sip2Responder) -> None:
    assert source_error(library(sip2, login_password="wrong").fetch, STUDENT) == "auth_failed"
    assert source_error(library(sip2, login_user=None).fetch, STUDENT) == "protocol_error"  # 96: not logged in
    assert source_error(library(sip2).fetch, "2099999999") == "unknown_patron"  # BL N
    assert source_error(library(sip2, institution="OTHER").fetch, STUDENT) == "unknown_patron"
    assert sip2.requests[-1]["AO"] == "OTHER"


def test_sip2_bad_checksum_is_asked_for_again_once(sip2: Sip2Responder) -> None:
    # The login's 94 and the 64 both arrive corrupted once: each is asked for again with 97, and then read.
    sip2.bad_checksums = 2
    assert library(sip2).fetch(STUDENT) == {"loans": 4, "overdue": 1}
    assert sip2.resend_requests == 2
    # Corrupted again after the resend: no figure rather than a doubtful one.
    sip2.bad_checksums, sip2.bad_resends, sip2.resend_requests = 1, 1, 0
    assert source_error(library(sip2).fetch, STUDENT) == "protocol_error"
    assert sip2.resend_requests == 1


def test_sip2_dropped_stalled_and_absent(sip2: Sip2Responder) -> None:
    sip2.drop = True
    assert source_error(library(sip2).fetch, STUDENT) == "source_down"
    sip2.drop, sip2.stall = False, True
    started = time.monotonic()
    assert source_error(library(sip2, timeout=0.5).fetch, STUDENT) == "timeout"
    assert time.monotonic() - started < 0.5 * 2 + 0.5  # the login's wait, at most, plus the 63's
    sip2.stall = False
    port = sip2.port
    sip2.stop()
    assert source_error(library(sip2, port=port).fetch, STUDENT) == "source_down"


# -- the board: cache, failure cache, bounds ---------------------------------------------------------------------


def test_board_caches_per_user_for_the_ttl_and_failures_briefly(sip2: Sip2Responder) -> None:
    board = CounterBoard([library(sip2)], ttl=0.6, failure_ttl=0.6, timeout=TIMEOUT)
    try:
        first = board.read(STUDENT)
        assert (first["loans"].value, first["overdue"].value) == (4, 1)
        assert first["mail_unread"].reason_code == "not_configured" and first["mail_unread"].reason == "未接入数据源"
        assert first["todo"].reason_code == "not_configured"
        board.read(STUDENT)
        assert len(sip2.requests) == 1  # within the TTL: from the cache, as_of unchanged
        assert board.read(STUDENT)["loans"].as_of == first["loans"].as_of
        board.read(LIU)
        assert len(sip2.requests) == 2  # per user
        time.sleep(0.7)
        assert board.read(STUDENT)["loans"].value == 4
        assert len(sip2.requests) == 3  # after the TTL: asked again

        # A source that fails is remembered as failing for the failure TTL: not hammered on every look.
        sip2.drop = True
        time.sleep(0.7)
        connections = sip2.connections
        for _ in range(5):
            reading = board.read(STUDENT)["loans"]
            assert (reading.value, reading.reason_code, reading.reason) == (None, "source_down", "图书馆系统暂不可用")
        assert sip2.connections == connections + 1
        sip2.drop = False
        time.sleep(0.7)
        assert board.read(STUDENT)["overdue"].value == 1
    finally:
        board.close()


def test_board_does_not_wait_longer_than_its_bound(sip2: Sip2Responder) -> None:
    sip2.stall = True
    board = CounterBoard([library(sip2, timeout=10)], ttl=60, failure_ttl=60, timeout=0.5)
    try:
        started = time.monotonic()
        readings = board.read(STUDENT)
        elapsed = time.monotonic() - started
        assert 0.5 <= elapsed < 1.0, elapsed
        assert readings["loans"].reason_code == "timeout" and readings["loans"].reason == "图书馆系统响应超时"
        assert readings["overdue"].value is None
    finally:
        sip2.stall = False
        board.close()


# -- IMAP against dovecot ----------------------------------------------------------------------------------------


def test_imap_unread_goes_0_2_1(dovecot: Dovecot) -> None:
    dovecot.clear(STUDENT_2)
    source = mailbox(dovecot)
    assert source.fetch(STUDENT_2) == {"mail_unread": 0}
    dovecot.deliver(STUDENT_2, "选课通知")
    dovecot.deliver(STUDENT_2, "图书馆讲座")
    assert source.fetch(STUDENT_2) == {"mail_unread": 2}
    dovecot.mark_one_seen(STUDENT_2)
    assert source.fetch(STUDENT_2) == {"mail_unread": 1}
    # Reading the count marked nothing seen.
    assert source.fetch(STUDENT_2) == {"mail_unread": 1}


def test_imap_logins_and_transports(dovecot: Dovecot) -> None:
    dovecot.clear(LIU)
    dovecot.deliver(LIU, "会议通知")
    # SASL PLAIN with the user as authorization identity (the default), and "user*master".
    assert mailbox(dovecot).fetch(LIU) == {"mail_unread": 1}
    assert mailbox(dovecot, master_separator="*").fetch(LIU) == {"mail_unread": 1}
    # IMAPS and STARTTLS, the certificate checked against the given CA.
    tls = {"ca_file": str(dovecot.cert)}
    assert mailbox(dovecot, port=dovecot.ssl_port, security="ssl", **tls).fetch(LIU) == {"mail_unread": 1}
    assert mailbox(dovecot, security="starttls", **tls).fetch(LIU) == {"mail_unread": 1}
    # A certificate no configured CA vouches for is refused, not trusted.
    assert source_error(mailbox(dovecot, port=dovecot.ssl_port, security="ssl").fetch, LIU) == "source_down"
    assert source_error(mailbox(dovecot, master_password="wrong").fetch, LIU) == "auth_failed"
    assert source_error(mailbox(dovecot).fetch, "2099999999") == "auth_failed"  # no such mailbox
    assert source_error(mailbox(dovecot, mailbox="NoSuchFolder").fetch, LIU) == "protocol_error"


# -- over HTTP, on SQLite and PostgreSQL -------------------------------------------------------------------------


@pytest.fixture
def portal(db_url: str, tmp_path: Path, dovecot: Dovecot, sip2: Sip2Responder) -> Iterator[LiveServer]:
    """A live server whose counters read the test dovecot (IMAPS) and SIP2 responder, uncached."""
    env = {
        "CAMPUS_SYNC_IMAP_HOST": "127.0.0.1",
        "CAMPUS_SYNC_IMAP_PORT": str(dovecot.ssl_port),
        "CAMPUS_SYNC_IMAP_SECURITY": "ssl",
        "CAMPUS_SYNC_IMAP_CA_FILE": str(dovecot.cert),
        "CAMPUS_SYNC_IMAP_MASTER_USER": MASTER,
        "CAMPUS_SYNC_IMAP_MASTER_PASSWORD": MASTER_PW,
        "CAMPUS_SYNC_SIP2_HOST": "127.0.0.1",
        "CAMPUS_SYNC_SIP2_PORT": str(sip2.port),
        "CAMPUS_SYNC_SIP2_INSTITUTION": "ZZTU",
        "CAMPUS_SYNC_SIP2_LOGIN_USER": "selfcheck",
        "CAMPUS_SYNC_SIP2_LOGIN_PASSWORD": "sc-secret",
        "CAMPUS_SYNC_COUNTERS_TTL": "0",
        "CAMPUS_SYNC_COUNTERS_FAILURE_TTL": "0",
        "CAMPUS_SYNC_COUNTERS_TIMEOUT": str(TIMEOUT),
    }
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env=env).start()
    yield server
    server.stop()


def counters(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/me/counters")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert list(body) == ["mail_unread", "loans", "overdue", "todo"]
    return body


def figures(body: dict[str, Any]) -> dict[str, int | None]:
    return {key: c["value"] for key, c in body.items()}


def test_counters_from_live_sources(portal: LiveServer, dovecot: Dovecot) -> None:
    for user in (STUDENT, LIU):
        dovecot.clear(user)
    dovecot.deliver(STUDENT, "成绩已发布")
    student, liu, jia = Client(portal, STUDENT), Client(portal, LIU), Client(portal, JIA)

    body = counters(student)
    assert figures(body) == {"mail_unread": 1, "loans": 4, "overdue": 1, "todo": 0}
    assert [body[k]["source"] for k in body] == ["imap", "sip2", "sip2", "workflow"]
    for counter in body.values():
        assert counter["demo"] is False
        as_of = datetime.fromisoformat(counter["as_of"])
        assert counter["as_of"].endswith("+08:00") and abs(time.time() - as_of.timestamp()) < 30

    todo_before = counters(jia)["todo"]["value"]
    liu_body = counters(liu)
    assert {k: liu_body[k]["value"] for k in ("mail_unread", "loans", "overdue")} == {
        "mail_unread": 0,
        "loans": 3,
        "overdue": 0,
    }
    # 待办 straight from the workflow engine: a task given to 贾孟杰 shows on his next look.
    liu.submit(REPAIR_CODE, REPAIR, next_handler=JIA)
    assert counters(jia)["todo"]["value"] == todo_before + 1
    dovecot.deliver(LIU, "设备报修已受理")
    assert counters(liu)["mail_unread"]["value"] == 1

    missing = requests.get(portal.url + "/api/v1/me/counters", timeout=10)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"


def test_one_source_down_leaves_the_others(portal: LiveServer, dovecot: Dovecot, sip2: Sip2Responder) -> None:
    dovecot.clear(STUDENT)
    student = Client(portal, STUDENT)

    sip2.drop = True
    body = counters(student)
    for key in ("loans", "overdue"):
        assert body[key] == {
            "value": None,
            "source": "sip2",
            "reason_code": "source_down",
            "reason": "图书馆系统暂不可用",
        }
    assert (body["mail_unread"]["value"], body["todo"]["value"]) == (0, 0)

    sip2.drop, sip2.stall = False, True
    started = time.monotonic()
    body = counters(student)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + 1.0, elapsed  # the slow library costs the page its bound, no more
    assert body["loans"]["reason_code"] == "timeout" and body["mail_unread"]["value"] == 0
    sip2.stall = False

    dovecot.stop()
    try:
        body = counters(student)
        assert body["mail_unread"] == {
            "value": None,
            "source": "imap",
            "reason_code": "source_down",
            "reason": "邮箱服务暂不可用",
        }
        assert figures(body) == {"mail_unread": None, "loans": 4, "overdue": 1, "todo": 0}
    finally:
        dovecot.start()
    assert counters(student)["mail_unread"]["value"] == 0


def test_demo_figures_are_marked_as_demo(db_url: str, tmp_path: Path) -> None:
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env={"CAMPUS_SYNC_COUNTERS": "demo"}).start()
    try:
        body = counters(Client(server, STUDENT))
        # The seed's figures for 王子涵 (sync_server/seed/demo_content.json, "counters").
        assert figures(body) == {"mail_unread": 3, "loans": 4, "overdue": 1, "todo": 0}
        assert [(body[k]["source"], body[k]["demo"]) for k in body] == [
            ("demo", True),
            ("demo", True),
            ("demo", True),
            ("workflow", False),  # 待办 is the demo server's real workflow, not a made-up figure
        ]
        staff = counters(Client(server, LIU))
        assert figures(staff)["overdue"] == 0 and figures(staff)["mail_unread"] == 12
        # Someone the seed gives no figures: none, not a zero.
        other = counters(Client(server, "102301"))
        assert other["loans"]["value"] is None and other["loans"]["reason_code"] == "no_demo_data"
        assert other["todo"]["value"] is not None
    finally:
        server.stop()


def test_not_configured_sources_say_so(shared_server: LiveServer) -> None:
    body = counters(Client(shared_server, STUDENT))
    for key in ("mail_unread", "loans", "overdue"):
        assert body[key] == {"value": None, "source": None, "reason_code": "not_configured", "reason": "未接入数据源"}
    assert body["todo"]["value"] == 0 and body["todo"]["source"] == "workflow"
    anonymous = requests.get(shared_server.url + "/api/v1/me/counters", timeout=10)
    assert anonymous.status_code == 401


def test_settings_reach_every_worker_and_bad_ones_stop_the_start() -> None:
    env = {
        "CAMPUS_SYNC_DB": "sqlite:///x.db",
        "CAMPUS_SYNC_COUNTERS": "demo",
        "CAMPUS_SYNC_COUNTERS_TTL": "30",
        "CAMPUS_SYNC_IMAP_HOST": "mail.example.edu",
        "CAMPUS_SYNC_IMAP_MASTER_USER": "portal",
        "CAMPUS_SYNC_IMAP_MASTER_PASSWORD": "s3cret",
        "CAMPUS_SYNC_SIP2_HOST": "lib.example.edu",
        "CAMPUS_SYNC_SIP2_INSTITUTION": "ZZTU",
    }
    settings = Settings.from_env(env)
    assert (settings.counters_mode, settings.counters_ttl_s, settings.imap_security) == ("demo", 30.0, "ssl")
    assert Settings.from_env(settings.to_env()) == settings  # what `serve --workers N` hands each worker
    for bad in (
        {"CAMPUS_SYNC_COUNTERS": "fake"},
        {"CAMPUS_SYNC_COUNTERS_TIMEOUT": "soon"},
        {"CAMPUS_SYNC_IMAP_SECURITY": "plain"},  # the master password in clear over a network
        {"CAMPUS_SYNC_IMAP_MASTER_PASSWORD": ""},
    ):
        with pytest.raises(ValueError, match="CAMPUS_SYNC_"):
            Settings.from_env({**env, **bad})
