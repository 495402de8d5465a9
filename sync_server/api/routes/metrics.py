"""GET /metrics: the Prometheus text format (0.0.4), written by hand (no client library needed).

What is counted, and across how many workers (docs/deploy.md, "Monitoring"):
- requests by route template and status, and a latency histogram by route: each worker counts its own and,
  while it has requests, writes a snapshot to CAMPUS_SYNC_METRICS_DIR every second (`serve` makes that
  directory and tells its workers); the worker that answers a scrape adds up every snapshot there, its own
  taken fresh. So a scrape shows the whole server, the other workers' part up to FLUSH_S old, and the totals
  never go down while the server runs (a worker that died keeps its last snapshot until the next `serve`).
- connector failures (首页's mail and library sources): the same way.
- the queue depth the kiosks report and the stale devices: read from the database on each scrape (the latest
  heartbeat of every device), so every worker gives the same figures.
- process_start_time_seconds: when `serve` started (the earliest worker start, as the snapshots say).

Access: from CAMPUS_SYNC_METRICS_ALLOW's addresses (after the trusted proxies' X-Forwarded-For), or with
`Authorization: Bearer <CAMPUS_SYNC_METRICS_TOKEN>`; anything else is 404, as if there were no such page."""

from __future__ import annotations

import hmac
import ipaddress
import json
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from sync_server.api.deps import DatabaseDep, client_address
from sync_server.core import devices
from sync_server.core.config import ENV_PREFIX, Settings
from sync_server.core.errors import NotFound

router = APIRouter(tags=["health"])

# Seconds: from a cached read to a slow sync push; the kiosks' own timeout is 30 s.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
FLUSH_S = 1.0  # a busy worker's snapshot is rewritten at most this often (a small JSON file)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "unmatched"  # no route (404s, and what the body limit or the admission gate refused first)


class Recorder:
    """This worker's counts. `observe` is called once per request, from the event loop's thread."""

    def __init__(self) -> None:
        self.started = time.time()
        self.requests: Counter[tuple[str, str, int]] = Counter()  # (method, route, status)
        self.buckets: Counter[tuple[str, int]] = Counter()  # (route, bucket index; len(BUCKETS) = +Inf)
        self.sums: dict[str, float] = {}
        self.connector_failures: Callable[[], dict[str, int]] = dict  # the counter board's, once the app is made
        self.live_waiting: Callable[[], int] = int  # the live hub's (core/live.py), once the app is made
        self._lock = threading.Lock()  # the flusher thread reads what the event loop writes
        self._flusher: threading.Thread | None = None
        self._dirty = False
        # Named by pid and start: a new worker that gets a dead one's pid must not overwrite its last figures.
        self.file_name = f"{os.getpid()}-{int(self.started * 1000)}.json"

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, status)] += 1
            index = next((i for i, edge in enumerate(BUCKETS) if seconds <= edge), len(BUCKETS))
            self.buckets[(route, index)] += 1
            self.sums[route] = self.sums.get(route, 0.0) + seconds
            self._dirty = True
        if self._flusher is None and _metrics_dir() is not None:
            self._flusher = threading.Thread(target=self._flush_forever, name="metrics-flush", daemon=True)
            self._flusher.start()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            self._dirty = False
            return {
                "started": self.started,
                "requests": [[m, r, s, n] for (m, r, s), n in self.requests.items()],
                "buckets": [[r, i, n] for (r, i), n in self.buckets.items()],
                "sums": dict(self.sums),
                "connector_failures": dict(self.connector_failures()),
                "live_waiting": self.live_waiting(),
            }

    def flush(self) -> None:
        where = _metrics_dir()
        if where is None:
            return
        path = where / self.file_name
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.snapshot()))
        os.replace(partial, path)

    def _flush_forever(self) -> None:
        while True:
            time.sleep(FLUSH_S)
            if not self._dirty:
                continue
            try:
                self.flush()
            except OSError:  # the directory went with a stopping server
                return


RECORDER = Recorder()


def _metrics_dir() -> Path | None:
    where = os.environ.get(ENV_PREFIX + "METRICS_DIR")
    return Path(where) if where and os.path.isdir(where) else None


def _snapshots() -> list[dict[str, Any]]:
    """Every worker's last snapshot (this one's fresh); just this worker's without a metrics directory."""
    own = RECORDER.snapshot()
    where = _metrics_dir()
    if where is None:
        return [own]
    RECORDER.flush()
    found = []
    for path in where.glob("*.json"):
        if path.name == RECORDER.file_name:
            continue
        try:
            found.append(json.loads(path.read_text()))
        except (OSError, ValueError):  # being replaced right now: its previous figures are lost to this scrape
            continue
    return [own, *found]


def _allowed(request: Request, settings: Settings) -> bool:
    token = settings.metrics_token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n) for n in settings.metrics_allow.split(",") if n)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def exposition(snapshots: list[dict[str, Any]], fleet: dict[str, float]) -> str:
    requests: Counter[tuple[str, str, int]] = Counter()
    buckets: Counter[tuple[str, int]] = Counter()
    sums: dict[str, float] = {}
    failures: Counter[str] = Counter()
    for snap in snapshots:
        for method, route, status, n in snap["requests"]:
            requests[(method, route, status)] += n
        for route, index, n in snap["buckets"]:
            buckets[(route, index)] += n
        for route, seconds in snap["sums"].items():
            sums[route] = sums.get(route, 0.0) + seconds
        failures.update(snap["connector_failures"])
    lines: list[str] = []

    def family(name: str, kind: str, help_text: str) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")

    family("campus_http_requests_total", "counter", "HTTP requests answered, by method, route template and status.")
    for (method, route, status), n in sorted(requests.items()):
        lines.append(
            f'campus_http_requests_total{{method="{_label(method)}",route="{_label(route)}",status="{status}"}} {n}'
        )
    family("campus_http_request_duration_seconds", "histogram", "Time to answer a request, by route template.")
    for route in sorted({r for r, _ in buckets}):
        cumulative = 0
        for index, edge in enumerate((*BUCKETS, math.inf)):
            cumulative += buckets[(route, index)]
            lines.append(
                f'campus_http_request_duration_seconds_bucket{{route="{_label(route)}",le="{_number(edge)}"}} '
                f"{cumulative}"
            )
        seconds = _number(sums.get(route, 0.0))
        lines.append(f'campus_http_request_duration_seconds_sum{{route="{_label(route)}"}} {seconds}')
        lines.append(f'campus_http_request_duration_seconds_count{{route="{_label(route)}"}} {cumulative}')
    family("campus_connector_failures_total", "counter", "Failed reads of a 首页 counter source, by connector.")
    for connector, n in sorted(failures.items()):
        lines.append(f'campus_connector_failures_total{{connector="{_label(connector)}"}} {n}')
    for name, help_text in (
        ("campus_devices", "Enrolled, not revoked devices."),
        ("campus_devices_stale", "Enrolled devices not heard from within CAMPUS_SYNC_DEVICE_STALE_MINUTES."),
        ("campus_devices_deep_outbox", "Enrolled devices whose last heartbeat reported a deep outbox."),
        ("campus_device_outbox_depth_sum", "Queued operations: the sum over the last heartbeats."),
        ("campus_device_outbox_depth_max", "Queued operations: the most one last heartbeat reported."),
        ("campus_device_oldest_pending_seconds_max", "The oldest queued operation's age: the most one reported."),
    ):
        family(name, "gauge", help_text)
        lines.append(f"{name} {_number(fleet[name])}")
    family("campus_live_waiting", "gauge", "Pulls waiting for a change (live changes), over the workers.")
    lines.append(f"campus_live_waiting {sum(int(s.get('live_waiting', 0)) for s in snapshots)}")
    family("process_start_time_seconds", "gauge", "When the server's first worker started, Unix seconds.")
    lines.append(f"process_start_time_seconds {_number(min(s['started'] for s in snapshots))}")
    return "\n".join(lines) + "\n"


def _fleet_figures(db: Any, settings: Settings) -> dict[str, float]:
    with db.read_sessions() as session:
        stale_after = timedelta(minutes=settings.device_stale_minutes)
        entries = devices.fleet(session, stale_after=stale_after, deep_outbox=settings.device_deep_outbox)
    enrolled = [e for e in entries if e.state == "enrolled"]
    depths = [e.device.outbox_depth or 0 for e in enrolled]
    return {
        "campus_devices": len(enrolled),
        "campus_devices_stale": sum("STALE" in e.flags for e in enrolled),
        "campus_devices_deep_outbox": sum("DEEP" in e.flags for e in enrolled),
        "campus_device_outbox_depth_sum": sum(depths),
        "campus_device_outbox_depth_max": max(depths, default=0),
        "campus_device_oldest_pending_seconds_max": max((e.device.oldest_pending_s or 0 for e in enrolled), default=0),
    }


@router.get("/metrics", response_class=PlainTextResponse, include_in_schema=False)
def metrics(request: Request, db: DatabaseDep) -> PlainTextResponse:
    settings: Settings = request.app.state.settings
    if not _allowed(request, settings):
        raise NotFound("not_found", "Not Found")
    body = exposition(_snapshots(), _fleet_figures(db, settings))
    return PlainTextResponse(body, media_type=CONTENT_TYPE)
