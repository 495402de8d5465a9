"""GET /metrics on a real two-worker server: the Prometheus text format (checked by a strict parser of the
format, and by prometheus_client's when installed), counters that move after requests whichever worker
answered them, the devices' heartbeat figures, connector failures, and who may read it."""

from __future__ import annotations

import http.client
import itertools
import json
import math
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers import STUDENT, STUDENT_PW, LiveServer, activated, bearer, copy_sqlite, server_cmd

TOKEN = "metrics-token-0123456789abcdef"
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{(?:{LABEL})(?:,{LABEL})*\}})? (\S+)$")
Series = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse_strict(text: str) -> tuple[Series, dict[str, str]]:
    """The text exposition format 0.0.4, strictly: every sample's family declared (# TYPE) before its samples and
    once, names and labels by the grammar, float values, no series twice, histograms cumulative with +Inf = _count."""
    assert text.endswith("\n") and "\r" not in text
    types: dict[str, str] = {}
    series: Series = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("# HELP "):
            assert re.match(rf"^# HELP {NAME} \S", line), line
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped") and name not in types, line
            types[name] = kind
            current = name
            continue
        assert not line.startswith("#") and line, f"stray line: {line!r}"
        match = SAMPLE.match(line)
        assert match, f"not a sample: {line!r}"
        name, labels, value = match.groups()
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        owner = name if name in types else base if types.get(base) in ("histogram", "summary") else None
        assert owner is not None and owner == current, f"{name} outside its family (# TYPE {current})"
        pairs = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', labels or ""))
        assert (name, pairs) not in series, f"duplicate series {line}"
        series[(name, pairs)] = float(value)
    for name, kind in types.items():
        if kind != "histogram":
            continue
        routes = {dict(k[1]).get("route") for k in series if k[0] == name + "_bucket"}
        for route in routes:
            buckets = sorted(
                (float(dict(k[1])["le"]), v)
                for k, v in series.items()
                if k[0] == name + "_bucket" and dict(k[1]).get("route") == route
            )
            assert buckets[-1][0] == math.inf
            assert all(a[1] <= b[1] for a, b in itertools.pairwise(buckets)), buckets
            assert buckets[-1][1] == series[(name + "_count", frozenset({("route", route)}))]
    return series, types


def scrape(server: LiveServer, **headers: str) -> tuple[Series, dict[str, str]]:
    response = requests.get(server.url + "/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        pass
    else:
        assert list(text_string_to_metric_families(response.text))
    return parse_strict(response.text)


def value(series: Series, name: str, **labels: str) -> float:
    return series.get((name, frozenset(labels.items())), 0.0)


def total(series: Series, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in series.items() if n == name and set(labels.items()) <= ls)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    """Two workers; 首页's mail counter pointed at a port where nothing listens (every read fails); a device is
    stale after 3 s of silence."""
    workdir = tmp_path_factory.mktemp("metrics")
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir),
        workdir=workdir,
        workers=2,
        extra_env={
            "CAMPUS_SYNC_METRICS_TOKEN": TOKEN,
            "CAMPUS_SYNC_IMAP_HOST": "127.0.0.1",
            "CAMPUS_SYNC_IMAP_PORT": str(closed_port()),
            "CAMPUS_SYNC_IMAP_SECURITY": "plain",
            "CAMPUS_SYNC_IMAP_MASTER_USER": "master",
            "CAMPUS_SYNC_IMAP_MASTER_PASSWORD": "secret",
            "CAMPUS_SYNC_COUNTERS_FAILURE_TTL": "0",
            "CAMPUS_SYNC_DEVICE_STALE_MINUTES": "0.05",  # 3 s
        },
    ).start()
    yield live
    live.stop()


def test_counters_and_latency_move_after_requests_on_either_worker(server: LiveServer) -> None:
    route = "/api/v1/hall/processes/{code}"
    before, types = scrape(server)
    assert types["campus_http_requests_total"] == "counter"
    assert types["campus_http_request_duration_seconds"] == "histogram"
    assert value(before, "process_start_time_seconds") <= time.time()
    session = requests.Session()  # one connection, then fresh ones: both workers get some
    for i in range(20):
        (session if i % 2 else requests).get(server.url + "/api/v1/hall/processes/no-such-process", timeout=10)
    requests.get(server.url + "/no/such/page", timeout=10)
    deadline = time.monotonic() + 15  # the other worker's figures arrive with its next snapshot (1 s)
    while True:
        after, _ = scrape(server)
        moved = value(after, "campus_http_requests_total", method="GET", route=route, status="404") - value(
            before, "campus_http_requests_total", method="GET", route=route, status="404"
        )
        # The 404 of /no/such/page may come from the worker whose snapshot arrives last.
        unmatched = total(after, "campus_http_requests_total", route="unmatched", status="404")
        if (moved >= 20 and unmatched >= 1) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert moved == 20
    # The template, never the raw path (a series per process code would grow without bound).
    assert not any("no-such-process" in dict(labels).get("route", "") for _, labels in after)
    assert total(after, "campus_http_requests_total", route="unmatched", status="404") >= 1
    count = value(after, "campus_http_request_duration_seconds_count", route=route)
    assert count == total(after, "campus_http_requests_total", route=route)
    assert value(after, "campus_http_request_duration_seconds_sum", route=route) > 0
    # Counters never go down between scrapes, whichever worker answers.
    again, _ = scrape(server)
    assert total(again, "campus_http_requests_total") >= total(after, "campus_http_requests_total")


def test_device_queue_depth_and_stale_devices_come_from_the_heartbeats(server: LiveServer) -> None:
    def enroll(name: str) -> str:
        made = subprocess.run(
            server_cmd("devices", "enroll", "--name", name, "--json", db_url=server.db_url),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        code = json.loads(made.stdout)["code"]
        answer = requests.post(server.url + "/api/v1/devices/enroll", json={"code": code}, timeout=10)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["credential"])

    beats = {enroll(name): (depth, oldest) for name, depth, oldest in (("图书馆一楼", 7, 40), ("行政楼", 30, 900))}
    enroll("教学楼")  # enrolled, then never heard from: stale once 3 s have passed

    def send_beats() -> None:
        for credential, (depth, oldest) in beats.items():
            beat = requests.post(
                server.url + "/api/v1/devices/heartbeat",
                json={"version": "0.1.0", "outbox_depth": depth, "oldest_pending_s": oldest},
                headers={"X-Device-Credential": credential},
                timeout=10,
            )
            assert beat.status_code == 200, beat.text

    send_beats()
    time.sleep(3.2)
    send_beats()
    series, types = scrape(server)
    assert types["campus_device_outbox_depth_sum"] == "gauge"
    assert value(series, "campus_devices") == 3
    assert value(series, "campus_device_outbox_depth_sum") == 37
    assert value(series, "campus_device_outbox_depth_max") == 30
    assert value(series, "campus_device_oldest_pending_seconds_max") == 900
    assert value(series, "campus_devices_stale") == 1


def test_connector_failures_are_counted_by_connector(server: LiveServer) -> None:
    tokens = activated(server, STUDENT, STUDENT_PW, kind="desk")
    before, _ = scrape(server)
    for _ in range(3):
        answer = requests.get(server.url + "/api/v1/me/counters", headers=bearer(tokens["access_token"]), timeout=15)
        assert answer.status_code == 200 and answer.json()["mail_unread"]["value"] is None, answer.text
    deadline = time.monotonic() + 15
    while True:
        after, _ = scrape(server)
        failed = value(after, "campus_connector_failures_total", connector="imap") - value(
            before, "campus_connector_failures_total", connector="imap"
        )
        if failed >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert failed == 3


def test_only_allowed_addresses_or_the_token_may_read_it(server: LiveServer) -> None:
    def get_from(source: str, headers: dict[str, str] | None = None) -> int:
        # 127.0.0.2 is loopback on Linux but not in CAMPUS_SYNC_METRICS_ALLOW's default (127.0.0.1, ::1).
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10, source_address=(source, 0))
        try:
            conn.request("GET", "/metrics", headers={"X-Forwarded-For": "127.0.0.1", **(headers or {})})
            return conn.getresponse().status
        finally:
            conn.close()

    assert get_from("127.0.0.1") == 200
    assert get_from("127.0.0.2") == 404  # a forged X-Forwarded-For from a peer that is no trusted proxy: ignored
    assert get_from("127.0.0.2", bearer("wrong-token-0123456789")) == 404
    assert get_from("127.0.0.2", bearer(TOKEN)) == 200
