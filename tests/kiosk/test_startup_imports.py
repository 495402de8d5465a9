"""The login screen must not wait for libraries it does not use: they load later, on worker threads.
(bench/README.md: SQLAlchemy and requests alone cost ~0.4 s and ~54 MiB of a 0.78 s start.)"""

from __future__ import annotations

import json
import subprocess
import sys

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
