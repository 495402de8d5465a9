"""消息中心 benchmark: scrolling 10,000 news rows, frame by frame, beside the same scroll over 200 rows.

    .venv/bin/python bench/bench_messages.py [--rows 10000] [--small 200] [--rounds 1] [--velocity 12000]

For each list size a kiosk store is filled with that many real `news` rows, written through the store's own pull
path (`LocalStore.apply_changes`, changes shaped as docs/content.md says, pages of 1,000). Then the real
application (Backend + Main.qml, offscreen, 1920×1080 kiosk) starts in this process on that data dir, against a
closed port (no server: 消息中心 reads the local store), opens 消息中心 with a real touch tap on 消息 (全部新闻,
the tab it opens on), and scrolls to the last row.

The scroll sets the ListView's contentY once per swapped frame, as a finger's flick moves it: each flick starts at
`--velocity` px/s and slows down evenly to a stop within `--flick-s` seconds (nominal 60 Hz steps, so every run
covers the same distance in the same number of frames), then the next flick starts. Qt's own Flickable caps a
finger at 2,500 px/s; the default 12,000 px/s brings about five times as many new rows into view per frame, a
harder test, and keeps a 10,000-row run near a minute. Pages come as in use: the ListView calls
NewsListModel.fetchMore when it nears the end, the page is read on a worker and inserted. When the scroll reaches
the end of the rows loaded so far before the next page is in, it waits (no frame is asked for) and counts a stall.

Measured:
- **frame time**: the time between consecutive `frameSwapped` signals while the scroll moves (the wait at a stall
  is not a frame; the frame after it is counted below instead); p50/p95/p99/max and how many are over 16 ms;
- **page → frame**: from the page's rows inserted into the model to the next swapped frame, per page;
- **page fetch**: from fetchMore to the rows inserted (the worker's read);
- rows reached (the last row index on screen at the end), frames, stalls, the load average.

The Markdown table goes to stdout, everything to bench/results/messages.json; a miss does not change the exit
status. Set QSG_RENDER_TIMING=1 to have Qt print its own per-frame timing (sync/render/swap) to stderr.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"

RESULTS = Path(__file__).resolve().parent / "results" / "messages.json"
BUDGET_MS = 16.0
CATEGORIES = ("notice", "school_news", "research", "student_affairs", "portal", "department", "lecture")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def fill_store(path: Path, rows: int) -> float:
    """`rows` news items, newest first by id, through the pull's apply path; returns the seconds it took."""
    from kiosk.models.store import LocalStore

    started = time.perf_counter()
    store = LocalStore(path)
    try:
        for first in range(1, rows + 1, 1000):
            changes = []
            for i in range(first, min(first + 1000, rows + 1)):
                moment = time.strftime("%Y-%m-%dT%H:%M:00+08:00", time.gmtime(1_780_000_000 - i * 3_600))
                data = {
                    "id": i,
                    "category": CATEGORIES[i % len(CATEGORIES)],
                    "title": f"关于做好 2026 年第 {i} 期校园服务大厅业务办理的通知（第 {i % 97} 号）",
                    "summary": "各学院、各部门：为进一步方便师生办事，现将有关事项通知如下。" * 2,
                    "author": "校长办公室",
                    "cover": "",
                    "published_at": moment,
                    "updated_at": moment,
                    "body": f"<p>正文 {i}</p>" * 20,
                }
                changes.append({"seq": i, "entity": "news", "id": str(i), "op": "upsert", "scope": "public"})
                changes[-1]["data"] = data
            assert store.apply_changes(None, changes, "sync.cursor.public", first, "bench")
    finally:
        store.close()
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values), 2) if values else float("nan"),
        "over_16ms": sum(v > BUDGET_MS for v in values),
    }


def scroll_once(
    app: Any, data_dir: Path, rows: int, velocity: float, flick_s: float, passes: int, timeout: float = 1800.0
) -> dict[str, Any]:
    """Start the app on `data_dir`, open 消息中心 and scroll its list to the end `passes` times (back to the top
    in one jump in between, a frame not counted); the measurements."""
    from PySide6.QtCore import QEventLoop, QMetaObject, QModelIndex, QPointF, Qt
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickItem
    from PySide6.QtTest import QTest

    from kiosk.backend import Backend
    from kiosk.resources import qml_dir
    from kiosk.services.config import KioskConfig
    from kiosk.views import context

    config = KioskConfig(server_url=closed_port_url(), mode="kiosk", data_dir=str(data_dir), device_name="bench")
    backend = Backend(config)
    engine = QQmlApplicationEngine()
    backend.attach(engine)
    engine.addImportPath(str(qml_dir()))
    backend.prepare()
    engine.loadFromModule("Kiosk", "Main")
    window = engine.rootObjects()[0]
    window.frameSwapped.connect(backend.start, type=Qt.ConnectionType.SingleShotConnection)
    window.resize(1920, 1080)
    window.show()

    def spin_until(done: Any, what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    def find(name: str) -> Any:
        """The visible item of that name in the visual tree (a StackView's pages have no QObject parent there)."""
        stack: list[QQuickItem] = [window.contentItem()]
        while stack:
            item = stack.pop()
            if item.objectName() == name and item.isVisible():
                return item
            stack.extend(item.childItems())
        return None

    def page() -> str:
        item = window.findChild(object, "pageStack").property("currentItem")
        return item.objectName() if item is not None else ""

    messages, model = backend.messages, backend.messages.news
    spin_until(lambda: backend.state.ready and backend.store is not None, "the store did not open")
    spin_until(lambda: find("nav_messages") is not None, "no 消息 button")
    QTest.qWait(500)  # the first page's transition: a StackView drops presses while a page slides in
    nav = find("nav_messages")
    point = nav.mapToScene(QPointF(nav.width() / 2, nav.height() / 2)).toPoint()
    device = QTest.createTouchDevice()
    QTest.touchEvent(window, device).press(0, point, window).commit()
    QTest.qWait(20)
    QTest.touchEvent(window, device).release(0, point, window).commit()
    spin_until(lambda: page() == "messagesPage", "消息中心 did not open")
    spin_until(lambda: messages.tab == "all" and messages.total == rows and model.rowCount() > 0, "no rows")
    view = find("newsList")
    QTest.qWait(300)  # the page's own first frames and the first page settle; not counted

    # (wall time, this thread's CPU time, whether the scroll had moved since the last swap)
    swaps: list[tuple[float, float, bool]] = []
    fetch_started: list[float] = []
    inserted: list[float] = []
    after_page: list[float] = []
    fetch_ms: list[float] = []
    state = {
        "v": velocity,
        "moved": False,
        "stalls": 0,
        "stalled": False,
        "resumed": False,
        "done": False,
        "passes": passes,
    }
    dv = velocity / (flick_s * 60.0)

    def bottom() -> float:
        return float(view.property("originY") + view.property("contentHeight") - view.property("height"))

    def step() -> None:
        """Move the list by one frame of the flick; at the loaded end, wait for the next page."""
        y = float(view.property("contentY"))
        end = bottom()
        if model.rowCount() >= rows and y >= end - 0.5:
            state["passes"] -= 1
            if state["passes"] <= 0:
                state["done"] = True
                return
            view.setProperty("contentY", view.property("originY"))  # the next pass, from the top
            state["v"], state["moved"] = velocity, False
            return
        target = min(y + state["v"] / 60.0, end)
        if target <= y + 0.5:  # at the end of what is loaded: the next page is not in yet
            if not state["stalled"]:
                state["stalls"] += 1
            state["stalled"] = True
            return
        state["v"] = state["v"] - dv if state["v"] - dv > 0 else velocity  # slowing; then the next flick
        view.setProperty("contentY", target)
        state["moved"] = True

    def swapped() -> None:
        now = time.perf_counter()
        # The swap that ends a stall is not a frame time: that gap was the wait for a page (see after_page).
        swaps.append((now, time.thread_time(), bool(state["moved"]) and not state["resumed"]))
        state["moved"] = state["resumed"] = False
        if inserted and len(after_page) < len(inserted):
            after_page.append((now - inserted[len(after_page)]) * 1000)
        if not state["stalled"]:
            step()

    def loading_changed() -> None:
        if model.property("loading"):
            fetch_started.append(time.perf_counter())

    def rows_inserted(_parent: QModelIndex, _first: int, _last: int) -> None:
        now = time.perf_counter()
        inserted.append(now)
        if len(fetch_started) >= len(inserted):
            fetch_ms.append((now - fetch_started[len(inserted) - 1]) * 1000)
        if state["stalled"]:
            state["stalled"], state["resumed"] = False, True
            QMetaObject.invokeMethod(view, "forceLayout")  # else its contentHeight grows only at the next polish
            step()  # the rows are in: the scroll goes on (their first frame is `after_page`'s)

    model.loadingChanged.connect(loading_changed)
    model.rowsInserted.connect(rows_inserted)
    window.frameSwapped.connect(swapped)
    started = time.perf_counter()
    step()
    try:
        spin_until(lambda: state["done"], "the scroll did not reach the end", timeout=timeout)
    except TimeoutError as exc:
        where = f"{model.rowCount()} rows loaded, loading={model.property('loading')}, state={state}"
        raise TimeoutError(f"{exc}: contentY {view.property('contentY')} of {bottom()}, {where}") from None
    elapsed = time.perf_counter() - started
    window.frameSwapped.disconnect(swapped)
    model.loadingChanged.disconnect(loading_changed)
    model.rowsInserted.disconnect(rows_inserted)

    # A frame's time: from the previous swap, when the scroll moved for it (not the jump back to the top, not
    # the swap that ends a stall).
    intervals = [(a, b) for (a, _, _), (b, _, moved) in itertools.pairwise(swaps) if moved]
    frames = [round((b - a) * 1000, 3) for a, b in intervals]
    # The GUI thread's own CPU time in each frame (the offscreen software renderer draws on it): a long frame
    # with little CPU was a frame this process waited through (the machine's other jobs), not one it worked on.
    cpu = [round((d - c) * 1000, 3) for (_, c, _), (_, d, moved) in itertools.pairwise(swaps) if moved]
    # What happened during each long frame: a page's rows inserted, or a fetch started (the ListView's
    # fetchMore), or neither.
    long_frames = {"with_page_inserted": 0, "with_fetch_started": 0, "neither": 0}
    # The frames that drew a newly inserted page, on their own: what a page costs the GUI thread.
    page_frames = [i for i, (a, b) in enumerate(intervals) if any(a < t <= b for t in inserted)]
    for a, b in intervals:
        if (b - a) * 1000 <= BUDGET_MS:
            continue
        if any(a < t <= b for t in inserted):
            long_frames["with_page_inserted"] += 1
        elif any(a < t <= b for t in fetch_started):
            long_frames["with_fetch_started"] += 1
        else:
            long_frames["neither"] += 1
    bottom_y = float(view.property("contentY")) + float(view.property("height")) - 1
    reached = int(view.indexAt(float(view.property("width")) / 2, bottom_y)) + 1
    result = {
        "rows": rows,
        "rows_loaded": model.rowCount(),
        "rows_reached": reached,
        "scroll_s": round(elapsed, 2),
        "frames": len(frames),
        "frame_ms": summary(frames),
        "frame_cpu_ms": summary(cpu),
        "pages": len(inserted),
        "page_to_frame_ms": summary(after_page),
        "page_fetch_ms": summary(fetch_ms),
        "stalls": state["stalls"],
        "long_frames": long_frames,
        "page_frame_list_ms": [frames[i] for i in page_frames],
        "page_frame_cpu_list_ms": [cpu[i] for i in page_frames],
        "passes": passes,
        "frame_times_ms": frames,
        "frame_cpu_list_ms": cpu,
        "page_to_frame_list_ms": [round(f, 2) for f in after_page],
        "page_fetch_list_ms": [round(f, 2) for f in fetch_ms],
    }
    backend.shutdown()
    for obj in engine.rootObjects():
        obj.deleteLater()
    engine.deleteLater()
    QTest.qWait(50)
    context.clear()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=200, help="the list scrolled beside it, for the ratio")
    parser.add_argument("--rounds", type=int, default=1, help="each round scrolls the small list, then the large")
    parser.add_argument("--velocity", type=float, default=12_000.0, help="a flick's start, px/s")
    parser.add_argument("--small-passes", type=int, default=0, help="default: as many as --rows ÷ --small")
    parser.add_argument("--flick-s", type=float, default=1.0, help="a flick's length to a stop, s")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from PySide6 import __version__ as pyside_version
    from PySide6.QtGui import QGuiApplication

    import kiosk.views  # noqa: F401  (registers Kiosk.Backend)

    app = QGuiApplication(sys.argv[:1])
    load_start = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="bench-messages-"))
    fill_s: dict[int, float] = {}
    try:
        for rows in (args.small, args.rows):
            fill_s[rows] = fill_store(workdir / str(rows) / "kiosk.db", rows)
        runs: dict[int, list[dict[str, Any]]] = {args.small: [], args.rows: []}
        for _ in range(args.rounds):
            for rows in (args.small, args.rows):  # side by side: both see the same machine
                passes = 1 if rows == args.rows else (args.small_passes or max(1, args.rows // args.small))
                run = scroll_once(app, workdir / str(rows), rows, args.velocity, args.flick_s, passes)
                runs[rows].append(run)
                brief = {k: v for k, v in run.items() if not k.endswith("_ms") or isinstance(v, dict)}
                print(f"{rows} rows: {json.dumps(brief)}", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load_end = os.getloadavg()

    def pooled(rows: int) -> dict[str, Any]:
        frames = [f for run in runs[rows] for f in run["frame_times_ms"]]
        return {
            "frame_ms": summary(frames),
            "frame_cpu_ms": summary([c for run in runs[rows] for c in run["frame_cpu_list_ms"]]),
            "page_to_frame_ms": summary([v for run in runs[rows] for v in run["page_to_frame_list_ms"]]),
            "page_fetch_ms": summary([v for run in runs[rows] for v in run["page_fetch_list_ms"]]),
            "page_frame_ms": summary([v for run in runs[rows] for v in run["page_frame_list_ms"]]),
            "page_frame_cpu_ms": summary([v for run in runs[rows] for v in run["page_frame_cpu_list_ms"]]),
            "rows_reached": min(run["rows_reached"] for run in runs[rows]),
            "stalls": sum(run["stalls"] for run in runs[rows]),
            "pages": sum(run["pages"] for run in runs[rows]),
            "long_frames": {k: sum(run["long_frames"][k] for run in runs[rows]) for k in runs[rows][0]["long_frames"]},
        }

    big, small = pooled(args.rows), pooled(args.small)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit.stdout.strip(),
        "cpus": os.cpu_count(),
        "pyside6": pyside_version,
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in load_end],
        "velocity_px_s": args.velocity,
        "flick_s": args.flick_s,
        "fill_s": fill_s,
        "large": {"rows": args.rows, **big},
        "small": {"rows": args.small, **small},
        "runs": {str(k): v for k, v in runs.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))

    def ratio(key: str, stat: str) -> str:
        a, b = big[key][stat], small[key][stat]
        return f"×{a / b:.2f}" if b else "—"

    print(
        f"消息中心 scroll, offscreen 1920×1080 kiosk, flicks from {args.velocity:.0f} px/s, {args.rounds} round(s) "
        f"({result['date']}, {result['cpus']} CPUs, PySide6 {pyside_version}, load average "
        f"{load_start[0]:.2f} → {load_end[0]:.2f}, commit {result['commit']})\n"
    )
    print(f"| | {args.rows:,} rows | {args.small:,} rows | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for stat in ("p50", "p95", "p99", "max"):
        print(
            f"| frame time {stat} | {big['frame_ms'][stat]:.1f} ms | {small['frame_ms'][stat]:.1f} ms | "
            f"{ratio('frame_ms', stat)} |"
        )
    print(
        f"| frames over {BUDGET_MS:.0f} ms | {big['frame_ms']['over_16ms']} of {big['frame_ms']['n']} | "
        f"{small['frame_ms']['over_16ms']} of {small['frame_ms']['n']} | |"
    )
    for stat in ("p50", "max"):
        print(
            f"| page inserted → next frame, {stat} | {big['page_to_frame_ms'][stat]:.1f} ms | "
            f"{small['page_to_frame_ms'][stat]:.1f} ms | |"
        )
    for stat in ("p50", "p99", "max"):
        print(
            f"| GUI thread CPU per frame, {stat} | {big['frame_cpu_ms'][stat]:.1f} ms | "
            f"{small['frame_cpu_ms'][stat]:.1f} ms | |"
        )
    print(
        f"| frames with over {BUDGET_MS:.0f} ms of GUI thread CPU | {big['frame_cpu_ms']['over_16ms']} | "
        f"{small['frame_cpu_ms']['over_16ms']} | |"
    )
    for stat in ("p50", "max"):
        print(
            f"| frame with a page inserted, {stat}: wall / GUI thread CPU | {big['page_frame_ms'][stat]:.1f} / "
            f"{big['page_frame_cpu_ms'][stat]:.1f} ms | {small['page_frame_ms'][stat]:.1f} / "
            f"{small['page_frame_cpu_ms'][stat]:.1f} ms | |"
        )
    for stat in ("p50", "max"):
        print(
            f"| page fetch (fetchMore → rows inserted), {stat} | {big['page_fetch_ms'][stat]:.1f} ms | "
            f"{small['page_fetch_ms'][stat]:.1f} ms | |"
        )
    print(
        f"| pages fetched / stalls at the loaded end | {big['pages']} / {big['stalls']} | "
        f"{small['pages']} / {small['stalls']} | |"
    )
    lf, ls = big["long_frames"], small["long_frames"]
    print(
        f"| frames over {BUDGET_MS:.0f} ms: with a page inserted / a fetch started / neither | "
        f"{lf['with_page_inserted']} / {lf['with_fetch_started']} / {lf['neither']} | "
        f"{ls['with_page_inserted']} / {ls['with_fetch_started']} / {ls['neither']} | |"
    )
    print(
        f"| rows reached | {big['rows_reached']:,} of {args.rows:,} | {small['rows_reached']:,} of {args.small:,} | |"
    )
    verdict = "PASS" if big["frame_ms"]["over_16ms"] == 0 else "MISS"
    print(
        f"\n{verdict}: no frame over {BUDGET_MS:.0f} ms in the {args.rows:,}-row scroll "
        f"({big['frame_ms']['over_16ms']} over, max {big['frame_ms']['max']:.1f} ms)"
    )
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
