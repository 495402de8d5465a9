"""The fault harness at scale: 1000 seeded scenarios (tests/faults/), the counts table, the wall time.

    .venv/bin/python bench/bench_faults.py                      # from the repo root; ./run bench runs it too
    .venv/bin/python bench/bench_faults.py --fault-scenarios 200 --fault-lanes 2

Each scenario: 2–4 kiosk processes (SIGKILLed and restarted at random), a fault proxy (answers dropped after the
commit, cut connections, delays, 503s, a closing blackout) and a real server on SQLite (stopped or killed and
restarted in about a third of the scenarios), then the checks: lost, duplicated, reordered, stuck, diverged,
phantom, errors. All must be 0; unlike the other benchmarks, a non-zero count makes this one fail (exit 1),
since it is a correctness result. The totals go to bench/results/faults.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.faults import run  # noqa: E402  (after the path fix: bench/ scripts run from the repo root)

RESULTS = REPO_ROOT / "bench" / "results" / "faults.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # Prefixed names: `./run bench ARGS` hands the same arguments to every benchmark.
    parser.add_argument("--fault-scenarios", type=int, default=1000)
    parser.add_argument("--fault-lanes", type=int, default=3, help="parallel lanes, each with its own server")
    parser.add_argument("--fault-first-seed", type=int, default=0)
    args, _unknown = parser.parse_known_args(argv)
    return run.main(
        [
            "--scenarios",
            str(args.fault_scenarios),
            "--first-seed",
            str(args.fault_first_seed),
            "--lanes",
            str(args.fault_lanes),
            "--json",
            str(RESULTS),
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
