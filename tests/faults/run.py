"""Run N seeded fault scenarios and print the counts table; exit 1 if any count is not zero.

    .venv/bin/python -m tests.faults.run --scenarios 1000          # seeds 0..999, over 2 lanes
    .venv/bin/python -m tests.faults.run --seeds 17,342 --keep     # re-run failing seeds alone, keep their files

Each lane is a process with its own real server (its own copy of the activated demo database) and runs its
share of the seeds one after another. See docs/faults.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.faults.harness import (
    BACKOFF_CAP_S,
    COUNTS,
    Lane,
    ScenarioResult,
    build_template,
    result_from_json,
    result_to_json,
    totals,
)
from tests.helpers import ROOT, seed_database


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scenarios", type=int, default=50, help="how many seeds, from --first-seed (default 50)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--seeds", default="", help="comma-separated seeds to run instead (e.g. a failing one)")
    parser.add_argument("--lanes", type=int, default=0, help="parallel lanes (default: 2, or 1 for < 20 seeds)")
    parser.add_argument(
        "--backoff-cap",
        type=float,
        default=BACKOFF_CAP_S,
        help=f"the kiosks' scaled backoff cap in seconds (default {BACKOFF_CAP_S}; the app's is 60)",
    )
    parser.add_argument("--exec", action="store_true", help="start kiosks as fresh interpreters, not forks")
    parser.add_argument("--keep", action="store_true", help="keep every scenario's files (failing ones are kept)")
    parser.add_argument(
        "--no-session-lock",
        action="store_true",
        help="let sync cycles overlap login/logout, as the app's views do today (expect diverged counts)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temporary directory")
    parser.add_argument("--json", type=Path, default=None, help="also write the totals as JSON to this file")
    # Internal: one lane's worker process.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--template", type=Path, help="an activated demo database (default: seed and make one)")
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def seeds_of(args: argparse.Namespace) -> list[int]:
    if args.seeds:
        return [int(s) for s in args.seeds.split(",") if s.strip()]
    return list(range(args.first_seed, args.first_seed + args.scenarios))


def run_lane(args: argparse.Namespace, seeds: list[int], template: Path, workdir: Path, out: Path) -> None:
    """One lane: its own server; a JSON line per scenario in `out` as soon as it is done."""
    spawn = "exec" if args.exec else "fork"
    lane = Lane(
        template,
        workdir,
        backoff_cap_s=args.backoff_cap,
        spawn=spawn,
        keep=args.keep,
        session_lock=not args.no_session_lock,
    )
    with lane, out.open("a", encoding="utf-8") as fh:
        for seed in seeds:
            result = lane.run(seed)
            fh.write(result_to_json(result) + "\n")
            fh.flush()
            if not result.ok:
                print(result.report(), file=sys.stderr, flush=True)


def run_lanes(
    seeds: list[int],
    template: Path,
    workdir: Path,
    *,
    lanes: int,
    backoff_cap_s: float = BACKOFF_CAP_S,
    exec_: bool = False,
    keep: bool = False,
    session_lock: bool = True,
    progress: bool = True,
) -> tuple[list[ScenarioResult], list[str]]:
    """Run `seeds` over `lanes` worker processes, each with its own server: (results, lane failures)."""
    started = time.monotonic()
    outs = [workdir / f"lane-{i}.jsonl" for i in range(lanes)]
    for out in outs:
        out.unlink(missing_ok=True)
    workers = []
    for i in range(lanes):
        share = seeds[i::lanes]  # interleaved: every lane gets early and late seeds alike
        cmd = [sys.executable, "-m", "tests.faults.run", "--worker", "--template", str(template)]
        cmd += ["--workdir", str(workdir / f"lane-{i}"), "--out", str(outs[i]), "--seeds", ",".join(map(str, share))]
        cmd += ["--backoff-cap", str(backoff_cap_s)]
        cmd += ["--exec"] if exec_ else []
        cmd += ["--keep"] if keep else []
        cmd += [] if session_lock else ["--no-session-lock"]
        workers.append(subprocess.Popen(cmd, cwd=ROOT))
    done = 0
    try:
        while any(w.poll() is None for w in workers):
            time.sleep(1)
            now_done = sum(len(o.read_text().splitlines()) for o in outs if o.exists())
            if progress and now_done // 50 > done // 50:
                print(f"  {now_done}/{len(seeds)} scenarios, {time.monotonic() - started:.0f} s", flush=True)
            done = now_done
    except BaseException:
        for w in workers:  # interrupted: each lane stops its kiosks and its server on SIGTERM (see main)
            w.terminate()
        for w in workers:
            w.wait(60)
        raise
    results: list[ScenarioResult] = []
    for out in outs:
        if out.exists():
            results += [result_from_json(line) for line in out.read_text().splitlines() if line.strip()]
    errors = [f"lane {i} exited with {w.returncode}" for i, w in enumerate(workers) if w.returncode != 0]
    missing = sorted(set(seeds) - {r.seed for r in results})
    errors += [f"seed {seed}: no result (its lane died)" for seed in missing]
    for error in errors:
        print(error, file=sys.stderr)
    return results, errors


def table(summary: dict[str, Any]) -> str:
    names = ("scenarios", *COUNTS)
    widths = [max(len(n), len(str(summary[n]))) for n in names]
    head = "  ".join(n.rjust(w) for n, w in zip(names, widths, strict=True))
    row = "  ".join(str(summary[n]).rjust(w) for n, w in zip(names, widths, strict=True))
    return f"{head}\n{row}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seeds = seeds_of(args)
    if args.worker:
        # SIGTERM unwinds (Lane.__exit__ stops the server, Lane.run kills its kiosks) instead of orphaning them.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        run_lane(args, seeds, args.template, args.workdir, args.out)
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="campus-faults-"))
    workdir.mkdir(parents=True, exist_ok=True)
    lanes = args.lanes or (1 if len(seeds) < 20 else 2)
    lanes = max(1, min(lanes, len(seeds)))
    started = time.monotonic()
    print(f"fault harness: {len(seeds)} scenario(s), {lanes} lane(s), backoff cap {args.backoff_cap} s, in {workdir}")
    if args.template is not None:
        template = args.template  # an activated demo database made earlier (the tests pass theirs)
    else:
        seeded = workdir / "seeded.db"
        seed_database(f"sqlite:///{seeded}")
        template = build_template(seeded, workdir / "template")
    results, lane_errors = run_lanes(
        seeds,
        template,
        workdir,
        lanes=lanes,
        backoff_cap_s=args.backoff_cap,
        exec_=args.exec,
        keep=args.keep,
        session_lock=not args.no_session_lock,
    )
    summary = totals(results)
    summary["errors"] += len(lane_errors)
    summary["wall_s"] = round(time.monotonic() - started, 1)
    print()
    print(table(summary))
    print(
        f"acknowledged operations {summary['acknowledged']} (+{summary['unacknowledged_applied']} applied that a "
        f"kill kept from being acknowledged), kiosks {summary['kiosks']}, SIGKILLs {summary['kills']}, "
        f"server restarts {dict(summary['server_restarts'])}"
    )
    print(f"proxy actions {summary['proxy']}")
    print(f"longest drain after healing {summary['max_drain_s']} s (limit 2 × {args.backoff_cap} s)")
    print(f"wall time {summary['wall_s']} s")
    if summary["failing_seeds"]:
        print(f"failing seeds: {summary['failing_seeds']}")
        print(f"re-run: .venv/bin/python -m tests.faults.run --keep --seeds {summary['failing_seeds'][0]}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    failed = any(summary[c] for c in COUNTS)
    if failed or args.keep or args.workdir:
        print(f"files in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)  # servers' databases and logs of a clean run: nothing to see
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
