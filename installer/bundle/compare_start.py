"""Start time of the bundle next to the venv's: wall time of `campus-kiosk --screenshot` (process start → the
login screen's PNG written → exit), rounds interleaved, medians and the median of per-round ratios.

    python installer/bundle/compare_start.py [--rounds 9] [--bundle dist/campus-kiosk/campus-kiosk]

Both sides: offscreen, kiosk mode, a closed server port (no network wait), a fresh data dir per run, and a
HOME of their own kept across rounds (the QML disk cache warm, as on a kiosk that has started before). The
venv side runs `python -m kiosk` from this checkout with a private PYTHONPYCACHEPREFIX filled by the warm-up
round (an installed client runs from .pyc files; this environment sets PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_once(cmd: list[str], home: Path, env_extra: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="campus-start-") as tmp:
        shot = Path(tmp) / "shot.png"
        args = [
            *cmd,
            "--mode",
            "kiosk",
            "--server",
            f"http://127.0.0.1:{closed_port()}",
            "--data-dir",
            f"{tmp}/data",
            "--config",
            f"{tmp}/absent.toml",
            "--screenshot",
            str(shot),
        ]
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "CAMPUS_KIOSK_LOG": "WARNING",
            **env_extra,
        }
        t0 = time.monotonic()
        subprocess.run(args, env=env, check=True, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.monotonic() - t0
        if not shot.is_file():
            raise RuntimeError(f"{cmd[0]} wrote no screenshot")
        return elapsed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--bundle", type=Path, default=ROOT / "dist" / "campus-kiosk" / "campus-kiosk")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="campus-compare-") as tmp:
        sides = {
            "bundle": ([str(args.bundle)], Path(tmp) / "home-bundle", {}),
            "venv": (
                [sys.executable, "-m", "kiosk"],
                Path(tmp) / "home-venv",
                {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": f"{tmp}/pycache", "PYTHONDONTWRITEBYTECODE": ""},
            ),
        }
        for cmd, home, extra in sides.values():
            home.mkdir()
            run_once(cmd, home, extra)  # warm-up: QML cache, .pyc files, page cache
        times: dict[str, list[float]] = {name: [] for name in sides}
        for i in range(args.rounds):
            order = list(sides) if i % 2 == 0 else list(reversed(sides))
            for name in order:
                times[name].append(run_once(*sides[name]))
    ratios = [b / v for b, v in zip(times["bundle"], times["venv"], strict=True)]
    print(
        json.dumps(
            {
                "rounds": args.rounds,
                "bundle_median_s": round(statistics.median(times["bundle"]), 3),
                "venv_median_s": round(statistics.median(times["venv"]), 3),
                "ratio_of_medians": round(statistics.median(times["bundle"]) / statistics.median(times["venv"]), 3),
                "median_round_ratio": round(statistics.median(ratios), 3),
                "bundle_s": [round(t, 3) for t in times["bundle"]],
                "venv_s": [round(t, 3) for t in times["venv"]],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
