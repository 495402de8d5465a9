"""The sync benchmark still runs: `bench/bench_sync.py --quick` end to end in a subprocess (small sizes), so a
change to the store, the sync engine or the server cannot silently break it before the next `./run bench`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PG_URL, ROOT


def test_bench_sync_quick_prints_every_figure(
    tmp_path: Path, seeded_sqlite: Path, request: pytest.FixtureRequest
) -> None:
    out = tmp_path / "sync.json"
    # The suite's demo-seeded databases, copied: the bench's own seeding is what `./run bench` times, not this.
    seeded = ["--seeded-sqlite", str(seeded_sqlite)]
    if PG_URL:
        seeded += ["--seeded-pg", request.getfixturevalue("seeded_pg")]
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_sync.py"), "--quick", "--out", str(out), *seeded],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = result.stdout
    for figure in (
        "| first pull of ",
        "| enqueue latency, ",
        "| drain ",
        "| SQLite, 1 worker, ≤ 32 in flight |",
        "| SQLite, 1 worker, all at once |",
        "| PostgreSQL, 2 workers",
        "first pull ≥ 35,000 rows/s",
        "enqueue p99 ≤ 20 ms",
    ):
        assert figure in table, f"{figure!r} missing from:\n{table}"

    results = json.loads(out.read_text())
    assert results["pull"]["rows_per_s_median"] > 0 and results["pull"]["favorites"] == 3_000
    assert 0 < results["enqueue"]["p50_ms"] <= results["enqueue"]["p99_ms"] <= results["enqueue"]["max_ms"]
    assert results["drain"]["applied"] == results["drain"]["ops"] and results["drain"]["ops_per_s"] > 0
    paced = results["load_sqlite"]["paced"]
    assert paced["ok"] > 0 and paced["requests_per_s"] > 0, paced
    if PG_URL:
        assert results["load_pg"]["paced"]["ok"] > 0, results["load_pg"]
    else:
        assert "skipped" in results["load_pg"] and "| — |" in table
