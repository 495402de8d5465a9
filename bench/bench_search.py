"""Hall search benchmark: index build time, and per-keystroke latency on 5,000 processes against two baselines.

    .venv/bin/python bench/bench_search.py [--rounds 30] [--naive-rounds 1] [--size 5000] [--seed 20261129]

1. Build: `SearchIndex(processes)` for the 64 real processes (sync_server/seed/processes.json) and for a
   catalog of `--size` processes, median of several builds (pypinyin's import, ~0.15 s, is timed on its own:
   it is paid once per process, on the same worker thread as the first build).
2. Keystrokes: typical queries typed one character at a time (pinyin letter by letter, Chinese character by
   character as an input method commits them); every prefix is one `search(prefix, limit=50)`, timed alone
   with perf_counter_ns. Three implementations, interleaved keystroke by keystroke so the noise of a shared
   machine falls on all alike:
   - index: kiosk.services.search.SearchIndex (scans over concatenated lines, stops at `limit`);
   - linear: the same precomputed per-name strings, but a Python loop over every process per keystroke
     (the design the index replaced: what precomputing alone buys);
   - naive: a straightforward scan that converts every name with pypinyin on every keystroke.
   Ratios are of medians (p50 ÷ p50). The naive scan is ~0.3 s per keystroke at 5,000, so it runs
   `--naive-rounds` passes only.

The 5,000-process catalog is `synthetic_catalog()`: the 64 real processes, then variants made from real
process-name stems, real department names and common suffixes, deterministic for a seed (tests/kiosk/
test_search.py uses the same catalog for its timing test).

A Markdown table goes to stdout, everything measured to bench/results/search.json. The target (from the issue:
≤ 16 ms per keystroke at 5,000 processes) is printed as PASS/MISS; a miss does not change the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SEED_DIR = REPO_ROOT / "sync_server" / "seed"
RESULTS = Path(__file__).resolve().parent / "results" / "search.json"

TARGET_MS = 16.0  # per keystroke at 5,000 processes: one frame at 60 Hz
DEFAULT_SEED = 20261129

# As a user types them: pinyin one letter at a time, Chinese one committed character at a time.
QUERIES = ("zzy", "xiuxue", "wangluo", "成绩", "证明", "shenqing", "zhuanzy", "jiaozhigong", "sushe", "宿舍", "jwc")

# Endings stripped to get a stem, longest first; the rest of a name is what a variant is built from.
_ENDINGS = ("申请单申请", "申请申请", "审批申请", "登记申请", "申请", "登记", "呈报")
_SUFFIXES = ("申请", "登记", "审批申请", "备案", "确认", "登记申请")
_MODIFIERS = ("变更", "撤销", "延期", "补充", "复核", "信息更正", "进度查询")


def real_processes() -> list[dict[str, Any]]:
    """The 64 processes, with department_name as the server sends it (the department's full name)."""
    processes = json.loads((SEED_DIR / "processes.json").read_text(encoding="utf-8"))
    full_name = {d["short_name"]: d["name"] for d in _departments()}
    return [{**p, "department_name": full_name.get(p["department"], p["department"])} for p in processes]


def _departments() -> list[dict[str, Any]]:
    return list(json.loads((SEED_DIR / "demo_content.json").read_text(encoding="utf-8"))["departments"])


def _stem(name: str) -> str:
    base = re.sub(r"（[^（）]*）$", "", name)  # 网络报修申请（宿舍） → 网络报修申请
    for ending in _ENDINGS:
        if base.endswith(ending) and len(base) > len(ending) + 1:
            return base[: -len(ending)]
    return base


def synthetic_catalog(size: int = 5000, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """The 64 real processes, then plausible variants until `size`; names unique; the same for the same seed."""
    rng = random.Random(seed)
    real = real_processes()
    if size <= len(real):
        return real[:size]
    departments = _departments()
    colleges = [d for d in departments if d["kind"] == "college"]
    bases = [(p, _stem(p["name"])) for p in real]
    catalog = list(real)
    names = {p["name"] for p in real}
    attempts = 0
    while len(catalog) < size:
        attempts += 1
        if attempts > size * 50:  # the templates below give far more than any sane size; never loop forever
            raise ValueError(f"cannot make {size} distinct names")
        base, stem = rng.choice(bases)
        suffix = rng.choice(_SUFFIXES)
        department, department_name = base["department"], base["department_name"]
        form = rng.random()
        if form < 0.30:
            college = rng.choice(colleges)
            name = f"{college['short_name']}{stem}{suffix}"
            department, department_name = college["short_name"], college["name"]
        elif form < 0.55:
            dept = rng.choice(departments)
            name = f"{stem}{suffix}（{dept['short_name']}）"
        elif form < 0.80:
            name = f"{stem}{rng.choice(_MODIFIERS)}{suffix}"
        elif form < 0.97:
            _, other = rng.choice(bases)
            name = f"{stem}及{other}{suffix}"
        else:  # a few that begin with digits, as 2027届… would (they go under "#")
            name = f"{rng.randint(2024, 2030)}级{stem}{suffix}"
        if name in names:
            continue
        names.add(name)
        catalog.append(
            {
                **base,
                "code": f"syn-{len(catalog):05d}",
                "name": name,
                "department": department,
                "department_name": department_name,
                "recommended": False,
                "popular_rank": None,
            }
        )
    return catalog


def keystrokes(query: str) -> list[str]:
    return [query[: i + 1] for i in range(len(query))]


# --- the two baselines ------------------------------------------------------------------------------------------


def naive_search(processes: Sequence[dict[str, Any]], query: str, limit: int = 50) -> list[str]:
    """Straightforward: convert every name with pypinyin on every keystroke, score, sort."""
    from pypinyin import Style, lazy_pinyin

    q = query.strip().lower().replace(" ", "")
    if not q:
        return []
    scored: list[tuple[int, int, int, str]] = []
    for order, p in enumerate(processes):
        name = p["name"]
        full = lazy_pinyin(name, style=Style.NORMAL)
        joined = "".join(full)
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
        if name == q:
            score = 100
        elif name.startswith(q):
            score = 90
        elif q in name:
            score = 80
        elif joined.startswith(q):
            score = 70
        elif initials.startswith(q):
            score = 60
        elif q in joined or q in initials:
            score = 50
        elif q in p.get("department", "") or q in p.get("department_name", ""):
            score = 30
        elif q in p.get("description", ""):
            score = 20
        else:
            continue
        scored.append((-score, len(name), order, p["code"]))
    scored.sort()
    return [code for *_, code in scored[:limit]]


def linear_searcher(processes: Sequence[dict[str, Any]]) -> Callable[[str, int], list[str]]:
    """The same per-name strings the index precomputes, but a Python loop over all of them per keystroke."""
    from kiosk.services import search as s

    rows = []
    for order, p in enumerate(processes):
        a = s._analyse(p["name"])
        departments = [s._analyse(p.get(key) or "") for key in ("department", "department_name")]
        dept = "\n".join(d.text for d in departments)
        dept_py = "\n".join(d.py_line for d in departments)
        desc = s._normalise(p.get("description", ""))[0]
        rows.append((order, p["code"], len(p["name"]), a.text, a.full, a.py_line, dept, dept_py, desc))

    def search(query: str, limit: int = 50) -> list[str]:
        q = s._normalise(query)[0]
        if not q:
            return []
        py = s._fold_latin(q)
        pattern = re.compile(s._pinyin_pattern(py)) if re.fullmatch(r"[a-z0-9]+", py) else None
        scored: list[tuple[int, int, int, str]] = []
        for order, code, length, text, full, py_line, dept, dept_py, desc in rows:
            if text == q:
                score = 100
            elif text.startswith(q):
                score = 90
            elif q in text:
                score = 80
            elif pattern is not None and full.startswith(py):
                score = 70
            elif pattern is not None and (m := pattern.search(py_line)) is not None:
                score = 60 if m.start() == 0 else 50
            elif q in dept or (pattern is not None and pattern.search(dept_py)):
                score = 30
            elif q in desc:
                score = 20
            else:
                continue
            scored.append((-score, length, order, code))
        scored.sort()
        return [code for *_, code in scored[:limit]]

    return search


# --- measuring --------------------------------------------------------------------------------------------------


def timed_ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - t0) / 1e6


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"n": len(values), "p50": pct(values, 50), "p99": pct(values, 99), "max": max(values)}


def build_times(processes: Sequence[dict[str, Any]], repeats: int) -> dict[str, float]:
    from kiosk.services.search import SearchIndex

    samples = [timed_ms(lambda: SearchIndex(processes)) for _ in range(repeats)]
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples), "n": repeats}


def machine() -> dict[str, Any]:
    import pypinyin

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pypinyin": pypinyin.__version__,
        "loadavg_at_start": load,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=30, help="passes over all keystrokes for index and linear")
    p.add_argument("--naive-rounds", type=int, default=1, help="passes for the naive baseline (~0.3 s a keystroke)")
    p.add_argument("--size", type=int, default=5000, help="synthetic catalog size (default 5000)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out", type=Path, default=RESULTS)
    args, _unknown = p.parse_known_args(argv)  # `./run bench ARGS` hands the same args to every benchmark
    if args.rounds < 1 or args.naive_rounds < 0 or args.size < 1:
        p.error("--rounds and --size must be ≥ 1, --naive-rounds ≥ 0")

    t0 = time.perf_counter()
    import pypinyin  # noqa: F401  (timed: the once-per-process cost a first build pays)

    import_ms = (time.perf_counter() - t0) * 1e3
    from kiosk.services.search import SearchIndex

    info = machine()
    real = real_processes()
    catalog = synthetic_catalog(args.size, args.seed)
    print(f"search benchmark: {len(catalog)} processes, {args.rounds} rounds, load {info['loadavg_at_start']}",
          file=sys.stderr)  # fmt: skip

    builds = {"64": build_times(real, 20), str(len(catalog)): build_times(catalog, 5)}
    index = SearchIndex(catalog)
    linear = linear_searcher(catalog)

    # The three must agree on the best hit of every complete query, or the comparison is meaningless.
    agreement = {}
    for query in QUERIES:
        top = [h.code for h in index.search(query, 50)]
        agreement[query] = {
            "index_top": top[:1],
            "linear_top": linear(query, 50)[:1],
            "naive_top": naive_search(catalog, query)[:1] if args.naive_rounds else None,
            "index_hits": len(top),
        }

    samples: dict[str, dict[str, list[float]]] = {q: {"index": [], "linear": [], "naive": []} for q in QUERIES}
    gc.collect()
    for r in range(args.rounds):
        for query in QUERIES:
            for prefix in keystrokes(query):
                runs: list[tuple[str, Callable[[], object]]] = [
                    ("index", lambda prefix=prefix: index.search(prefix, 50)),
                    ("linear", lambda prefix=prefix: linear(prefix, 50)),
                ]
                if r < args.naive_rounds:
                    runs.append(("naive", lambda prefix=prefix: naive_search(catalog, prefix, 50)))
                if r % 2:
                    runs.reverse()
                for name, fn in runs:
                    samples[query][name].append(timed_ms(fn))
        print(f"  round {r + 1}/{args.rounds}", file=sys.stderr)
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]

    overall = {
        impl: summary([x for q in QUERIES for x in samples[q][impl]])
        for impl in ("index", "linear", "naive")
        if samples[QUERIES[0]][impl]
    }
    per_query = {q: {impl: summary(v) for impl, v in samples[q].items() if v} for q in QUERIES}
    ratios = {impl: overall[impl]["p50"] / overall["index"]["p50"] for impl in overall if impl != "index"}

    size = str(len(catalog))
    lines = [
        f"Hall search, {len(catalog)} processes ({info['date'][:10]}, {info['cpus']} CPUs, Python {info['python']},"
        f" pypinyin {info['pypinyin']}, load average {info['loadavg_at_start'][:1]} → {info['loadavg_at_end'][:1]})",
        "",
        f"Build: import pypinyin {import_ms:.0f} ms (once per process); SearchIndex of 64 processes"
        f" {builds['64']['median_ms']:.1f} ms, of {size} {builds[size]['median_ms']:.0f} ms"
        f" (median of {builds['64']['n']} and {builds[size]['n']} builds)",
        "",
        "Per keystroke, ms (every prefix of each query; index and linear "
        f"{args.rounds} rounds, naive {args.naive_rounds}):",
        "",
        "| query | keystrokes | index p50 | index p99 | index max | linear p50 | naive p50 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for q in QUERIES:
        row = per_query[q]
        naive_cell = f"{row['naive']['p50']:.1f}" if "naive" in row else "–"
        lines.append(
            f"| {q} | {len(q)} | {row['index']['p50']:.2f} | {row['index']['p99']:.2f} | {row['index']['max']:.2f}"
            f" | {row['linear']['p50']:.2f} | {naive_cell} |"
        )
    o = overall
    naive_total = f"{o['naive']['p50']:.1f}" if "naive" in o else "–"
    lines.append(
        f"| **all** | {sum(len(q) for q in QUERIES)} | **{o['index']['p50']:.2f}** | **{o['index']['p99']:.2f}**"
        f" | **{o['index']['max']:.2f}** | {o['linear']['p50']:.2f} | {naive_total} |"
    )
    lines.append("")
    lines.append(
        "Baselines (all keystrokes): "
        + "; ".join(
            f"{impl} p50 {o[impl]['p50']:.2f} ms, p99 {o[impl]['p99']:.2f} ms = ×{ratios[impl]:.0f} the index's p50"
            for impl in ratios
        )
    )
    disagree = [q for q, a in agreement.items() if a["index_top"] != a["linear_top"]]
    lines.append(
        f"Best hit of each full query, index vs linear: {'same' if not disagree else 'differ: ' + str(disagree)}"
    )
    checks = [
        ("p50 per keystroke ≤ 16 ms", o["index"]["p50"] <= TARGET_MS, f"{o['index']['p50']:.2f} ms"),
        ("p99 per keystroke ≤ 16 ms", o["index"]["p99"] <= TARGET_MS, f"{o['index']['p99']:.2f} ms"),
        ("max per keystroke ≤ 16 ms", o["index"]["max"] <= TARGET_MS, f"{o['index']['max']:.2f} ms"),
        (f"build of {size} < 1 s", builds[size]["median_ms"] < 1000, f"{builds[size]['median_ms']:.0f} ms"),
    ]
    lines.append("")
    lines += [f"- {'PASS' if ok else 'MISS'} {name}: {detail}" for name, ok, detail in checks]
    print("\n".join(lines))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "hall search: index build and per-keystroke latency",
        "machine": info,
        "catalog": {"size": len(catalog), "seed": args.seed},
        "import_pypinyin_ms": import_ms,
        "build": builds,
        "queries": list(QUERIES),
        "rounds": args.rounds,
        "naive_rounds": args.naive_rounds,
        "overall_ms": overall,
        "per_query_ms": per_query,
        "ratio_p50_vs_index": ratios,
        "agreement": agreement,
        "targets": [{"name": n, "pass": ok, "detail": d} for n, ok, d in checks],
        "samples_ms": samples,
    }
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nresults written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
