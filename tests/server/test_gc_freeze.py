"""A server process moves its startup objects out of the garbage collector's sight (main.serving_app): full
collections scanned them all, freed nothing, and stopped every request for about 100 ms (the pull's p99 under
wrk). Checked in a process of its own: freezing the test process would keep what other tests leave behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, os, sys
from fastapi.testclient import TestClient
from sync_server.main import create_app, serving_app
os.environ["CAMPUS_SYNC_DB"] = sys.argv[1]
os.environ["CAMPUS_SYNC_FEED_INTERVAL_MINUTES"] = "0"
app = serving_app() if sys.argv[2] == "serving" else create_app()
with TestClient(app) as client:
    assert client.get("/healthz").status_code == 200
    print(gc.get_freeze_count())
"""


def _frozen(db_url: str, how: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, db_url, how], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.strip().splitlines()[-1])


def test_a_serving_process_freezes_its_startup_objects_and_a_test_app_does_not(
    seeded_sqlite: Path, tmp_path: Path
) -> None:
    url = copy_sqlite(seeded_sqlite, tmp_path)
    assert _frozen(url, "serving") > 50_000  # the modules, models and routes: several hundred thousand objects
    assert _frozen(url, "test") == 0


def test_the_serve_command_makes_the_serving_app() -> None:
    cli = (ROOT / "sync_server" / "cli.py").read_text(encoding="utf-8")
    assert '"sync_server.main:serving_app"' in cli
