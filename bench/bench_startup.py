"""Startup benchmark: process start → first frame of the login screen, the real app beside a bare QML window.

    .venv/bin/python bench/bench_startup.py [--rounds 15] [--warmup 1] [--timeout 60] [--out FILE]

Each round runs the real app (`campus-kiosk --mode kiosk`, through kiosk.app.main(), see _first_frame.py) and
the floor (a bare PySide6 QML window showing one line of Chinese text) once each, in alternating order
(A B, B A, A B, …), so that the noise of a small shared machine lands on both sides alike. Both run with
QT_QPA_PLATFORM=offscreen. The app gets a fresh temporary --data-dir, a config path that does not exist (so
nobody's config.toml changes the result) and a server URL on a loopback port that was just closed, so the
health check fails at once and no network wait can hide in the figure.

The figures: medians and p90 of each side, the ratio of the medians, the median of the per-round ratios
(app ÷ bare within the same round: the noise-robust one), and the peak RSS (ru_maxrss at the first frame).
The targets are checked and printed as PASS/MISS; a miss does not change the exit status — this is a report.
A Markdown table goes to stdout; the full results, every sample included, to bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DRIVER = Path(__file__).resolve().parent / "_first_frame.py"
RESULTS = Path(__file__).resolve().parent / "results" / "startup.json"

# The targets set in the issue for the start-up of the login screen.
TARGET_RATIO = 2.0  # app median ≤ 2.0 × bare median
TARGET_SECONDS = 0.6  # app median ≤ 0.6 s
TARGET_RSS_MIB = 150.0  # app peak RSS ≤ 150 MiB
# The true screen (issue 12): store open and server state known, ≤ 0.5 s and ≤ 150 MiB at its peak.
TARGET_TRUE_SECONDS = 0.5


def closed_port() -> int:
    """A loopback port that nothing listens on: bind to port 0, read the port, close the socket."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # An installed kiosk runs from compiled bytecode (pip compiles the wheel; an editable checkout writes
    # __pycache__ on its first start). Shells that export PYTHONDONTWRITEBYTECODE=1 would otherwise make
    # every run recompile kiosk/*.py from source. Keep the bytecode in a private directory for this
    # benchmark run (filled by the warm-up round) so the repository tree is not written to.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.setdefault("CAMPUS_KIOSK_LOG", "WARNING")
    # Each side's own environment must not leak across: main() sets these for the app itself.
    env.pop("QT_IM_MODULE", None)
    env.pop("QT_QUICK_CONTROLS_STYLE", None)
    return env


def run_once(which: str, timeout: float, pycache: Path) -> dict[str, Any]:
    """Spawn one child; return its JSON line (plus stderr tail on failure)."""
    with tempfile.TemporaryDirectory(prefix="campus-bench-") as tmp:
        cmd = [sys.executable, str(DRIVER), which]
        extra: list[str] = []
        if which == "app":
            extra = [
                "--true-screen",
                "--",
                "--mode", "kiosk",
                "--server", f"http://127.0.0.1:{closed_port()}",
                "--data-dir", str(Path(tmp) / "data"),
                "--config", str(Path(tmp) / "absent.toml"),
            ]  # fmt: skip
        t0 = time.monotonic()  # the same clock the child reads; see _first_frame.py
        proc = subprocess.Popen(
            [*cmd, repr(t0), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(pycache),
            cwd=REPO_ROOT,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            return {"error": f"no first frame within {timeout:.0f} s", "stderr": err[-2000:]}
    for line in out.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            if "error" in result:
                result["stderr"] = err[-2000:]
            return result
    return {"error": f"exit {proc.returncode} without a result", "stderr": err[-2000:]}


def p90(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def summarize(samples: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(samples),
        "p90": p90(samples),
        "min": min(samples),
        "max": max(samples),
    }


def source_state() -> dict[str, Any]:
    """Which code was measured: the commit, and the files that differ from it (uncommitted work counts)."""

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=all").splitlines()]
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or None,
        "uncommitted": [path for path in changed if path.startswith(("kiosk/", "resources/"))],
    }


def machine() -> dict[str, Any]:
    import PySide6

    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in load],
        "source": source_state(),
    }


def measure(args: argparse.Namespace, pycache: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """The warm-up, then the interleaved rounds; None if the warm-up already fails."""
    for _ in range(args.warmup):
        for which in ("app", "bare"):
            r = run_once(which, args.timeout, pycache)
            if "error" in r:
                print(f"warm-up {which} failed: {r['error']}\n{r.get('stderr', '')}", file=sys.stderr)
                return None

    rounds: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for i in range(args.rounds):
        order = ("app", "bare") if i % 2 == 0 else ("bare", "app")
        row: dict[str, Any] = {"round": i + 1, "order": "-".join(order)}
        for which in order:
            r = run_once(which, args.timeout, pycache)
            if "error" in r:
                failures.append({"round": i + 1, "which": which, **r})
                print(f"round {i + 1} {which}: {r['error']}", file=sys.stderr)
            row[which] = r
        ok = "error" not in row["app"] and "error" not in row["bare"]
        if ok:
            row["ratio"] = row["app"]["first_frame_s"] / row["bare"]["first_frame_s"]
            rounds.append(row)
        print(
            f"  round {i + 1:2d} ({row['order']}): "
            + (
                f"app {row['app']['first_frame_s']:.3f} s {row['app']['peak_rss_mib']:.0f} MiB, "
                f"true {row['app']['true_screen_s']:.3f} s {row['app']['true_screen_rss_mib']:.0f} MiB | "
                f"bare {row['bare']['first_frame_s']:.3f} s {row['bare']['peak_rss_mib']:.0f} MiB | "
                f"×{row['ratio']:.2f}"
                if ok
                else "failed"
            ),
            file=sys.stderr,
        )
    return rounds, failures


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=15, help="rounds of one app run + one bare run (default 15)")
    p.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="untimed rounds first: fill the bytecode cache and the page cache (default 1, at least 1)",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one first frame")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS.relative_to(REPO_ROOT)})")
    args, _unknown = p.parse_known_args(argv)  # `./run bench ARGS` hands the same args to every benchmark
    if args.rounds < 1 or args.warmup < 1:
        p.error("--rounds and --warmup must be ≥ 1")

    info = machine()
    print(
        f"startup benchmark: {args.rounds} rounds (+{args.warmup} warm-up), {info['cpus']} CPUs, "
        f"Python {info['python']}, PySide6 {info['pyside6']}, load {info['loadavg_at_start']}",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="campus-bench-pyc-") as pycache:
        measured = measure(args, Path(pycache))
    if measured is None:
        return 1
    rounds, failures = measured
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if not rounds:
        print("no complete round; nothing to report", file=sys.stderr)
        return 1

    app_t = [r["app"]["first_frame_s"] for r in rounds]
    bare_t = [r["bare"]["first_frame_s"] for r in rounds]
    app_m = [r["app"]["peak_rss_mib"] for r in rounds]
    bare_m = [r["bare"]["peak_rss_mib"] for r in rounds]
    ratios = [r["ratio"] for r in rounds]
    true_t = [r["app"]["true_screen_s"] for r in rounds]
    true_m = [r["app"]["true_screen_rss_mib"] for r in rounds]
    true_ratios = [r["app"]["true_screen_s"] / r["bare"]["first_frame_s"] for r in rounds]
    true_s, true_rss = summarize(true_t), statistics.median(true_m)
    app_s, bare_s = summarize(app_t), summarize(bare_t)
    ratio_of_medians = app_s["median"] / bare_s["median"]
    median_ratio = statistics.median(ratios)
    app_rss, bare_rss = statistics.median(app_m), statistics.median(bare_m)
    phase_names = list(rounds[0]["app"].get("phases", {}))
    phases = {
        which: {
            name: statistics.median(r[which]["phases"][name] for r in rounds)
            for name in phase_names
            if all(name in r[which]["phases"] for r in rounds)
        }
        for which in ("app", "bare")
    }

    checks = [
        ("app median ≤ 2.0 × bare median", ratio_of_medians <= TARGET_RATIO,
         f"{app_s['median']:.3f} s / {bare_s['median']:.3f} s = ×{ratio_of_medians:.2f} "
         f"(median per-round ratio ×{median_ratio:.2f}); target ×{TARGET_RATIO:.1f}"),
        ("app median ≤ 0.6 s", app_s["median"] <= TARGET_SECONDS,
         f"{app_s['median']:.3f} s; target {TARGET_SECONDS:.1f} s"),
        ("app peak RSS ≤ 150 MiB", app_rss <= TARGET_RSS_MIB,
         f"{app_rss:.1f} MiB (median); target {TARGET_RSS_MIB:.0f} MiB"),
        ("true screen median ≤ 0.5 s", true_s["median"] <= TARGET_TRUE_SECONDS,
         f"{true_s['median']:.3f} s (×{statistics.median(true_ratios):.2f} the bare window's first frame, "
         f"same round); target {TARGET_TRUE_SECONDS:.1f} s"),
        ("true screen peak RSS ≤ 150 MiB", true_rss <= TARGET_RSS_MIB,
         f"{true_rss:.1f} MiB (median); target {TARGET_RSS_MIB:.0f} MiB"),
    ]  # fmt: skip

    lines = [
        f"Startup, process spawn → first frame (offscreen), {len(rounds)} interleaved rounds"
        f" ({info['date'][:10]}, {info['cpus']} CPUs, Python {info['python']}, PySide6 {info['pyside6']},"
        f" load average {info['loadavg_at_start'][0]} → {info['loadavg_at_end'][0]})",
        f"Code: commit {info['source']['commit']}"
        + (
            f", plus uncommitted changes in {', '.join(info['source']['uncommitted'])}"
            if info["source"]["uncommitted"]
            else ", no uncommitted changes in kiosk/ or resources/"
        ),
        "",
        "| | median | p90 | min | max | peak RSS (median) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| campus-kiosk --mode kiosk | {app_s['median']:.3f} s | {app_s['p90']:.3f} s | {app_s['min']:.3f} s"
        f" | {app_s['max']:.3f} s | {app_rss:.1f} MiB |",
        f"| campus-kiosk, true screen (store open, server state known) | {true_s['median']:.3f} s"
        f" | {true_s['p90']:.3f} s | {true_s['min']:.3f} s | {true_s['max']:.3f} s | {true_rss:.1f} MiB |",
        f"| bare PySide6 QML window | {bare_s['median']:.3f} s | {bare_s['p90']:.3f} s | {bare_s['min']:.3f} s"
        f" | {bare_s['max']:.3f} s | {bare_rss:.1f} MiB |",
        f"| app ÷ bare | ×{ratio_of_medians:.2f} (ratio of medians) | | | | ×{app_rss / bare_rss:.2f} |",
        f"| app ÷ bare, same round | ×{median_ratio:.2f} (median of {len(ratios)} per-round ratios)"
        f" | ×{p90(ratios):.2f} | ×{min(ratios):.2f} | ×{max(ratios):.2f} | |",
        "",
        "Where the time goes (medians, seconds since spawn):",
        "",
        "| | interpreter up | engine constructed | root object created | first frame |",
        "|---|---:|---:|---:|---:|",
    ]
    for which, label, samples in (("app", "campus-kiosk", app_t), ("bare", "bare window", bare_t)):
        ph = phases[which]
        cells = [f"{ph[n]:.3f}" if n in ph else "–" for n in ("interpreter_up", "engine_ready", "root_created")]
        lines.append(f"| {label} | {' | '.join(cells)} | {statistics.median(samples):.3f} |")
    lines.append("")
    for name, ok, detail in checks:
        lines.append(f"- {'PASS' if ok else 'MISS'} {name}: {detail}")
    if failures:
        lines.append(f"- {len(failures)} run(s) failed and are left out (see the JSON)")
    print("\n".join(lines))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "startup: process spawn → first frame",
        "machine": info,
        "rounds_requested": args.rounds,
        "warmup_rounds": args.warmup,
        "app": {**app_s, "peak_rss_mib_median": app_rss, "phases_median": phases["app"], "samples_s": app_t},
        "true_screen": {**true_s, "peak_rss_mib_median": true_rss, "samples_s": true_t, "ratios_to_bare": true_ratios},
        "bare": {**bare_s, "peak_rss_mib_median": bare_rss, "phases_median": phases["bare"], "samples_s": bare_t},
        "ratio_of_medians": ratio_of_medians,
        "median_of_round_ratios": median_ratio,
        "targets": [{"name": n, "pass": ok, "detail": d} for n, ok, d in checks],
        "rounds": rounds,
        "failures": failures,
    }
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
