"""消息中心's list API at 10,000 items: a page of 20, plain, by category and by search, against a real server.

    .venv/bin/python bench/bench_news_pages.py                 # ./run bench runs it too (with PostgreSQL)
    .venv/bin/python bench/bench_news_pages.py --news-items 2000 --news-rounds 60

Per backend (a fresh SQLite file, and a fresh PostgreSQL database on the CAMPUS_TEST_PG_URL cluster when it is
set): the demo database is seeded, N news items are written through the code the admin API uses (one change-log row
each, checked), a real server process is started on loopback, and pages are fetched round-robin at offsets over the
whole list — plain, `category=notice` and `q=NNN` — after the same rounds on the demo's own few items, in the same
run, so the ratio shows what the 10,000 items cost. Table to stdout, figures to bench/results/news_pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from campus_common.content import CATEGORIES  # noqa: E402
from sync_server.core import content  # noqa: E402
from sync_server.db import Database  # noqa: E402
from sync_server.models import ChangeLog, NewsItem  # noqa: E402
from tests.helpers import PG_URL, LiveServer, create_pg_database, seed_database  # noqa: E402

KINDS = ("plain", "category", "search")


def write_items(db_url: str, items: int) -> float:
    db = Database(db_url)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    began = time.perf_counter()
    try:
        with db.transaction() as session:
            for n in range(items):
                draft = content.NewsDraft(
                    category=CATEGORIES[n % len(CATEGORIES)].code,
                    title=f"批量新闻 {n:05d}",
                    body=f"<p>第 {n} 条的正文</p>",
                    published_at=start + timedelta(minutes=n),
                )
                content.write_news(session, content.check_draft(draft))
        with db.sessions() as session:
            logged = session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "news"))
            total = session.scalar(select(func.count()).select_from(NewsItem))
        if logged != total:
            raise SystemExit(f"{logged} news changes logged for {total} items: one per item expected")
        return time.perf_counter() - began
    finally:
        db.dispose()


def fetch(http: requests.Session, base: str, n: int, span: int) -> tuple[str, float]:
    """The n-th page of the round-robin: plain, by category, by search, at offsets spread over the list."""
    kind = KINDS[n % len(KINDS)]
    params: dict[str, Any] = {"limit": 20, "offset": (n * 250) % max(span, 1)}
    if kind == "category":
        params["category"] = "notice"
    elif kind == "search":
        params = {"limit": 20, "q": f"{n % 1000:03d}"}
    began = time.perf_counter()
    answer = http.get(base + "/api/v1/content/news", params=params, timeout=30)
    elapsed = time.perf_counter() - began
    if answer.status_code != 200:
        raise SystemExit(f"{params}: HTTP {answer.status_code} {answer.text[:200]}")
    return kind, elapsed


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def run_backend(demo_url: str, loaded_url: str, items: int, rounds: int, workdir: Path) -> dict[str, Any]:
    """Two servers at once, the demo's few items and the loaded copy, asked in turn: the ratio is side by side."""
    figures: dict[str, Any] = {"write_s": round(write_items(loaded_url, items), 1)}
    servers = {}
    for label, url in (("demo", demo_url), ("loaded", loaded_url)):
        (workdir / label).mkdir(parents=True, exist_ok=True)
        servers[label] = LiveServer(db_url=url, workdir=workdir / label).start()
    try:
        spans = {"demo": 0, "loaded": items}
        sessions = {label: requests.Session() for label in servers}
        timings: dict[str, dict[str, list[float]]] = {label: {k: [] for k in KINDS} for label in servers}
        for n in range(-3 * len(KINDS), rounds * len(KINDS)):  # the first three rounds warm up, not counted
            for label, server in servers.items():
                kind, elapsed = fetch(sessions[label], server.url, n, spans[label])
                if n >= 0:
                    timings[label][kind].append(elapsed)
    finally:
        for server in servers.values():
            server.stop()
    for label in servers:
        figures[label] = {kind: summary(t) for kind, t in timings[label].items()}
        print(f"  {label}: {figures[label]}", file=sys.stderr)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Prefixed names: `./run bench ARGS` hands the same arguments to every benchmark.
    parser.add_argument("--news-items", type=int, default=10_000)
    parser.add_argument("--news-rounds", type=int, default=40, help="pages per kind and run")
    args, _unknown = parser.parse_known_args(argv)
    results: dict[str, Any] = {"machine": platform.platform(), "cpus": os.cpu_count(), "items": args.news_items}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("SQLite", file=sys.stderr)
        seed_database(f"sqlite:///{work}/demo.db")
        shutil.copyfile(work / "demo.db", work / "loaded.db")
        results["sqlite"] = run_backend(
            f"sqlite:///{work}/demo.db", f"sqlite:///{work}/loaded.db", args.news_items, args.news_rounds, work / "s"
        )
        if PG_URL:
            print("PostgreSQL", file=sys.stderr)
            demo = create_pg_database()
            seed_database(demo)
            loaded = create_pg_database(template=demo.rsplit("/", 1)[1])
            results["postgresql"] = run_backend(demo, loaded, args.news_items, args.news_rounds, work / "p")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "news_pages.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"| backend | page | demo p50 (ms) | {args.news_items:,} items p50 / p95 / max (ms) | ratio p50 |")
    print("| --- | --- | ---: | ---: | ---: |")
    for backend in ("sqlite", "postgresql"):
        if backend not in results:
            continue
        for kind in KINDS:
            demo, loaded = results[backend]["demo"][kind], results[backend]["loaded"][kind]
            ratio = loaded["p50_ms"] / demo["p50_ms"] if demo["p50_ms"] else float("nan")
            print(
                f"| {backend} | {kind} | {demo['p50_ms']} | {loaded['p50_ms']} / {loaded['p95_ms']} / "
                f"{loaded['max_ms']} | {ratio:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
