"""The login screen must not wait for libraries it does not use: they load later, on worker threads.
(bench/README.md: SQLAlchemy and requests alone cost ~0.4 s and ~54 MiB of a 0.78 s start.)"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.helpers import ROOT

HEAVY = (
    "sqlalchemy",
    "requests",
    "keyring",
    "argon2",
    "jsonschema",
    "pypinyin",
    "qrcode",
    "PIL",
    "fastapi",
    "cryptography",
    "alembic",
)


def test_start_up_path_imports_nothing_heavy() -> None:
    script = (
        "import sys, json; import kiosk.app, kiosk.views, kiosk.views.app_state, kiosk.views.session; "
        f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == [], f"imported at start-up: {loaded}"


def test_the_login_screen_is_true_before_the_orm_and_requests_load(tmp_path) -> None:
    """The store's first look (sqlite3) and the health check (http.client) make the screen true; SQLAlchemy and
    requests load after it, on workers (bench/README.md: the true screen)."""
    command = [sys.executable, str(ROOT / "bench" / "_first_frame.py"), "app", str(time.monotonic()), "--true-screen"]
    result = subprocess.run(
        [*command, "--", "--mode", "kiosk", "--server", "http://127.0.0.1:9", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["true_screen_s"] >= report["first_frame_s"]
    assert report["loaded_at_true_screen"] == []
