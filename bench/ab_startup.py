"""The true screen of two checkouts side by side: `_first_frame.py app --true-screen` (this checkout's driver) run on
each tree in turn, rounds interleaved (A B, B A, …), medians and the median per-round ratio.

    .venv/bin/python bench/ab_startup.py BEFORE_TREE AFTER_TREE [--rounds 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRIVER = Path(__file__).resolve().parent / "_first_frame.py"


def run(tree: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, PYTHONPATH=tree, QT_QPA_PLATFORM="offscreen")
        cmd = [sys.executable, str(DRIVER), "app", str(time.monotonic()), "--true-screen", "--"]
        cmd += [
            "--mode",
            "kiosk",
            "--server",
            "http://127.0.0.1:9",
            "--data-dir",
            data,
            "--config",
            f"{data}/none.toml",
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=tree, check=True).stdout
    return dict(json.loads(out.splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    trees = {"before": args.before, "after": args.after}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name in trees if r % 2 == 0 else reversed(list(trees)):
            runs[name].append(run(trees[name]))
    for name, samples in runs.items():
        figures = {k: statistics.median(s[k] for s in samples) for k in ("first_frame_s", "true_screen_s")}
        rss = {k: statistics.median(s[k] for s in samples) for k in ("peak_rss_mib", "true_screen_rss_mib")}
        print(name, figures, rss)
    ratios = [a["true_screen_s"] / b["true_screen_s"] for a, b in zip(runs["after"], runs["before"], strict=True)]
    print("true screen, after ÷ before, median per-round ratio:", round(statistics.median(ratios), 3))
    print("load average", os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
